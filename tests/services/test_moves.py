"""Moving deals: stage criteria, outcomes, history, optimistic locking and undo."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from funneldesk.db import Database
from funneldesk.errors import CriteriaNotMet, InvalidInput, StaleEdit
from funneldesk.models import AuditEntry, StageChange
from funneldesk.services import Services
from funneldesk.services.dto import Actor
from tests.helpers import make_deal, stage, tick_all, version


def changes_of(db: Database, deal_id: int) -> list[tuple[int | None, int, int | None]]:
    with db.session() as session:
        rows = session.execute(select(StageChange.from_stage_id, StageChange.to_stage_id,
                                      StageChange.reverts_id)
                               .where(StageChange.deal_id == deal_id).order_by(StageChange.id))
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_forward_move_is_refused_until_exit_criteria_are_ticked(
        services: Services, manager: Actor, db: Database) -> None:
    card = make_deal(services, manager)
    target = stage(services, "Needs analysis")
    with pytest.raises(CriteriaNotMet) as refused:
        services.moves.move_deal(deal_id=card.id, to_stage_id=target.id, before_id=None,
                                 expected_version=card.version, by=manager)
    assert refused.value.missing == ["Contact person confirmed", "Need expressed"]
    assert "Contact person confirmed" in refused.value.message()
    assert services.board.card(card.id).stage_id == card.stage_id  # type: ignore[union-attr]
    assert len(changes_of(db, card.id)) == 1  # only the creation

    tick_all(services, manager, card.id, "Initial contact")
    moved = services.moves.move_deal(deal_id=card.id, to_stage_id=target.id, before_id=None,
                                     expected_version=version(services, card.id), by=manager)
    assert moved.card.stage_id == target.id
    assert changes_of(db, card.id)[-1] == (card.stage_id, target.id, None)


def test_skipping_stages_needs_their_exit_and_the_target_entry_criteria(
        services: Services, manager: Actor) -> None:
    card = make_deal(services, manager)
    proposal = stage(services, "Proposal")
    tick_all(services, manager, card.id, "Initial contact")
    with pytest.raises(CriteriaNotMet) as refused:
        services.moves.move_deal(deal_id=card.id, to_stage_id=proposal.id, before_id=None,
                                 expected_version=version(services, card.id), by=manager)
    assert refused.value.missing == ["Budget confirmed", "Decision maker identified",
                                     "Requirements written down"]
    tick_all(services, manager, card.id, "Needs analysis", "Proposal")
    moved = services.moves.move_deal(deal_id=card.id, to_stage_id=proposal.id, before_id=None,
                                     expected_version=version(services, card.id), by=manager)
    assert moved.card.stage_id == proposal.id


def test_unticking_a_criterion_blocks_the_move_again(services: Services, manager: Actor) -> None:
    card = make_deal(services, manager)
    tick_all(services, manager, card.id, "Initial contact")
    first = stage(services, "Initial contact").criteria[0]
    services.deals.set_criterion(deal_id=card.id, criterion_id=first.id, checked=False, by=manager,
                                 expected_version=version(services, card.id))
    with pytest.raises(CriteriaNotMet) as refused:
        services.moves.move_deal(deal_id=card.id, to_stage_id=stage(services, "Needs analysis").id,
                                 before_id=None, expected_version=version(services, card.id), by=manager)
    assert refused.value.missing == [first.label]
    ticked = {i.criterion.id: i for i in services.deals.detail(card.id).checklist}
    assert not ticked[first.id].checked


def test_backward_moves_are_always_allowed_and_recorded(
        services: Services, manager: Actor, db: Database) -> None:
    card = make_deal(services, manager, stage_name="Negotiation")
    back = stage(services, "Initial contact")
    moved = services.moves.move_deal(deal_id=card.id, to_stage_id=back.id, before_id=None,
                                     expected_version=card.version, by=manager)
    assert moved.card.stage_id == back.id
    assert changes_of(db, card.id)[-1][:2] == (card.stage_id, back.id)


def test_lost_needs_a_reason_and_records_it(services: Services, manager: Actor) -> None:
    card = make_deal(services, manager)
    lost = stage(services, "Lost")
    with pytest.raises(InvalidInput):
        services.moves.move_deal(deal_id=card.id, to_stage_id=lost.id, before_id=None,
                                 expected_version=card.version, by=manager)
    reason_id, label = services.moves.lost_reasons()[0]
    moved = services.moves.move_deal(deal_id=card.id, to_stage_id=lost.id, before_id=None,
                                     expected_version=card.version, by=manager,
                                     lost_reason_id=reason_id, lost_reason_text="went cheaper")
    detail = services.deals.detail(moved.card.id)
    assert detail.stage_id == lost.id
    assert detail.lost_reason == f"{label} — went cheaper"
    assert detail.closed_on == dt.date.today()


def test_won_needs_close_date_and_final_value(services: Services, manager: Actor) -> None:
    card = make_deal(services, manager, stage_name="Contract")
    tick_all(services, manager, card.id, "Contract")
    won = stage(services, "Won")
    with pytest.raises(InvalidInput) as refused:
        services.moves.move_deal(deal_id=card.id, to_stage_id=won.id, before_id=None,
                                 expected_version=version(services, card.id), by=manager,
                                 won_on=dt.date.today() + dt.timedelta(days=3),
                                 final_value=Decimal(5))
    assert refused.value.field == "won_on"
    moved = services.moves.move_deal(deal_id=card.id, to_stage_id=won.id, before_id=None,
                                     expected_version=version(services, card.id), by=manager,
                                     won_on=dt.date(2026, 1, 5), final_value=Decimal("950.50"))
    assert moved.card.won_value == Decimal("950.50")
    assert services.deals.detail(card.id).closed_on == dt.date(2026, 1, 5)


def test_winning_keeps_the_estimate_and_the_history_keeps_before_and_after(
        services: Services, manager: Actor, db: Database) -> None:
    card = make_deal(services, manager, stage_name="Contract", value="1000")
    tick_all(services, manager, card.id, "Contract")
    moved = services.moves.move_deal(deal_id=card.id, to_stage_id=stage(services, "Won").id,
                                     before_id=None, expected_version=version(services, card.id),
                                     by=manager,
                                     won_on=dt.date(2026, 1, 5), final_value=Decimal("950.50"))
    assert moved.card.value == Decimal("1000.00")  # the estimate
    assert moved.card.won_value == Decimal("950.50")
    assert moved.card.amount == Decimal("950.50")
    with db.session() as session:
        change = session.get(StageChange, moved.change_id)
        assert change is not None
        assert json.loads(change.details) == {"closed_on": [None, "2026-01-05"],
                                              "won_value": [None, "950.50"]}
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "move")
                                .order_by(AuditEntry.id.desc())).first()
        assert entry is not None
        assert json.loads(entry.details)["won_value"] == [None, "950.50"]
    reverted = services.moves.revert_move(deal_id=card.id, before=moved.before,
                                          change_id=moved.change_id,
                                          expected_version=moved.card.version, by=manager)
    assert reverted.card.won_value is None
    assert reverted.card.value == Decimal("1000.00")
    with db.session() as session:
        undo = session.get(StageChange, reverted.change_id)
        assert undo is not None
        assert json.loads(undo.details)["won_value"] == ["950.50", None]


def test_reopening_a_closed_deal_is_allowed_and_clears_the_outcome(
        services: Services, manager: Actor, db: Database) -> None:
    card = make_deal(services, manager)
    lost = services.moves.move_deal(
        deal_id=card.id, to_stage_id=stage(services, "Lost").id, before_id=None,
        expected_version=card.version, by=manager, lost_reason_text="no answer")
    reopened = services.moves.move_deal(
        deal_id=card.id, to_stage_id=stage(services, "Proposal").id, before_id=None,
        expected_version=lost.card.version, by=manager)
    detail = services.deals.detail(reopened.card.id)
    assert detail.stage_name == "Proposal"
    assert detail.lost_reason == ""
    assert detail.closed_on is None
    assert len(changes_of(db, card.id)) == 3


def test_a_stale_move_is_refused_naming_who_changed_the_deal(
        services: Services, manager: Actor, rep: Actor) -> None:
    card = make_deal(services, rep)
    back = stage(services, "Initial contact")
    services.moves.move_deal(deal_id=card.id, to_stage_id=stage(services, "Lost").id,
                             before_id=None, expected_version=card.version, by=rep,
                             lost_reason_text="budget cut")
    with pytest.raises(StaleEdit) as refused:
        services.moves.move_deal(deal_id=card.id, to_stage_id=back.id, before_id=None,
                                 expected_version=card.version, by=manager)
    assert refused.value.changed_by == "Rita Rep"
    assert "Rita Rep" in refused.value.message()


def test_undo_adds_a_change_that_names_the_reverted_one_and_restores_the_card(
        services: Services, manager: Actor, db: Database) -> None:
    below = make_deal(services, manager, title="Below")
    card = make_deal(services, manager)  # on top of Below
    lost = services.moves.move_deal(
        deal_id=card.id, to_stage_id=stage(services, "Lost").id, before_id=None,
        expected_version=card.version, by=manager, lost_reason_text="no answer")
    back = services.moves.revert_move(deal_id=card.id, before=lost.before,
                                      change_id=lost.change_id,
                                      expected_version=lost.card.version, by=manager)
    assert back.card.stage_id == card.stage_id
    assert back.card.stage_entered_at == card.stage_entered_at
    below_now = services.board.card(below.id)
    assert below_now is not None
    assert back.card.position < below_now.position  # back above Below, where it was
    assert changes_of(db, card.id)[-1] == (lost.card.stage_id, card.stage_id, lost.change_id)
    assert services.deals.detail(card.id).lost_reason == ""


def test_reordering_within_a_column_persists_without_a_stage_change(
        services: Services, manager: Actor, db: Database) -> None:
    a = make_deal(services, manager, title="A")
    b = make_deal(services, manager, title="B")
    c = make_deal(services, manager, title="C")

    def order() -> list[str]:
        board = services.board.load(services.board.pipelines()[0][0])
        cards = sorted((x for x in board.cards if x.stage_id == a.stage_id),
                       key=lambda x: x.position)
        return [x.title for x in cards]

    assert order() == ["C", "B", "A"]  # new deals go on top
    moved = services.moves.move_deal(deal_id=a.id, to_stage_id=a.stage_id, before_id=c.id,
                                     expected_version=a.version, by=manager)
    assert moved.change_id is None
    assert order() == ["A", "C", "B"]
    services.moves.move_deal(deal_id=c.id, to_stage_id=c.stage_id, before_id=None,
                             expected_version=c.version, by=manager)
    assert order() == ["A", "B", "C"]
    assert len(changes_of(db, b.id)) == 1


def test_positions_renumber_when_gaps_run_out(services: Services, manager: Actor) -> None:
    a = make_deal(services, manager, title="A")
    b = make_deal(services, manager, title="B")
    version = {a.id: a.version, b.id: b.version}
    # squeeze A above B and back many times: halving the gap each time
    for _ in range(60):
        for mover, anchor in ((a, b), (b, a)):
            result = services.moves.move_deal(deal_id=mover.id, to_stage_id=a.stage_id,
                                              before_id=anchor.id,
                                              expected_version=version[mover.id], by=manager)
            version[mover.id] = result.card.version
    board = services.board.load(1)
    positions = sorted(c.position for c in board.cards)
    assert positions[1] - positions[0] >= 1e-6


def test_moves_write_the_audit_log(services: Services, manager: Actor, db: Database) -> None:
    from funneldesk.models import AuditEntry

    card = make_deal(services, manager)
    services.moves.move_deal(deal_id=card.id, to_stage_id=stage(services, "Lost").id,
                             before_id=None, expected_version=card.version, by=manager,
                             lost_reason_text="x")
    with db.session() as session:
        actions = session.scalars(select(AuditEntry.action).where(
                AuditEntry.entity == "deal", AuditEntry.entity_id == card.id))
        assert list(actions) == ["create", "move"]
        assert session.scalar(select(func.count()).select_from(StageChange)) == 2
