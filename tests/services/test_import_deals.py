"""Deals from other CRMs' exports: HubSpot's, Pipedrive's and Salesforce's headers mapped
by themselves, stage values mapped onto stages, stage history built from the file's dates,
won deals' value, lost reasons, owners and companies created."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from funneldesk import i18n
from funneldesk.cli import main
from funneldesk.services import Services
from funneldesk.services.common.tabular.engine import ImportCancelled, ImportOptions
from funneldesk.services.dto import Actor

HUBSPOT = (
    'Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Deal owner,Pipeline,'
    'Date entered "Qualified (Sales Pipeline)",Date entered "Proposal (Sales Pipeline)",'
    'closed_lost_reason\n'
    "101,ERP rollout,Closed Won,\"12,500.00\",2026-05-20,2026-03-01 09:00,Amy Lee,"
    "Sales Pipeline,2026-03-10,2026-04-02,\n"
    "102,CRM seats,Closed Lost,800,2026-04-15,2026-02-01,Bo Chen,Sales Pipeline,"
    "2026-02-10,,Too expensive\n"
    "103,Cloud move,Proposal,4000,,2026-06-01,Amy Lee,Sales Pipeline,2026-06-03,"
    "2026-06-20,\n"
)


def pipeline_stages(db_path: Path) -> dict[int, str]:
    with closing(sqlite3.connect(db_path)) as conn:
        return dict(conn.execute("SELECT id, name FROM stages"))


def history(db_path: Path, external_id: str) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(db_path)) as conn:
        return [(r[0], r[1][:10]) for r in conn.execute(
            "SELECT s.name, c.at FROM stage_changes c JOIN stages s ON s.id = c.to_stage_id "
            "JOIN deals d ON d.id = c.deal_id WHERE d.external_id = ? ORDER BY c.at, c.id",
            (external_id,))]


def test_a_hubspot_export_imports_with_its_stage_history(
        tmp_path: Path, db_path: Path, services: Services) -> None:
    stages = list(pipeline_stages(db_path).values())
    first_open, proposal = stages[0], stages[2]
    path = tmp_path / "hubspot.csv"
    path.write_text(HUBSPOT.replace("Qualified", stages[1]).replace("Proposal", proposal),
                    encoding="utf-8")
    report = tmp_path / "r.json"
    assert main(["--db", str(db_path), "import", "deals", str(path), "--report", str(report),
                 "--stage", "Closed Won=Won", "--stage", "Closed Lost=Lost"]) == 0
    with closing(sqlite3.connect(db_path)) as conn:
        deals = {r[0]: r[1:] for r in conn.execute(
            "SELECT d.external_id, d.title, s.name, d.value, d.won_value, d.closed_on, "
            "u.display_name, d.lost_reason_text FROM deals d JOIN stages s ON s.id = d.stage_id "
            "JOIN users u ON u.id = d.owner_id")}
    won = next(s for s in stages if s.casefold() in ("won", "赢单"))
    assert deals["101"] == ("ERP rollout", won, 1250000, 1250000, "2026-05-20", "Amy Lee", "")
    assert deals["102"][1:3] == (stages[-1], 80000)
    assert deals["102"][6] == "Too expensive"
    assert deals["103"][1] == proposal
    # created in the first stage, then each stage the file dates, then won at its close
    assert history(db_path, "101") == [(first_open, "2026-03-01"), (stages[1], "2026-03-10"),
                                       (proposal, "2026-04-02"), (won, "2026-05-20")]
    assert history(db_path, "103")[-1] == (proposal, "2026-06-20")
    hits = services.search.search("ERP rollout", by=services.users.current(), limit=5)
    assert [h.title for h in hits] == ["ERP rollout"]  # in search-everything at once


def test_a_pipedrive_export_uses_its_status_and_lost_time(
        tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "pipedrive.csv"
    path.write_text(
        "Deal - Title,Deal - Value,Deal - Currency,Deal - Stage,Deal - Status,Deal - Owner,"
        "Deal - Organization,Deal - Contact person,Deal - Expected close date,Deal - Won time,"
        "Deal - Lost time,Deal - Deal created,Deal - Lost reason\n"
        "Fleet tracking,9000,usd,Negotiation,won,Cy Wu,Acme Ltd,Dan Li,,2026-07-01 10:00,,"
        "2026-05-01,\n"
        "Printers,1200,EUR,Proposal,lost,Cy Wu,Acme Ltd,Dan Li,,,2026-07-03,2026-05-02,"
        "Chose a competitor\n"
        "Routers,300,CNY,Nonsense stage,open,Cy Wu,Acme Ltd,,2026-09-30,,,2026-05-03,\n",
        encoding="utf-8")
    assert main(["--db", str(db_path), "import", "deals", str(path), "--skip-bad-rows",
                 "--report", str(tmp_path / "r.json")]) == 0
    with closing(sqlite3.connect(db_path)) as conn:
        rows = conn.execute(
            "SELECT d.title, s.kind, d.currency, d.closed_on, c.name, p.name, d.won_value "
            "FROM deals d JOIN stages s ON s.id = d.stage_id "
            "LEFT JOIN companies c ON c.id = d.company_id "
            "LEFT JOIN contacts p ON p.id = d.contact_id ORDER BY d.id").fetchall()
    assert rows == [("Fleet tracking", "WON", "USD", "2026-07-01", "Acme Ltd", "Dan Li", 900000),
                    ("Printers", "LOST", "EUR", "2026-07-03", "Acme Ltd", "Dan Li", None)]
    assert '"reason": "unknown_stage"' in (tmp_path / "r.json").read_text(encoding="utf-8")


def test_a_salesforce_export_maps_and_a_won_deal_without_a_close_date_is_refused(
        tmp_path: Path, services: Services, manager: Actor, db_path: Path) -> None:
    path = tmp_path / "sf.csv"
    path.write_text(
        "Opportunity Name,Account Name,Stage,Amount,Close Date,Created Date,"
        "Opportunity Owner,Lead Source\n"
        "Big deal,Globex,Closed Won,\"$50,000\",,2026-01-05,Eve Novak,Trade show\n",
        encoding="utf-8")
    table = services.imports.read(path)
    columns = services.imports.suggest("deals", table.headers)
    assert columns == {"title": "Opportunity Name", "company": "Account Name",
                       "stage": "Stage", "value": "Amount", "closed_at": "Close Date",
                       "created_at": "Created Date", "owner": "Opportunity Owner",
                       "source": "Lead Source"}
    report = services.imports.run("deals", table, ImportOptions(columns=columns), by=manager)
    assert [(e.column, e.reason) for e in report.errors] == [("Close Date", "required")]
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("SELECT count(*) FROM deals").fetchone() == (0,)


@pytest.mark.parametrize("mode", ["upsert", "update"])
def test_importing_again_by_external_id_updates_and_moves(
        tmp_path: Path, services: Services, manager: Actor, db_path: Path, mode: str) -> None:
    stages = list(pipeline_stages(db_path).values())
    path = tmp_path / "a.csv"
    path.write_text(f"external_id,title,stage,value\nX1,Kiosks,{stages[0]},100\n",
                    encoding="utf-8")
    options = ImportOptions(columns={"external_id": "external_id", "title": "title",
                                     "stage": "stage", "value": "value"})
    services.imports.run("deals", path, options, by=manager)
    path.write_text(f"external_id,title,stage,value\nX1,Kiosks,{stages[1]},150\n",
                    encoding="utf-8")
    report = services.imports.run("deals", path, ImportOptions(
        **{**options.__dict__, "mode": mode, "match": "external_id"}), by=manager)
    assert (report.created, report.updated) == (0, 1)
    assert [name for name, _at in history(db_path, "X1")] == [stages[0], stages[1]]
    detail = services.deals.detail(services.board.load(1).cards[0].id)
    assert detail.fields.value == 150


def test_an_update_changes_only_what_the_file_gives(
        tmp_path: Path, services: Services, manager: Actor, db_path: Path) -> None:
    stages = list(pipeline_stages(db_path).values())
    path = tmp_path / "a.csv"
    path.write_text(f"external_id,title,stage,value,currency\nX1,Kiosks,{stages[2]},3000,CNY\n"
                    f"X2,Seats,{stages[1]},200,CNY\n", encoding="utf-8")
    services.imports.run("deals", path, ImportOptions(columns={
        "external_id": "external_id", "title": "title", "stage": "stage", "value": "value",
        "currency": "currency"}), by=manager)
    # no stage, value or currency column; a blank value
    path.write_text("external_id,title,value\nX1,Kiosks (phase 2),\nX2,Seats,250\n",
                    encoding="utf-8")
    report = services.imports.run("deals", path, ImportOptions(
        columns={"external_id": "external_id", "title": "title", "value": "value"},
        mode="update", match="external_id"), by=manager)
    assert (report.updated, report.failed) == (2, 0)
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute(
            "SELECT d.external_id, d.title, d.value, d.currency, s.name FROM deals d "
            "JOIN stages s ON s.id = d.stage_id ORDER BY d.external_id").fetchall() == [
            ("X1", "Kiosks (phase 2)", 300000, "CNY", stages[2]),  # in cents
            ("X2", "Seats", 25000, "CNY", stages[1])]
    assert [name for name, _at in history(db_path, "X1")] == [stages[2]]  # not moved


def test_a_move_the_file_gives_no_date_for_is_dated_when_it_is_imported(
        tmp_path: Path, services: Services, manager: Actor, db_path: Path) -> None:
    stages = list(pipeline_stages(db_path).values())
    path = tmp_path / "a.csv"
    path.write_text(f"external_id,title,stage,created_at\nX1,Kiosks,{stages[0]},2026-01-05\n",
                    encoding="utf-8")
    columns = {"external_id": "external_id", "title": "title", "stage": "stage",
               "created_at": "created_at"}
    services.imports.run("deals", path, ImportOptions(columns=columns), by=manager)
    path.write_text(f"external_id,title,stage,created_at\nX1,Kiosks,{stages[2]},2026-01-05\n",
                    encoding="utf-8")
    services.imports.run("deals", path, ImportOptions(columns=columns, mode="update",
                                                      match="external_id"), by=manager)
    moves = history(db_path, "X1")
    assert moves[0] == (stages[0], "2026-01-05")
    assert moves[-1][0] == stages[2]
    assert moves[-1][1] > "2026-01-05"  # today, not the day it was created


def test_cancel_pressed_after_the_last_row_was_read_still_writes_nothing(
        tmp_path: Path, services: Services, db_path: Path) -> None:
    path = tmp_path / "hubspot.csv"
    path.write_text(HUBSPOT, encoding="utf-8")
    headers = tuple(HUBSPOT.splitlines()[0].split(","))
    with closing(sqlite3.connect(db_path)) as conn:
        before = conn.execute("SELECT count(*) FROM deals").fetchone()
    asked: list[int] = []

    def cancelled() -> bool:
        # asked before the import, at its first row (the file has three), then pressed
        asked.append(1)
        return len(asked) > 2

    options = ImportOptions(columns=services.imports.suggest("deals", headers))
    with pytest.raises(ImportCancelled):
        services.imports.run("deals", path, options, by=services.users.current("manager"),
                             cancelled=cancelled)
    assert len(asked) == 3
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("SELECT count(*) FROM deals").fetchone() == before


def test_an_open_deals_close_date_is_when_it_is_expected_to_close(
        tmp_path: Path, services: Services, manager: Actor, db_path: Path) -> None:
    path = tmp_path / "sf.csv"
    path.write_text("Opportunity Name,Stage,Amount,Close Date,Created Date\n"
                    "Big order,Proposal,5000,2026-05-31,2026-03-02\n"
                    "Old order,Closed Won,700,2026-02-20,2026-01-10\n", encoding="utf-8")
    headers = ("Opportunity Name", "Stage", "Amount", "Close Date", "Created Date")
    report = services.imports.run("deals", path, ImportOptions(
        columns=services.imports.suggest("deals", headers)), by=manager)
    assert report.created == 2
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("SELECT title, expected_close, closed_on FROM deals "
                            "ORDER BY title").fetchall() == [
            ("Big order", "2026-05-31", None), ("Old order", None, "2026-02-20")]


def test_a_currency_sign_beside_the_amount_is_the_deal_s_currency(
        tmp_path: Path, services: Services, manager: Actor, db_path: Path) -> None:
    services.rates.set_base_currency(currency="USD", by=manager)  # counting in dollars
    path = tmp_path / "a.csv"
    path.write_text('title,value,currency\nYuan,"¥1,234",\nYuan too,1234 RMB,\n'
                    'Dollars,"$1,234.50",\nPlain,99,\nSaid twice,¥5,CNY\n'
                    "Disagree,¥5,USD\nTwo signs,$5 RMB,\n", encoding="utf-8")
    report = services.imports.run("deals", path, ImportOptions(
        columns={"title": "title", "value": "value", "currency": "currency"},
        skip_bad_rows=True), by=manager)
    assert [(e.record, e.column, e.reason) for e in report.errors] == [
        (6, "value", "currency_mismatch"), (7, "value", "currency_mismatch")]
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("SELECT title, value, currency FROM deals WHERE external_id = '' "
                            "AND title IN ('Yuan', 'Yuan too', 'Dollars', 'Plain', "
                            "'Said twice') ORDER BY id").fetchall() == [
            ("Yuan", 123400, "CNY"), ("Yuan too", 123400, "CNY"),
            ("Dollars", 123450, "USD"), ("Plain", 9900, "USD"), ("Said twice", 500, "CNY")]


def test_a_deals_file_imported_twice_makes_nothing_twice(
        tmp_path: Path, services: Services, manager: Actor, db_path: Path) -> None:
    stages = list(pipeline_stages(db_path).values())
    path = tmp_path / "a.csv"
    path.write_text(f"external_id,title,stage\nX1,Kiosks,{stages[0]}\nX2,Vans,{stages[0]}\n"
                    f"x1,Kiosks again,{stages[0]}\n", encoding="utf-8")
    options = ImportOptions(columns={"external_id": "external_id", "title": "title",
                                     "stage": "stage"}, skip_bad_rows=True)
    first = services.imports.run("deals", path, options, by=manager)
    assert (first.created, [(e.record, e.reason) for e in first.errors]) == (
        2, [(3, "duplicate")])
    again = services.imports.run("deals", path, options, by=manager)
    assert again.created == 0
    assert [e.reason for e in again.errors] == ["duplicate"] * 3
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("SELECT count(*) FROM deals").fetchone() == (2,)


def test_hubspots_own_stage_names_map_with_their_dates_entered(
        tmp_path: Path, db_path: Path) -> None:
    stages = list(pipeline_stages(db_path).values())
    path = tmp_path / "hs.csv"
    path.write_text('Record ID,Deal Name,Deal Stage,Create Date,'
                    'Date entered "Qualified To Buy (Sales Pipeline)"\n'
                    "201,CRM seats,Qualified To Buy,2026-02-01,2026-02-10\n", encoding="utf-8")
    assert main(["--db", str(db_path), "import", "deals", str(path),
                 "--stage", f"Qualified To Buy={stages[1]}"]) == 0
    assert history(db_path, "201") == [(stages[0], "2026-02-01"), (stages[1], "2026-02-10")]


@pytest.mark.parametrize(("option", "said"), [
    (["--stage", "Qualified=No such stage"], "has no stage “No such stage”"),
    (["--column", "entered:Nowhere=Create Date"], "has no stage “Nowhere”"),
    (["--date-format", "nonsense"], "“nonsense” is no date format"),
    (["--report", "/nonexistent/folder/r.json"], "cannot write the report"),
])
def test_options_that_cannot_work_are_refused_before_anything_is_written(
        tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str],
        option: list[str], said: str) -> None:
    path = tmp_path / "d.csv"
    path.write_text("Deal Name,Create Date\nKiosks,2026-02-01\n", encoding="utf-8")
    assert main(["--db", str(db_path), "import", "deals", str(path), *option]) == 1
    assert said in capsys.readouterr().err
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("SELECT count(*) FROM deals").fetchone() == (0,)


def test_a_rows_report_names_each_of_its_problems_not_only_the_first(
        tmp_path: Path, services: Services, manager: Actor) -> None:
    path = tmp_path / "d.csv"
    path.write_text("title,stage,created_at,value,currency\n"
                    "Kiosks,Nowhere,31/31/2026,,\n"  # an unknown stage and a bad date
                    ",Nowhere,,12.345,\n"  # no title, an unknown stage, three decimals
                    "Vans,Somewhere,,5,XX\n", encoding="utf-8")
    report = services.imports.run("deals", path, ImportOptions(
        columns={n: n for n in ("title", "stage", "created_at", "value", "currency")}),
        by=manager)
    assert sorted((e.record, e.column, e.reason) for e in report.errors) == [
        (1, "created_at", "bad_date"), (1, "stage", "unknown_stage"),
        (2, "stage", "unknown_stage"), (2, "title", "required"),
        (2, "value", "too_many_decimals"),
        (3, "currency", "unknown_currency"), (3, "stage", "unknown_stage")]
    assert (report.failed, report.created) == (3, 0)


def test_a_won_deal_of_a_file_with_no_close_date_column_is_refused_at_the_close_date(
        tmp_path: Path, services: Services, manager: Actor) -> None:
    """The error names the field the row lacks as the user knows it, not by its code."""
    path = tmp_path / "pd.csv"
    path.write_text("Deal - Title,Deal - Value,Deal - Status\nBig deal,100,won\n",
                    encoding="utf-8")
    table = services.imports.read(path)
    options = ImportOptions(columns=services.imports.suggest("deals", table.headers))
    report = services.imports.run("deals", table, options, by=manager)
    assert [(e.column, e.reason) for e in report.errors] == [("Close date", "required")]
    i18n.set_language("zh_CN")
    report = services.imports.run("deals", table, options, by=manager)
    assert [(e.column, e.reason) for e in report.errors] == [
        (i18n._("Close date"), "required")]
    assert report.errors[0].column != "Close date"


@pytest.mark.parametrize(("headers", "crm"), [
    (("Record ID", "Deal Name", "Deal Stage", "Amount", "Close Date", "Pipeline"), "HubSpot"),
    (("Deal Name", 'Date entered "Won (Sales Pipeline)"'), "HubSpot"),
    (("Deal - Title", "Deal - Value", "Deal - Status"), "Pipedrive"),
    (("Opportunity ID", "Opportunity Name", "Account Name", "Stage"), "Salesforce"),
    (("商机名称", "阶段", "金额"), None),
    # a team's own files, with headers such CRMs also use
    (("Deal Name", "Value"), None),
    (("Deal name", "Pipeline", "Value", "Owner"), None),
    (("Deal Name", "Deal Stage", "Amount"), None),
    (("Opportunity name", "Value", "Stage"), None),
])
def test_the_crm_a_deals_export_comes_from_is_told_by_its_headers(
        services: Services, headers: tuple[str, ...], crm: str | None) -> None:
    assert services.imports.export_source("deals", headers) == crm
    assert services.imports.export_source("contacts", headers) is None
