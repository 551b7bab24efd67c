"""Criteria are part of the deal: ticks change its version, are saved with the deal form's
fields in one call, and a move can tick what it still needs; "can this move?" says what
is missing before anything is asked."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from funneldesk.errors import CriteriaNotMet, InvalidInput, StaleEdit
from funneldesk.services import Services
from funneldesk.services.dto import Actor, CriterionKind
from tests.helpers import make_deal, stage, tick_all, version


def ticked(services: Services, deal_id: int) -> dict[str, bool]:
    return {i.criterion.label: i.checked for i in services.deals.detail(deal_id).checklist}


def test_ticking_changes_the_deal_version_and_a_stale_tick_is_refused(
        services: Services, manager: Actor, rep: Actor) -> None:
    card = make_deal(services, rep)  # the rep's own deal; a manager may change it too
    first, second = stage(services, "Initial contact").criteria[:2]
    new_version = services.deals.set_criterion(deal_id=card.id, criterion_id=first.id,
                                               checked=True, by=rep, expected_version=card.version)
    assert new_version == card.version + 1 == version(services, card.id)
    with pytest.raises(StaleEdit) as refused:  # the caller still shows the old version
        services.deals.set_criterion(deal_id=card.id, criterion_id=second.id, checked=True,
                                     by=manager, expected_version=card.version)
    assert refused.value.changed_by == "Rita Rep"
    assert not ticked(services, card.id)[second.label]
    with pytest.raises(StaleEdit):  # a move planned before the tick is stale too
        services.moves.move_deal(deal_id=card.id, to_stage_id=stage(services, "Lost").id,
                                 before_id=None, expected_version=card.version, by=manager,
                                 lost_reason_text="gone")


def test_the_form_saves_fields_and_ticks_in_one_call_with_one_version_step(
        services: Services, manager: Actor) -> None:
    card = make_deal(services, manager)
    detail = services.deals.detail(card.id)
    first, second = (i.criterion for i in detail.checklist[:2])
    result = services.deals.update(deal_id=card.id, expected_version=detail.version,
                                   fields=replace(detail.fields, title="Phase 2"),
                                   ticks={first.id: True, second.id: True}, by=manager)
    assert result.card.version == detail.version + 1
    assert result.card.title == "Phase 2"
    assert ticked(services, card.id) == {first.label: True, second.label: True}
    assert dict(result.previous_ticks) == {first.id: False, second.id: False}
    # a refused save keeps neither the fields nor the ticks
    with pytest.raises(InvalidInput):
        services.deals.update(deal_id=card.id, expected_version=result.card.version,
                              fields=replace(detail.fields, title=" "),
                              ticks={first.id: False}, by=manager)
    assert ticked(services, card.id)[first.label]
    assert version(services, card.id) == result.card.version


def test_a_criterion_of_another_pipeline_cannot_be_ticked(
        services: Services, manager: Actor) -> None:
    card = make_deal(services, manager)
    other = services.pipelines.create_pipeline(name="Service contracts", by=manager)
    foreign = next(c for s in services.pipelines.pipeline(other).stages for c in s.criteria)
    with pytest.raises(InvalidInput):
        services.deals.update(deal_id=card.id, expected_version=card.version,
                              fields=services.deals.detail(card.id).fields,
                              ticks={foreign.id: True}, by=manager)


def test_can_move_names_what_is_missing_split_into_exit_and_entry_with_stages(
        services: Services, manager: Actor) -> None:
    card = make_deal(services, manager)
    proposal = stage(services, "Proposal")
    tick_all(services, manager, card.id, "Initial contact")
    check = services.moves.can_move(deal_id=card.id, to_stage_id=proposal.id)
    assert not check.allowed
    assert check.target_stage == "Proposal"
    assert [(m.criterion.label, m.stage_name) for m in check.exit] == [
        ("Budget confirmed", "Needs analysis"), ("Decision maker identified", "Needs analysis")]
    assert [(m.criterion.label, m.stage_name) for m in check.entry] == [
        ("Requirements written down", "Proposal")]
    assert {m.criterion.kind for m in check.exit} == {CriterionKind.EXIT}
    assert services.moves.can_move(deal_id=card.id,
                                   to_stage_id=stage(services, "Needs analysis").id).allowed
    assert services.moves.can_move(deal_id=card.id, to_stage_id=stage(services, "Lost").id).allowed
    with pytest.raises(StaleEdit):
        services.moves.can_move(deal_id=card.id, to_stage_id=proposal.id,
                                expected_version=card.version)


def test_a_move_can_tick_what_it_needs_in_the_same_transaction(
        services: Services, manager: Actor, rep: Actor) -> None:
    card = make_deal(services, rep, stage_name="Negotiation")
    won = stage(services, "Won")
    needed = services.moves.can_move(deal_id=card.id, to_stage_id=won.id)
    ids = [m.criterion.id for m in needed.exit + needed.entry]
    with pytest.raises(CriteriaNotMet):  # ticking only part of it moves and ticks nothing
        services.moves.move_deal(deal_id=card.id, to_stage_id=won.id, before_id=None,
                                 expected_version=card.version, by=rep, won_on=dt.date.today(),
                                 final_value=Decimal(10), tick_criteria=ids[:-1])
    assert not any(ticked(services, card.id).values())
    moved = services.moves.move_deal(deal_id=card.id, to_stage_id=won.id, before_id=None,
                                     expected_version=card.version, by=rep,
                                     won_on=dt.date.today(), final_value=Decimal(10),
                                     tick_criteria=ids)
    assert moved.card.stage_id == won.id
    assert moved.card.version == card.version + 1
    assert len(ids) == 2
    reopened = services.moves.move_deal(deal_id=card.id, to_stage_id=card.stage_id,
                                        before_id=None, expected_version=moved.card.version,
                                        by=manager)
    checklist = services.deals.detail(reopened.card.id).checklist
    assert [(i.criterion.label, i.checked, i.checked_by) for i in checklist] == [
        ("Price and terms agreed", True, "Rita Rep")]


def test_a_new_deal_cannot_start_as_won_or_lost(services: Services, manager: Actor) -> None:
    for name in ("Won", "Lost"):
        with pytest.raises(InvalidInput) as refused:
            make_deal(services, manager, stage_name=name)
        assert refused.value.field == "stage"
        assert "won or lost" in refused.value.message()
    assert services.board.deal_count() == 0


def test_undoing_a_move_that_ticked_criteria_unticks_only_those(
        services: Services, manager: Actor) -> None:
    card = make_deal(services, manager)
    first, second = stage(services, "Initial contact").criteria[:2]
    already = services.deals.set_criterion(deal_id=card.id, criterion_id=first.id,
                                           checked=True, by=manager,
                                           expected_version=card.version)
    moved = services.moves.move_deal(deal_id=card.id,
                                     to_stage_id=stage(services, "Needs analysis").id,
                                     before_id=None, expected_version=already, by=manager,
                                     tick_criteria=[first.id, second.id])
    assert moved.ticked == (second.id,)  # the first was ticked before the move
    assert moved.card.version == already + 1  # one change, one version step
    reverted = services.moves.revert_move(
        deal_id=card.id, before=moved.before, change_id=moved.change_id,
        expected_version=moved.card.version, by=manager, untick=moved.ticked)
    assert ticked(services, card.id) == {first.label: True, second.label: False}
    # so an undo's version follows from the one before it (the window's undo relies on it)
    assert reverted.card.version == moved.card.version + 1
