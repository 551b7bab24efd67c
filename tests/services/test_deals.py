"""Creating, editing, archiving and deleting deals; what bad input leaves behind."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from funneldesk.errors import InvalidInput, NotAllowed, StaleEdit
from funneldesk.services import Services
from funneldesk.services.common.money import parse_money
from funneldesk.services.dto import Actor, DealFields
from tests.helpers import make_deal, pipeline, stage


def fields(owner: int, **changes: object) -> DealFields:
    base = DealFields("ERP upgrade", None, None, Decimal("12000"), "CNY", None, owner)
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(("change", "field"), [
    ({"title": "   "}, "title"),
    ({"value": Decimal("-1")}, "value"),
    ({"currency": "yuan"}, "currency"),
    ({"owner_id": 999}, "owner"),
])
def test_bad_input_is_refused_and_creates_nothing(
        services: Services, manager: Actor, change: dict[str, object], field: str) -> None:
    first = pipeline(services).stages[0]
    with pytest.raises(InvalidInput) as refused:
        services.deals.create(pipeline_id=first.pipeline_id, stage_id=first.id,
                              fields=fields(manager.id, **change), by=manager)
    assert refused.value.field == field
    assert services.board.deal_count() == 0


def test_money_typed_by_users_is_parsed_exactly() -> None:
    assert parse_money("12,500.50") == Decimal("12500.50")
    assert parse_money(" 3 000 ") == Decimal("3000")
    with pytest.raises(InvalidInput):
        parse_money("twelve")


def test_an_edit_is_saved_and_audited_and_a_stale_edit_is_refused(
        services: Services, manager: Actor, rep: Actor) -> None:
    card = make_deal(services, rep)
    detail = services.deals.detail(card.id)
    updated = services.deals.update(deal_id=card.id, expected_version=detail.version,
                                    fields=replace(detail.fields, title="ERP phase 2",
                                                   next_step="Send quote"), by=rep)
    assert updated.card.title == "ERP phase 2"
    assert updated.previous == detail.fields
    with pytest.raises(StaleEdit) as refused:
        services.deals.update(deal_id=card.id, expected_version=detail.version,
                              fields=replace(detail.fields, title="lost edit"), by=manager)
    assert refused.value.changed_by == "Rita Rep"
    assert services.deals.detail(card.id).fields.title == "ERP phase 2"


def test_contact_and_company_created_from_the_deal_form_link_to_the_deal(
        services: Services, manager: Actor) -> None:
    company = services.customers.create_company(name=" 上海华信科技有限公司 ", by=manager)
    contact = services.customers.create_contact(name="王伟", company_id=company.id, by=manager)
    other = services.customers.create_company(name="Other Inc.", by=manager)
    first = pipeline(services).stages[0]
    result = services.deals.create(
        pipeline_id=first.pipeline_id, stage_id=first.id,
        fields=fields(manager.id, company_id=company.id, contact_id=contact.id), by=manager)
    assert result.card.company == "上海华信科技有限公司"
    with pytest.raises(InvalidInput):
        services.deals.create(pipeline_id=first.pipeline_id, stage_id=first.id,
                              fields=fields(manager.id, company_id=other.id,
                                            contact_id=contact.id), by=manager)
    with pytest.raises(InvalidInput):
        services.customers.create_company(name="  ", by=manager)


def test_archived_and_deleted_deals_leave_the_board_but_keep_history(
        services: Services, manager: Actor, rep: Actor) -> None:
    keep = make_deal(services, manager, title="keep")
    archived = make_deal(services, manager, title="archived")
    deleted = make_deal(services, manager, title="deleted")
    with pytest.raises(NotAllowed):
        services.trash.delete(deal_id=deleted.id, expected_version=deleted.version,
                              by=rep)  # a rep deletes only their own deals
    services.deals.archive(deal_id=archived.id, archived=True,
                           expected_version=archived.version, by=manager)
    services.trash.delete(deal_id=deleted.id, expected_version=deleted.version, by=manager)
    board = services.board.load(pipeline(services).id)
    assert [c.title for c in board.cards] == ["keep"]
    assert services.deals.detail(archived.id).archived
    assert len(services.deals.detail(archived.id).history) == 1
    assert keep.id != deleted.id


def test_detail_shows_checklist_of_stage_and_next_entry_criteria_with_who_ticked(
        services: Services, manager: Actor) -> None:
    card = make_deal(services, manager, stage_name="Needs analysis")
    budget = stage(services, "Needs analysis").criteria[0]
    services.deals.set_criterion(deal_id=card.id, criterion_id=budget.id, checked=True, by=manager,
                                 expected_version=card.version)
    items = services.deals.detail(card.id).checklist
    assert [(i.criterion.label, i.stage_name, i.checked) for i in items] == [
        ("Budget confirmed", "Needs analysis", True),
        ("Decision maker identified", "Needs analysis", False),
        ("Requirements written down", "Proposal", False),
    ]
    assert items[0].checked_by == "manager"
    assert items[0].checked_at is not None


def test_archiving_names_who_archived_and_refuses_a_stale_archive(
        services: Services, manager: Actor, rep: Actor) -> None:
    card = make_deal(services, rep)
    opened = services.deals.detail(card.id)  # Rita has the deal open
    archived = services.deals.archive(deal_id=card.id, archived=True,
                                      expected_version=opened.version, by=manager)
    with pytest.raises(StaleEdit) as refused:  # Rita saves what she had open
        services.deals.update(deal_id=card.id, expected_version=opened.version,
                              fields=replace(opened.fields, title="lost edit"), by=rep)
    assert refused.value.changed_by == manager.display_name
    with pytest.raises(StaleEdit) as late:  # and cannot unarchive from her old view either
        services.deals.archive(deal_id=card.id, archived=False,
                               expected_version=opened.version, by=rep)
    assert late.value.changed_by == manager.display_name
    assert services.deals.detail(card.id).archived
    assert services.deals.detail(card.id).version == archived.version
