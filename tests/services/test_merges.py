"""Merging two records of one customer keeps everything both had, takes the values the
user chose, is in the audit history, and can be undone exactly."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from funneldesk.db import Database
from funneldesk.errors import InvalidInput, NotAllowed, NotFound, StaleEdit
from funneldesk.models import AuditEntry, Deal
from funneldesk.services import Services
from funneldesk.services.customers.records import CompanyFields, ContactFields
from funneldesk.services.dto import Actor
from tests.helpers import make_deal, snapshot


def _company_deal(services: Services, db: Database, by: Actor, company_id: int,
                  title: str) -> int:
    deal = make_deal(services, by, title=title)
    with db.session() as session:
        row = session.get(Deal, deal.id)
        assert row is not None
        row.company_id = company_id
    return deal.id


def _two(services: Services, db: Database, by: Actor) -> tuple[int, int, list[int], list[int]]:
    kept = services.customers.add_company(CompanyFields(
        name="北京星辰科技有限公司", city="北京", industry="软件", phones=("010 6552 9988",),
        tags=("重点",)), by=by).id
    merged = services.customers.add_company(CompanyFields(
        name="星辰科技", city="上海", website="www.xingchen.cn",
        phones=("138 0013 8000", "+86 10 6552 9988"), emails=("hi@xingchen.cn",),
        tags=("华北", "重点")), by=by).id
    deals = [_company_deal(services, db, by, kept, "CRM"),
             _company_deal(services, db, by, merged, "ERP"),
             _company_deal(services, db, by, merged, "MES")]
    contacts = [services.customers.add_contact(ContactFields(name=n, company_id=c), by=by).id
                for n, c in (("王芳", kept), ("张伟", merged))]
    return kept, merged, deals, contacts


def _company_of(db: Database, deal_ids: list[int]) -> list[int | None]:
    with db.session() as session:
        return [session.get(Deal, i).company_id for i in deal_ids]  # type: ignore[union-attr]


def test_a_merge_keeps_every_deal_and_contact_the_chosen_fields_and_both_phones_and_tags(
        services: Services, manager: Actor, db: Database) -> None:
    kept, merged, deals, contacts = _two(services, db, manager)
    preview = services.merges.preview("company", kept, merged)
    city = next(f for f in preview.fields if f.field == "city")
    assert (city.kept, city.merged, city.differs) == ("北京", "上海", True)
    assert preview.phones == ("+861065529988", "+8613800138000")
    assert (preview.deals, preview.contacts, preview.channels, preview.tags_added) == (2, 1, 2, 1)
    merge_id = services.merges.merge("company", kept, merged,
                                     {"city": "merged", "website": "merged"},
                                     preview.versions, by=manager)
    after = services.customers.company_detail(kept).fields
    assert (after.name, after.city, after.industry, after.website) == (
        "北京星辰科技有限公司", "上海", "软件", "www.xingchen.cn")
    assert after.phones == ("+861065529988", "+8613800138000")  # the shared one once
    assert after.emails == ("hi@xingchen.cn",)
    assert after.tags == ("华北", "重点")
    assert _company_of(db, deals) == [kept, kept, kept]
    assert {c.id for c in services.customers.contacts(kept)} == set(contacts)
    assert [c.id for c in services.customers.search_companies("星辰")] == [kept]
    with pytest.raises(NotFound):
        services.customers.company_detail(merged)
    with db.session() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "merge")).one()
        creates = session.scalars(select(AuditEntry.entity_id).where(
            AuditEntry.action == "create", AuditEntry.entity == "company")).all()
    details = json.loads(entry.details)
    assert (entry.entity_id, details["merged_id"], details["merge_id"]) == (kept, merged,
                                                                            merge_id)
    assert details["chosen"] == ["city", "website"]
    assert sorted(creates) == sorted([kept, merged])  # both histories stay


def test_undo_parts_the_two_records_exactly_as_they_were(
        services: Services, manager: Actor, db: Database) -> None:
    kept, merged, deals, contacts = _two(services, db, manager)
    before = (services.customers.company_detail(kept), services.customers.company_detail(merged))
    held = db.query("SELECT id, company_id, position FROM channels ORDER BY id")
    preview = services.merges.preview("company", kept, merged)
    merge_id = services.merges.merge("company", kept, merged, {"city": "merged"},
                                     preview.versions, by=manager)
    assert db.query("SELECT id, company_id, position FROM channels ORDER BY id") != held
    services.merges.undo(merge_id, by=manager)
    # every phone and email back on its record, in its place in the record's list
    assert db.query("SELECT id, company_id, position FROM channels ORDER BY id") == held
    again = (services.customers.company_detail(kept), services.customers.company_detail(merged))
    for old, new in zip(before, again, strict=True):
        assert new.fields == old.fields
        assert [(c.id, c.value) for c in new.channels] == [(c.id, c.value) for c in old.channels]
    assert _company_of(db, deals) == [kept, merged, merged]
    assert [c.id for c in services.customers.contacts(merged)] == [contacts[1]]
    with pytest.raises(InvalidInput):
        services.merges.undo(merge_id, by=manager)
    with db.session() as session:
        actions = [e.action for e in session.scalars(select(AuditEntry).where(
            AuditEntry.entity == "company", AuditEntry.entity_id == kept))]
    assert actions == ["create", "merge", "unmerge"]


def test_undo_leaves_a_deal_that_moved_on_since_the_merge(
        services: Services, manager: Actor, db: Database) -> None:
    kept, merged, deals, _contacts = _two(services, db, manager)
    other = services.customers.add_company(CompanyFields(name="月亮贸易"), by=manager).id
    merge_id = services.merges.merge("company", kept, merged, {},
                                     services.merges.preview("company", kept, merged).versions,
                                     by=manager)
    with db.session() as session:
        session.get(Deal, deals[2]).company_id = other  # type: ignore[union-attr]
    services.merges.undo(merge_id, by=manager)
    assert _company_of(db, deals) == [kept, merged, other]


def test_a_merge_made_on_an_old_version_changes_nothing(
        services: Services, manager: Actor, db: Database, db_path: Path) -> None:
    kept, merged, _deals, _contacts = _two(services, db, manager)
    versions = services.merges.preview("company", kept, merged).versions
    detail = services.customers.company_detail(merged)
    services.customers.update_company(merged, replace(detail.fields, city="天津"),
                                      expected_version=detail.version, by=manager)
    unchanged = snapshot(db_path)
    with pytest.raises(StaleEdit):
        services.merges.merge("company", kept, merged, {}, versions, by=manager)
    assert snapshot(db_path) == unchanged


def test_a_rep_merges_only_records_they_own(services: Services, manager: Actor,
                                           rep: Actor) -> None:
    add = services.customers.add_company
    theirs = add(CompanyFields(name="星辰科技"), by=manager).id
    own = add(CompanyFields(name="星辰科技有限公司"), by=rep).id
    own_too = add(CompanyFields(name="星辰科技股份有限公司"), by=rep).id
    with pytest.raises(NotAllowed):
        services.merges.merge("company", own, theirs, {}, (1, 1), by=rep)
    services.merges.merge("company", own, own_too, {}, (1, 1), by=rep)
    assert [c.id for c in services.customers.search_companies("星辰")] == [theirs, own]


def test_a_record_is_not_merged_with_itself_nor_with_a_merged_one(
        services: Services, manager: Actor) -> None:
    add = services.customers.add_company
    a, b, c = (add(CompanyFields(name=n), by=manager).id for n in ("甲公司", "乙公司", "丙公司"))
    with pytest.raises(InvalidInput):
        services.merges.merge("company", a, a, {}, (1, 1), by=manager)
    services.merges.merge("company", a, b, {}, (1, 1), by=manager)
    with pytest.raises(NotFound):
        services.merges.merge("company", c, b, {}, (1, 1), by=manager)


def test_merging_contacts_moves_their_deals_and_undo_moves_them_back(
        services: Services, manager: Actor, db: Database) -> None:
    first = services.customers.add_contact(ContactFields(
        name="王芳", wechat="wangfang_88", phones=("13800138000",)), by=manager).id
    second = services.customers.add_contact(ContactFields(
        name="王芳", title="CTO", emails=("wf@example.cn",)), by=manager).id
    deal = make_deal(services, manager, title="CRM").id
    with db.session() as session:
        session.get(Deal, deal).contact_id = second  # type: ignore[union-attr]
    merge_id = services.merges.merge("contact", first, second, {"title": "merged"}, (1, 1),
                                     by=manager)
    fields = services.customers.contact_detail(first).fields
    assert (fields.title, fields.wechat, fields.phones, fields.emails) == (
        "CTO", "wangfang_88", ("+8613800138000",), ("wf@example.cn",))
    with db.session() as session:
        assert session.get(Deal, deal).contact_id == first  # type: ignore[union-attr]
    services.merges.undo(merge_id, by=manager)
    assert services.customers.contact_detail(first).fields.title == ""
    assert services.customers.contact_detail(second).fields.emails == ("wf@example.cn",)
    with db.session() as session:
        assert session.get(Deal, deal).contact_id == second  # type: ignore[union-attr]


def test_the_deals_that_moved_are_found_under_the_kept_name_until_the_merge_is_undone(
        services: Services, manager: Actor, db: Database) -> None:
    kept, merged, _deals, _contacts = _two(services, db, manager)

    def found(query: str) -> set[str]:
        return {h.title for h in services.search.search(query, by=manager)
                if h.kind == "deal"}

    versions = services.merges.preview("company", kept, merged).versions
    merge_id = services.merges.merge("company", kept, merged, {}, versions, by=manager)
    assert found("北京星辰 ERP") == {"ERP"}
    assert found("北京星辰 MES") == {"MES"}
    services.merges.undo(merge_id, by=manager)
    assert found("北京星辰 ERP") == set()
    assert found("星辰科技 ERP") == {"ERP"}


def test_the_kept_record_shows_the_merged_ones_history_until_the_merge_is_undone(
        services: Services, manager: Actor, db: Database) -> None:
    kept, merged, _deals, _contacts = _two(services, db, manager)
    services.customers.update_company(merged, replace(
        services.customers.company_detail(merged).fields, industry="物流"),
        expected_version=services.customers.company_detail(merged).version, by=manager)

    def edits_shown() -> int:
        lines = services.customer_list.overview("company", kept).history
        return sum(1 for line in lines if line.action == "update")

    before = edits_shown()
    preview = services.merges.preview("company", kept, merged)
    merge_id = services.merges.merge("company", kept, merged, {}, preview.versions,
                                     by=manager)
    assert edits_shown() == before + 1  # the merged company's edit, on the kept one
    services.merges.undo(merge_id, by=manager)
    assert edits_shown() == before


def test_the_kept_records_history_names_the_one_merged_into_it(
        services: Services, manager: Actor) -> None:
    from funneldesk.services.customers.records import CompanyFields

    kept = services.customers.add_company(CompanyFields(name="星辰科技"), by=manager)
    other = services.customers.add_company(CompanyFields(name="北京星辰科技有限公司"),
                                           by=manager)
    services.merges.merge("company", kept.id, other.id, {}, (1, 1), manager)
    lines = services.customer_list.overview("company", kept.id).history
    assert [(h.action, h.value) for h in lines if h.action == "merge"] == [
        ("merge", "北京星辰科技有限公司")]



def test_a_record_parted_again_by_an_undo_has_it_in_its_history(
        services: Services, manager: Actor) -> None:
    from funneldesk.services.customers.records import CompanyFields

    kept = services.customers.add_company(CompanyFields(name="星辰科技"), by=manager)
    other = services.customers.add_company(CompanyFields(name="北京星辰科技有限公司"),
                                           by=manager)
    merge_id = services.merges.merge("company", kept.id, other.id, {}, (1, 1), manager)
    services.merges.undo(merge_id, manager)
    lines = services.customer_list.overview("company", other.id).history
    assert [h.action for h in lines][:1] == ["unmerge"]
