"""Sample data: realistic, deterministic for a seed, in the chosen language."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from funneldesk import i18n
from funneldesk.db import open_database
from funneldesk.errors import InvalidInput
from funneldesk.services import Services
from funneldesk.services.dto import Actor, StageKind

TODAY = dt.date(2026, 11, 30)


def generate(path: Path, lang: str, seed: int) -> list[tuple[str, str, str]]:
    i18n.set_language(lang)
    db = open_database(path)
    services = Services.for_database(db)
    me = services.users.current("demo-owner")
    services.demo.generate(deals=120, seed=seed, by=me, today=TODAY)
    board = services.board.load(services.board.pipelines()[0][0], include_closed=True)
    db.close()
    return [(c.title, c.company, str(c.value)) for c in board.cards]


def test_same_seed_same_data_and_another_seed_differs(tmp_path: Path) -> None:
    first = generate(tmp_path / "a.db", "en", 7)
    assert first == generate(tmp_path / "b.db", "en", 7)
    assert first != generate(tmp_path / "c.db", "en", 8)


def test_chinese_sample_data_has_chinese_stages_and_companies(tmp_path: Path) -> None:
    cards = generate(tmp_path / "zh.db", "zh_CN", 1)
    assert any(company.endswith("有限公司") for _t, company, _v in cards)
    db = open_database(tmp_path / "zh.db")
    names = [s.name for s in Services.for_database(db).pipelines.pipeline(1).stages]
    db.close()
    assert names[:2] == ["初步接触", "需求分析"]


def test_deals_spread_over_stages_with_history_and_outcomes(services: Services,
                                                            manager: Actor) -> None:
    services.demo.generate(deals=300, seed=3, by=manager, today=TODAY)
    board = services.board.load(1, include_closed=True)
    assert len(board.cards) == 300
    kinds = {s.id: s.kind for s in board.pipeline.stages}
    counts = {k: sum(1 for c in board.cards if kinds[c.stage_id] is k) for k in StageKind}
    assert counts[StageKind.OPEN] > 200
    assert counts[StageKind.WON] > 5
    assert counts[StageKind.LOST] > 5
    assert len({c.stage_id for c in board.cards}) == 7
    oldest = min(services.deals.detail(c.id).created_at for c in board.cards[:50])
    assert oldest.date() >= TODAY - dt.timedelta(days=366)
    won = next(c for c in board.cards if kinds[c.stage_id] is StageKind.WON)
    assert [h.to_stage for h in services.deals.detail(won.id).history][-1] == "Won"


def test_demo_refuses_a_database_with_deals_unless_appending(services: Services,
                                                             manager: Actor) -> None:
    services.demo.generate(deals=10, seed=1, by=manager)
    with pytest.raises(InvalidInput):
        services.demo.generate(deals=10, seed=1, by=manager)
    services.demo.generate(deals=10, seed=2, by=manager, append=True)
    assert services.board.deal_count() == 20


def test_demo_with_no_deals_fills_only_customers(services: Services, manager: Actor,
                                                db_path: Path) -> None:
    summary = services.demo.generate(deals=0, seed=1, by=manager)
    assert summary.deals == 0
    assert summary.companies > 0
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("SELECT count(*) FROM deals").fetchone() == (0,)


def test_the_sample_has_activities_planned_overdue_and_done_with_outcomes(
        services: Services, manager: Actor, db_path: Path) -> None:
    services.demo.generate(deals=200, seed=4, by=manager, today=TODAY)
    with closing(sqlite3.connect(db_path)) as conn:
        planned = conn.execute(
            "SELECT a.kind, a.title, a.due_on, a.due_at FROM activities a JOIN deals d "
            "ON d.id = a.deal_id WHERE a.state = 'PLANNED' AND a.assignee_id = d.owner_id "
            # a contract's collections and return visits are no next steps
            "AND a.id NOT IN (SELECT activity_id FROM return_visits) AND a.id NOT IN "
            "(SELECT reminder_activity_id FROM contract_milestones "
            "WHERE reminder_activity_id IS NOT NULL)").fetchall()
        done = conn.execute("SELECT kind, outcome, closed_at FROM activities "
                            "WHERE state = 'DONE'").fetchall()
        open_with_step = conn.execute(
            "SELECT count(*) FROM deals d JOIN stages s ON s.id = d.stage_id "
            "WHERE d.next_step != '' AND s.kind = 'OPEN'").fetchone()[0]
    assert len(planned) == open_with_step  # each open deal's next step, its owner's
    assert {kind for kind, *_rest in planned} >= {"CALL", "DEMO", "EMAIL", "MEETING", "VISIT"}
    assert any(day < TODAY.isoformat() for _k, _t, day, _at in planned)  # some overdue
    assert any(at is not None for *_rest, at in planned)  # some at a time of day
    assert len(done) > 100
    assert all(outcome for _k, outcome, _at in done)  # each says what came of it
    assert len({kind for kind, _o, _at in done}) >= 5
    assert all(at[:10] <= TODAY.isoformat() for *_rest, at in done)  # none done in the future


def test_the_sample_has_deal_teams_with_their_tasks_and_notes_and_some_deals_overdue(
        services: Services, manager: Actor, db_path: Path) -> None:
    services.demo.generate(deals=200, seed=4, by=manager, today=TODAY)
    with closing(sqlite3.connect(db_path)) as conn:
        members = conn.execute("SELECT m.deal_id, m.role, u.login FROM deal_members m "
                               "JOIN users u ON u.id = m.user_id").fetchall()
        notes = conn.execute("SELECT body, created_at FROM deal_notes").fetchall()
        tasks = conn.execute(
            "SELECT a.due_on FROM activities a JOIN deal_members m ON m.deal_id = a.deal_id "
            "AND m.user_id = a.assignee_id WHERE a.state = 'PLANNED'").fetchall()
        past_due = conn.execute(
            "SELECT count(*) FROM deals d JOIN stages s ON s.id = d.stage_id "
            "WHERE s.kind = 'OPEN' AND d.expected_close < ?", (TODAY.isoformat(),)).fetchone()[0]
    assert len({deal for deal, *_rest in members}) > 30
    assert {role for _d, role, _l in members} >= {"TECH_SUPPORT", "FINANCE", "LEGAL"}
    assert all(login.startswith("demo-colleague-") for *_rest, login in members)
    assert len(notes) > 20
    assert all(at[:10] <= TODAY.isoformat() for _b, at in notes)
    assert len(tasks) > 20
    assert any(day < TODAY.isoformat() for (day,) in tasks)
    assert past_due > 5  # for the review view to find


def test_the_sample_has_follow_up_plans_on_open_deals_and_stages_that_propose(
        services: Services, manager: Actor, db_path: Path) -> None:
    services.demo.generate(deals=200, seed=4, by=manager, today=TODAY)
    with closing(sqlite3.connect(db_path)) as conn:
        plans = conn.execute(
            "SELECT s.kind, p.every_kind, p.every_days, p.goal, p.budget FROM follow_up_plans p "
            "JOIN deals d ON d.id = p.deal_id JOIN stages s ON s.id = d.stage_id").fetchall()
        open_deals = conn.execute("SELECT count(*) FROM deals d JOIN stages s ON "
                                  "s.id = d.stage_id WHERE s.kind = 'OPEN'").fetchone()[0]
    assert open_deals / 4 < len(plans) < open_deals  # about half of them
    assert {kind for kind, *_rest in plans} == {"OPEN"}
    assert all(kind and days and goal for _s, kind, days, goal, _b in plans)
    assert any(budget is not None for *_rest, budget in plans)
    first = services.board.load(services.board.pipelines()[0][0]).pipeline.stages[0]
    assert services.follow_ups.stage_steps(first.id)  # a new database's stages propose


def test_the_sample_has_contracts_in_every_state_with_money_commitments_and_visits(
        services: Services, manager: Actor) -> None:
    from funneldesk.enums import ContractState

    services.demo.generate(deals=400, seed=7, by=manager, today=TODAY)
    contracts = services.contracts.all(viewer=manager)
    assert {c.state for c in contracts} == set(ContractState)
    signed = [c for c in contracts if c.signed_on is not None]
    assert all(c.signed_on <= TODAY for c in signed)
    assert any(c.received == c.amount for c in signed)
    assert any(0 < c.received < c.amount for c in signed)
    assert any(r.overdue_days for r in services.contracts.receivables(viewer=manager,
                                                                      today=TODAY))
    views = [services.contracts.get(c.id, viewer=manager) for c in signed]
    assert all(v.content.commitments.response_hours for v in views)
    # a deal is won for what its customer signed
    won = services.db.query(
        "SELECT d.won_value = c.amount FROM contracts c JOIN deals d ON d.id = c.deal_id "
        "WHERE c.signed_on IS NOT NULL AND d.currency = c.currency")
    assert won
    assert all(same for (same,) in won)
    # a won deal's next step is what is left after the sale: money to collect, a visit
    after_sales = services.db.query(
        "SELECT count(*) FROM deals d JOIN activities a ON a.deal_id = d.id "
        "AND a.title = d.next_step WHERE a.state = 'PLANNED' AND (a.id IN "
        "(SELECT reminder_activity_id FROM contract_milestones) OR a.id IN "
        "(SELECT activity_id FROM return_visits))")[0][0]
    assert after_sales > 0
    # the warranty clause and the commitment name the same period
    assert all(f"{v.content.commitments.warranty_months} months" in v.content.warranty_terms
               for v in views)
    assert {p.method for v in views for m in v.milestones for p in m.payments} <= {
        "Bank transfer", "Cheque"}  # what the payment form offers
    visits = [visit for v in views for visit in v.visits]
    assert any(v.satisfaction is not None for v in visits)
    assert any(v.follow_up_needed for v in visits)
    assert any(c.confidentiality.value == "confidential" for c in contracts)
    # numbered in the order they were signed, as a team's contracts are
    signed_in_order = [c.signed_on for c in sorted(signed, key=lambda c: c.number)]
    assert signed_in_order == sorted(signed_in_order)
