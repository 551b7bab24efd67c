"""The import wizard with deals: the stages step maps the file's stage values onto the
pipeline's stages (HubSpot's Closed Won by itself, a team's own words by hand) and reads
the "date entered" columns, from which each deal's stage history is built."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.ui.customers.import_choices import CHOICE
from funneldesk.ui.customers.import_wizard import ImportWizard


@pytest.fixture
def wizard(qtbot: QtBot, services: Services, manager: Actor) -> Iterator[ImportWizard]:
    wiz = ImportWizard(services, manager, "deals")
    qtbot.addWidget(wiz)
    wiz.show()
    yield wiz
    wiz.runner.cancel()


def stage_names(db_path: Path) -> list[str]:
    with closing(sqlite3.connect(db_path)) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM stages WHERE pipeline_id = "
                                           "(SELECT min(id) FROM pipelines) ORDER BY position")]


def history(db_path: Path, title: str) -> list[tuple[str, str]]:
    """The stages a deal went through, by its title, with the day of each move."""
    with closing(sqlite3.connect(db_path)) as conn:
        return [(r[0], r[1][:10]) for r in conn.execute(
            "SELECT s.name, c.at FROM stage_changes c JOIN stages s ON s.id = c.to_stage_id "
            "JOIN deals d ON d.id = c.deal_id WHERE d.title = ? ORDER BY c.at, c.id",
            (title,))]


def test_stage_values_are_mapped_and_dates_entered_build_the_history(
        qtbot: QtBot, wizard: ImportWizard, tmp_path: Path, db_path: Path) -> None:
    stages = stage_names(db_path)
    second = stages[1]
    path = tmp_path / "deals.csv"
    path.write_text(
        "Deal Name,Deal Stage,Amount,Create Date,Close Date,"
        f'Date entered "{second} (Sales Pipeline)"\n'
        "ERP rollout,Closed Won,12500,2026-03-01,2026-05-20,2026-03-10\n"
        "CRM seats,Talking,800,2026-02-01,,2026-02-10\n"
        "Kiosks,Talking,300,2026-02-03,,\n", encoding="utf-8")
    wizard.file_page.load(path)
    qtbot.waitUntil(wizard.file_page.isComplete, timeout=10000)
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    assert wizard.mapping_page.model.columns()["stage"] == "Deal Stage"
    wizard.next()
    page = wizard.stages_page
    assert wizard.currentPage() is page
    values = page.values
    assert [k for k, _n in values.keys] == ["Talking", "Closed Won"]  # the most rows first
    assert values.chosen[1] is not None  # Closed Won goes to the won stage by its name
    assert values.chosen[0] is None
    assert "Talking" in page.note.text()  # the rows it would refuse, said before the run
    # the date column suggested for its stage, with its first values beside it
    row = [k for k, _d in page.dates.keys].index(second)
    assert page.dates.chosen[row] == f'Date entered "{second} (Sales Pipeline)"'
    assert page.dates.keys[row][1].startswith("2026-03-10")

    assert values.setData(values.index(0, CHOICE), second)  # the team's word for it
    assert page.note.text() == ""
    wizard.next()
    assert wizard.currentPage() is wizard.preview_page
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.dry_run_page.running, timeout=20000)
    assert wizard.dry_run_page.view.errors.rowCount() == 0
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.import_page.running, timeout=20000)
    assert wizard.import_page.view.verdict.text() == "The import is done."

    assert history(db_path, "CRM seats") == [(stages[0], "2026-02-01"), (second, "2026-02-10")]
    assert history(db_path, "Kiosks")[-1][0] == second
    with closing(sqlite3.connect(db_path)) as conn:
        kind = conn.execute("SELECT s.kind FROM deals d JOIN stages s ON s.id = d.stage_id "
                            "WHERE d.title = 'ERP rollout'").fetchone()[0]
    assert kind == "WON"


def test_companies_skip_the_stages_step(qtbot: QtBot, services: Services, manager: Actor,
                                        tmp_path: Path) -> None:
    wiz = ImportWizard(services, manager, "companies")
    qtbot.addWidget(wiz)
    wiz.show()
    path = tmp_path / "c.csv"
    path.write_text("name,city\n星辰科技,北京\n", encoding="utf-8")
    wiz.file_page.load(path)
    qtbot.waitUntil(wiz.file_page.isComplete, timeout=10000)
    wiz.next()
    wiz.next()
    assert wiz.currentPage() is wiz.preview_page
    wiz.runner.cancel()


def test_the_pipeline_chosen_is_the_one_imported_into_even_when_two_share_a_name(
        qtbot: QtBot, wizard: ImportWizard, services: Services, manager: Actor,
        tmp_path: Path, db_path: Path) -> None:
    first = services.board.pipelines()[0]
    second = services.pipelines.create_pipeline(name=first[1], by=manager)
    path = tmp_path / "deals.csv"  # no stage column; a column with a blank header
    path.write_text("Deal Name,Amount,\nKiosks,300,Talking\nSeats,200,Lunch\n",
                    encoding="utf-8")
    wizard.file_page.load(path)
    qtbot.waitUntil(wizard.file_page.isComplete, timeout=10000)
    wizard.next()
    wizard.next()
    page = wizard.stages_page
    assert page.values.rowCount() == 0
    assert page.note.text() == ""  # no stage column: nothing to refuse
    page.pipeline.setCurrentIndex(page.pipeline.findData(second))
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.dry_run_page.running, timeout=20000)
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.import_page.running, timeout=20000)
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("SELECT DISTINCT pipeline_id FROM deals").fetchall() == [(second,)]


def test_a_stage_matched_by_hand_brings_its_date_entered_column(
        qtbot: QtBot, wizard: ImportWizard, tmp_path: Path, db_path: Path) -> None:
    """HubSpot names the dates by its own stage: once "Qualified To Buy" is matched to a
    stage of ours, its column gives that stage's dates."""
    second = stage_names(db_path)[1]
    path = tmp_path / "deals.csv"
    path.write_text(
        "Deal Name,Deal Stage,Create Date,"
        'Date entered "Qualified To Buy (Sales Pipeline)"\n'
        "CRM seats,Qualified To Buy,2026-02-01,2026-02-10\n", encoding="utf-8")
    wizard.file_page.load(path)
    qtbot.waitUntil(wizard.file_page.isComplete, timeout=10000)
    wizard.next()
    wizard.next()
    page = wizard.stages_page
    row = [k for k, _d in page.dates.keys].index(second)
    assert page.dates.chosen[row] is None
    assert page.values.setData(page.values.index(0, CHOICE), second)
    assert page.dates.chosen[row] == 'Date entered "Qualified To Buy (Sales Pipeline)"'
    assert page.entered() == {second: 'Date entered "Qualified To Buy (Sales Pipeline)"'}


def test_rows_their_status_decides_are_not_warned_about(
        qtbot: QtBot, wizard: ImportWizard, tmp_path: Path) -> None:
    """Pipedrive's won and lost rows keep the stage they closed in, which needs no
    matching: their status decides."""
    path = tmp_path / "pipedrive.csv"
    path.write_text("Deal - Title,Deal - Stage,Deal - Status,Deal - Won time\n"
                    "ERP,Negotiations Started,won,2026-03-01\n"
                    "CRM,Proposal Made,open,\n", encoding="utf-8")
    wizard.file_page.load(path)
    qtbot.waitUntil(wizard.file_page.isComplete, timeout=10000)
    wizard.next()
    assert wizard.mapping_page.model.columns()["status"] == "Deal - Status"
    assert "a deals export of Pipedrive" in wizard.mapping_page.subTitle()
    wizard.next()
    page = wizard.stages_page
    assert [k for k, _n in page.values.keys] == ["Proposal Made"]
    assert "Negotiations Started" not in page.note.text()
    assert "Proposal Made" in page.note.text()


def test_a_deals_file_opened_for_contacts_switches_the_import_to_deals(
        qtbot: QtBot, services: Services, manager: Actor, tmp_path: Path) -> None:
    wiz = ImportWizard(services, manager, "contacts")  # as File ▸ Import… on Customers
    qtbot.addWidget(wiz)
    wiz.show()
    path = tmp_path / "hubspot.csv"
    path.write_text("Deal Name,Deal Stage,Amount,Close Date,Create Date,Deal owner\n"
                    "ERP rollout,Closed Won,12500,2026-05-20,2026-03-01,Amy Lee\n",
                    encoding="utf-8")
    wiz.file_page.load(path)
    qtbot.waitUntil(wiz.file_page.isComplete, timeout=10000)
    assert wiz.file_page.kind_code() == "deals"
    assert wiz.file_page.note.isVisibleTo(wiz)
    assert wiz.file_page.note.text() == (
        "The file's columns match 6 fields of Deals, so Import is set to Deals.")
    # a contact list names company fields too (7 to 6): a close call stays contacts
    people = tmp_path / "people.csv"
    people.write_text("Name,Phone,Email,Owner,Source,Tags,City\n"
                      "Wang Fang,13812345678,wf@x.cn,Amy Lee,Website,VIP,Beijing\n",
                      encoding="utf-8")
    wiz.file_page.kind.setCurrentIndex(wiz.file_page.kind.findData("contacts"))
    wiz.file_page.load(people)
    qtbot.waitUntil(wiz.file_page.isComplete, timeout=10000)
    assert wiz.file_page.kind_code() == "contacts"
    assert not wiz.file_page.note.isVisibleTo(wiz)
    # a kind the user chose stays, whatever the file
    companies = wiz.file_page.kind.findData("companies")
    wiz.file_page.kind.setCurrentIndex(companies)
    wiz.file_page.kind.activated.emit(companies)  # as a click on the choice
    wiz.file_page.load(path)
    qtbot.waitUntil(wiz.file_page.isComplete, timeout=10000)
    assert wiz.file_page.kind_code() == "companies"
