"""Activities in search-everything: found by any word of their title, agenda or outcome,
with what they are for and who does them beside; kept current by every change, out of it
once withdrawn or purged with their deal."""

from __future__ import annotations

import datetime as dt

from funneldesk.enums import ActivityKind
from funneldesk.services import Services
from funneldesk.services.activities.records import ActivityFields
from funneldesk.services.dto import Actor
from tests.helpers import make_deal

TODAY = dt.date.today()


def found(services: Services, text: str, by: Actor) -> list[tuple[str, str]]:
    return [(h.title, h.detail) for h in services.search.search(text, by=by)
            if h.kind == "activity"]


def test_an_activity_is_found_by_its_title_agenda_or_outcome(services: Services,
                                                              manager: Actor) -> None:
    deal = make_deal(services, manager, title="仓储系统")
    planned = services.activities.plan(ActivityFields(
        ActivityKind.VISIT, "现场演示", agenda="带上样品 and the price list", deal_id=deal.id,
        due_on=TODAY), by=manager).activity
    assert found(services, "现场", manager) == [("现场演示", f"仓储系统 · {manager.display_name}")]
    assert found(services, "样品", manager) == [("现场演示", f"仓储系统 · {manager.display_name}")]
    assert found(services, "price", manager)
    services.activities.complete(planned.id, "客户要求打九折", expected_version=planned.version,
                                 by=manager)
    assert [t for t, _d in found(services, "九折", manager)] == ["现场演示"]  # its outcome
    # untitled, it is titled by its agenda's first line
    services.activities.plan(ActivityFields(ActivityKind.CALL, "", agenda="\n回访报价\n细节",
                                            deal_id=deal.id, due_on=TODAY), by=manager)
    assert [t for t, _d in found(services, "回访", manager)] == ["回访报价"]


def test_an_edit_is_found_at_once_and_a_withdrawn_or_purged_one_no_longer(
        services: Services, manager: Actor) -> None:
    deal = make_deal(services, manager)
    call = services.activities.plan(ActivityFields(ActivityKind.CALL, "Budget call",
                                                   deal_id=deal.id, due_on=TODAY),
                                    by=manager).activity
    edited = services.activities.update(call.id, ActivityFields(
        ActivityKind.CALL, "Pricing call", deal_id=deal.id, due_on=TODAY),
        expected_version=call.version, by=manager).activity
    assert found(services, "budget", manager) == []
    assert [t for t, _d in found(services, "pricing", manager)] == ["Pricing call"]
    services.activities.withdraw(edited.id, expected_version=edited.version, by=manager)
    assert found(services, "pricing", manager) == []
    demo = services.activities.plan(ActivityFields(ActivityKind.DEMO, "Warehouse demo",
                                                   deal_id=deal.id, due_on=TODAY),
                                    by=manager).activity
    assert found(services, "warehouse demo", manager)
    services.trash.delete(deal_id=deal.id, expected_version=services.deals.detail(
        deal.id).version, by=manager)
    services.trash.empty(deal_ids=[deal.id], by=manager)  # the deal and its activities go
    assert found(services, "warehouse demo", manager) == []
    assert demo.id not in {h.record_id for h in services.search.search(
        "warehouse", by=manager) if h.kind == "activity"}


def test_the_next_step_typed_in_a_deal_form_is_found_as_its_activity(
        services: Services, manager: Actor) -> None:
    from dataclasses import replace

    deal = make_deal(services, manager)
    fields = services.deals.detail(deal.id).fields
    services.deals.update(deal_id=deal.id, fields=replace(
        fields, next_step="Send the contract draft", next_step_date=TODAY),
        expected_version=deal.version, by=manager)
    assert [t for t, _d in found(services, "contract draft", manager)] == [
        "Send the contract draft"]
