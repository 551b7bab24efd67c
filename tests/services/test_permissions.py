"""Rules live in the services: a rep is refused inside the service, and nothing changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from funneldesk.errors import InvalidInput, NotAllowed
from funneldesk.services import Services
from funneldesk.services.dto import Actor, CriterionKind
from tests.helpers import make_deal, pipeline, snapshot, stage, tick_all, version

Call = Callable[[Services, Actor], object]


def _first_open(s: Services) -> int:
    return stage(s, "Initial contact").id


MANAGER_ONLY: dict[str, Call] = {
    "create pipeline": lambda s, by: s.pipelines.create_pipeline(name="Renewals", by=by),
    "rename pipeline": lambda s, by: s.pipelines.rename_pipeline(
        pipeline_id=pipeline(s).id, name="Mine", by=by),
    "add stage": lambda s, by: s.pipelines.add_stage(pipeline_id=pipeline(s).id, name="Demo",
                                                     by=by),
    "update stage": lambda s, by: s.pipelines.update_stage(
        stage_id=_first_open(s), name="First", probability=5, rot_days=3, guidance="", by=by),
    "reorder stages": lambda s, by: s.pipelines.reorder_stages(
        pipeline_id=pipeline(s).id,
        open_stage_ids=[x.id for x in pipeline(s).stages if x.is_open][::-1], by=by),
    "delete stage": lambda s, by: s.pipelines.delete_stage(
        stage_id=stage(s, "Negotiation").id, by=by),
    "add criterion": lambda s, by: s.pipelines.add_criterion(
        stage_id=_first_open(s), kind=CriterionKind.EXIT, label="Called back", by=by),
    "remove criterion": lambda s, by: s.pipelines.remove_criterion(
        criterion_id=stage(s, "Initial contact").criteria[0].id, by=by),
    "load sample data": lambda s, by: s.demo.generate(deals=5, seed=1, by=by, append=True),
    "remove sample data": lambda s, by: s.sample_data.remove(by=by),
    "empty the Trash": lambda s, by: s.trash.empty(
        deal_ids=[d.id for d in s.trash.deals()], by=by),
    "set the Trash period": lambda s, by: s.trash.set_keep_days(days=7, by=by),
    "set a rate": lambda s, by: s.rates.set_rate(currency="GBP", rate=Decimal("1.27"), by=by),
    "remove a rate": lambda s, by: s.rates.remove_rate(currency="EUR", by=by),
    "change rates together": lambda s, by: s.rates.update(
        changes={"GBP": Decimal("1.27"), "EUR": None}, by=by),
    "set the base currency": lambda s, by: s.rates.set_base_currency(currency="CNY", by=by),
}
NEEDS_NO_DEALS = {"set the base currency"}  # refused for everyone once a deal exists


@pytest.mark.parametrize(("name", "call"), MANAGER_ONLY.items(), ids=MANAGER_ONLY.keys())
def test_each_manager_only_service_refuses_a_rep_and_changes_nothing(
        services: Services, manager: Actor, rep: Actor, db_path: Path, name: str,
        call: Call) -> None:
    if name not in NEEDS_NO_DEALS:
        services.demo.generate(deals=6, seed=2, by=manager)  # something to remove or purge
        card = make_deal(services, manager, title="Binned")
        services.trash.delete(deal_id=card.id, expected_version=card.version, by=manager)
    before = snapshot(db_path)
    with pytest.raises(NotAllowed):
        call(services, rep)
    assert snapshot(db_path) == before
    call(services, manager)  # the same call goes through for a manager
    assert snapshot(db_path) != before


def test_a_separate_sample_database_is_a_managers_call(
        services: Services, rep: Actor, tmp_path: Path) -> None:
    target = tmp_path / "samples.db"
    with pytest.raises(NotAllowed):
        services.sample_data.create_separate(path=target, deals=5, seed=1, by=rep)
    assert not target.exists()


def _theirs(services: Services, manager: Actor, rep: Actor) -> dict[str, Call]:
    card = make_deal(services, manager, title="Manager's deal")
    tick_all(services, manager, card.id, "Initial contact")
    moved = services.moves.move_deal(deal_id=card.id, to_stage_id=stage(services, "Needs analysis").id,
                                     before_id=None, expected_version=version(services, card.id),
                                     by=manager)
    detail = services.deals.detail(card.id)
    binned = make_deal(services, manager, title="Manager's binned deal")
    trashed = services.trash.delete(deal_id=binned.id, expected_version=binned.version,
                                    by=manager)
    criterion = stage(services, "Needs analysis").criteria[0].id
    return {
        "edit": lambda s, by: s.deals.update(
            deal_id=card.id, expected_version=detail.version,
            fields=replace(detail.fields, title="Taken over"), by=by),
        "tick": lambda s, by: s.deals.set_criterion(deal_id=card.id, criterion_id=criterion,
                                                    checked=True, by=by,
                                                    expected_version=detail.version),
        "move": lambda s, by: s.moves.move_deal(
            deal_id=card.id, to_stage_id=_first_open(s), before_id=None,
            expected_version=detail.version, by=by),
        "undo a move": lambda s, by: s.moves.revert_move(
            deal_id=card.id, before=moved.before, change_id=moved.change_id,
            expected_version=detail.version, by=by),
        "archive": lambda s, by: s.deals.archive(deal_id=card.id, archived=True,
                                                 expected_version=detail.version, by=by),
        "delete": lambda s, by: s.trash.delete(deal_id=card.id, expected_version=detail.version,
                                               by=by),
        "restore": lambda s, by: s.trash.restore(deal_id=binned.id,
                                                 expected_version=trashed.version, by=by),
    }


def test_a_rep_cannot_change_someone_elses_deal(
        services: Services, manager: Actor, rep: Actor, db_path: Path) -> None:
    calls = _theirs(services, manager, rep)
    before = snapshot(db_path)
    for name, call in calls.items():
        with pytest.raises(NotAllowed):
            call(services, rep)
        assert snapshot(db_path) == before, name


def test_a_rep_does_all_of_it_to_their_own_deal_but_cannot_give_it_away(
        services: Services, manager: Actor, rep: Actor, db_path: Path) -> None:
    card = make_deal(services, rep, title="Rita's deal")
    detail = services.deals.detail(card.id)
    before = snapshot(db_path)
    with pytest.raises(InvalidInput) as refused:
        services.deals.update(deal_id=card.id, expected_version=detail.version,
                              fields=replace(detail.fields, owner_id=manager.id), by=rep)
    assert refused.value.field == "owner"
    with pytest.raises(InvalidInput):
        services.deals.create(
            pipeline_id=detail.pipeline_id, stage_id=detail.stage_id,
            fields=replace(detail.fields, owner_id=manager.id), by=rep)
    assert snapshot(db_path) == before
    services.deals.update(deal_id=card.id, expected_version=detail.version,
                          fields=replace(detail.fields, title="Rita's big deal"), by=rep)
    tick_all(services, rep, card.id, "Initial contact")
    moved = services.moves.move_deal(deal_id=card.id, to_stage_id=stage(services, "Needs analysis").id,
                                     before_id=None, expected_version=version(services, card.id),
                                     by=rep)
    reverted = services.moves.revert_move(deal_id=card.id, before=moved.before,
                                          change_id=moved.change_id,
                                          expected_version=moved.card.version, by=rep)
    trashed = services.trash.delete(deal_id=card.id, expected_version=reverted.card.version,
                                    by=rep)
    restored = services.trash.restore(deal_id=card.id, expected_version=trashed.version, by=rep)
    assert restored.card is not None
    assert restored.card.title == "Rita's big deal"
    archived = services.deals.archive(deal_id=card.id, archived=True,
                                      expected_version=restored.version, by=rep)
    # and a manager may do the same to the rep's deal
    services.deals.archive(deal_id=card.id, archived=False, expected_version=archived.version,
                           by=manager)


def test_a_refusal_is_one_whole_sentence_in_the_users_language(
        services: Services, manager: Actor, rep: Actor) -> None:
    from funneldesk import i18n

    card = make_deal(services, manager, title="Manager's deal")
    with pytest.raises(NotAllowed) as refused:
        services.moves.move_deal(deal_id=card.id, to_stage_id=stage(services, "Lost").id,
                                 before_id=None, expected_version=card.version, by=rep,
                                 lost_reason_text="gone")
    assert refused.value.message() == "Only the deal's owner or a manager can move this deal."
    i18n.set_language("zh_CN")
    with pytest.raises(NotAllowed) as refused:
        services.pipelines.create_pipeline(name="Renewals", by=rep)
    assert refused.value.message() == "只有经理可以新建销售流程。"
