"""The customers lists' reads: counts and pages in SQL, sorted and filtered there, saved
segments, tag counts, search-everything over companies and contacts, one customer's
overview."""

from __future__ import annotations

import functools
import operator
import sqlite3
from contextlib import closing
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from funneldesk.collation import sort_keys
from funneldesk.errors import InvalidInput, NotAllowed
from funneldesk.services import Services
from funneldesk.services.customers.list_records import (
    ANY_KEY_LEVEL,
    CompanyRow,
    ContactRow,
    CustomerColumn,
    CustomerQuery,
    profile_fields,
)
from funneldesk.services.customers.records import CompanyFields, ContactFields
from funneldesk.services.dto import Actor, DealFields
from tests.helpers import stage

C = CustomerColumn


@pytest.fixture
def companies(services: Services, manager: Actor, rep: Actor) -> dict[str, int]:
    wechat = next(s.id for s in services.lead_sources.all() if s.code == "wechat")
    add = services.customers.add_company
    made = {
        "acme": add(CompanyFields(name="Acme Tools", city="Shenzhen", province="Guangdong",
                                  industry="Hardware", key_level="A", owner_id=manager.id,
                                  phones=("13800138000",), emails=("info@acme.example",),
                                  tags=("VIP", "Export"), lead_source_id=wechat,
                                  credit_code="91440300708461136T"), by=manager).id,
        "星辰": add(CompanyFields(name="星辰科技有限公司", city="北京", industry="Software",
                                 key_level="B", owner_id=rep.id, tags=("VIP",)),
                   by=rep).id,
        "zenith": add(CompanyFields(name="Zenith Foods", city="Shanghai",
                                    industry="Food", tags=("Export",)), by=manager).id,
        "bolt": add(CompanyFields(name="Bolt Motors", city="Shenzhen", industry="Hardware",
                                  size="500+"), by=rep).id,
    }
    with closing(sqlite3.connect(services.location())) as conn, conn:  # the public pool
        conn.execute("UPDATE companies SET owner_id = NULL WHERE id = ?", (made["zenith"],))
    return made


def names(rows: tuple[CompanyRow | ContactRow, ...]) -> list[str]:
    return [r.name for r in rows]


def listed(services: Services, query: CustomerQuery) -> list[str]:
    total = services.customer_list.count(query)
    rows = services.customer_list.page(query, 0, 100)
    assert len(rows) == total
    return names(rows)


def test_companies_are_listed_by_name_with_what_the_table_shows(
        services: Services, companies: dict[str, int], manager: Actor) -> None:
    rows = services.customer_list.page(CustomerQuery(), 0, 10)
    # 星辰 reads xing1chen2: between Bolt and Zenith
    assert names(rows) == ["Acme Tools", "Bolt Motors", "星辰科技有限公司", "Zenith Foods"]
    acme = rows[0]
    assert isinstance(acme, CompanyRow)
    assert (acme.city, acme.province, acme.industry, acme.key_level) == (
        "Shenzhen", "Guangdong", "Hardware", "A")
    assert acme.owner == manager.display_name
    assert acme.lead_source == "WeChat"
    assert acme.tags == ("Export", "VIP")
    assert acme.phone == "138 0013 8000"
    assert acme.open_deals == 0
    zenith = rows[3]
    assert isinstance(zenith, CompanyRow)
    assert zenith.owner is None
    assert zenith.owner_id is None


@pytest.mark.parametrize(("sort", "descending", "expected"), [
    (C.NAME, True, ["Zenith Foods", "星辰科技有限公司", "Bolt Motors", "Acme Tools"]),
    # records alike in the column by their names, A to Z
    (C.KEY_LEVEL, False, ["Acme Tools", "星辰科技有限公司", "Bolt Motors", "Zenith Foods"]),
    # the empty level stays last whichever way round
    (C.KEY_LEVEL, True, ["星辰科技有限公司", "Acme Tools", "Bolt Motors", "Zenith Foods"]),
    # 北京 reads bei3jing1: before Shanghai
    (C.CITY, False, ["星辰科技有限公司", "Zenith Foods", "Bolt Motors", "Acme Tools"]),
    (C.TAGS, False, ["Acme Tools", "Zenith Foods", "星辰科技有限公司", "Bolt Motors"]),
])
def test_sorting_is_done_in_sql(services: Services, companies: dict[str, int],
                                sort: CustomerColumn, descending: bool,
                                expected: list[str]) -> None:
    assert listed(services, CustomerQuery(sort=sort, descending=descending)) == expected


def test_chinese_places_industries_and_titles_sort_by_their_pinyin(
        services: Services, manager: Actor) -> None:
    places = ["上海", "重庆", "长沙", "北京", "厦门"]  # code point order: 上 北 厦 重 长
    trades = ["制造业", "物流", "软件", "金融"]
    for n, city in enumerate(places):
        company = services.customers.add_company(CompanyFields(
            name=f"客户{n}", city=city, industry=trades[n % len(trades)]), by=manager)
        services.customers.add_contact(ContactFields(
            name=f"联系人{n}", company_id=company.id, title=trades[n % len(trades)]),
            by=manager)
    rows = services.customer_list.page(CustomerQuery(sort=C.CITY), 0, 10)
    assert [r.city for r in rows if isinstance(r, CompanyRow)] == [
        "北京", "长沙", "重庆", "上海", "厦门"]  # 长沙 chang2sha1, 重庆 chong2qing4
    rows = services.customer_list.page(CustomerQuery(sort=C.INDUSTRY, descending=True), 0, 10)
    assert [r.industry for r in rows if isinstance(r, CompanyRow)] == [
        "制造业", "制造业", "物流", "软件", "金融"]
    rows = services.customer_list.page(CustomerQuery(entity="contact", sort=C.TITLE), 0, 10)
    assert [r.title for r in rows if isinstance(r, ContactRow)] == [
        "金融", "软件", "物流", "制造业", "制造业"]


def test_the_public_pool_comes_last_when_sorted_by_owner(
        services: Services, companies: dict[str, int]) -> None:
    for descending in (False, True):
        shown = listed(services, CustomerQuery(sort=C.OWNER, descending=descending))
        assert shown[-1] == "Zenith Foods"


def test_every_column_of_both_lists_sorts(services: Services, companies: dict[str, int],
                                          manager: Actor) -> None:
    services.customers.add_contact(ContactFields(name="Li Lei", company_id=companies["acme"],
                                                 role="decision_maker"), by=manager)
    for entity in ("company", "contact"):
        for column in C:
            for descending in (False, True):
                query = CustomerQuery(entity=entity, sort=column, descending=descending)
                assert len(services.customer_list.page(query, 0, 50)) == \
                    services.customer_list.count(query)


@pytest.mark.parametrize(("query", "expected"), [
    (CustomerQuery(text="acme"), ["Acme Tools"]),
    (CustomerQuery(text="星辰"), ["星辰科技有限公司"]),
    (CustomerQuery(text="138 0013"), ["Acme Tools"]),
    (CustomerQuery(text="info@ACME"), ["Acme Tools"]),
    (CustomerQuery(in_pool=True), ["Zenith Foods"]),
    (CustomerQuery(in_pool=False), ["Acme Tools", "Bolt Motors", "星辰科技有限公司"]),
    (CustomerQuery(key_level="B"), ["星辰科技有限公司"]),
    (CustomerQuery(key_level=ANY_KEY_LEVEL), ["Acme Tools", "星辰科技有限公司"]),
    (CustomerQuery(key_level=ANY_KEY_LEVEL, tag="VIP", industry="Software"), ["星辰科技有限公司"]),
    (CustomerQuery(tag="VIP"), ["Acme Tools", "星辰科技有限公司"]),
    (CustomerQuery(industry="Hardware", city="Shenzhen"), ["Acme Tools", "Bolt Motors"]),
    (CustomerQuery(province="Guangdong"), ["Acme Tools"]),
    (CustomerQuery(profile=(("size", "500+"),)), ["Bolt Motors"]),
    (CustomerQuery(text="no such thing"), []),
])
def test_filters(services: Services, companies: dict[str, int], query: CustomerQuery,
                 expected: list[str]) -> None:
    assert listed(services, query) == expected


def test_filters_by_owner_and_lead_source(services: Services, companies: dict[str, int],
                                          rep: Actor) -> None:
    assert listed(services, CustomerQuery(owner_id=rep.id)) == ["Bolt Motors", "星辰科技有限公司"]
    wechat = next(s.id for s in services.lead_sources.all() if s.code == "wechat")
    assert listed(services, CustomerQuery(lead_source_id=wechat)) == ["Acme Tools"]


def test_an_unknown_profile_field_is_refused(services: Services) -> None:
    with pytest.raises(InvalidInput):
        services.customer_list.count(CustomerQuery(profile=(("name; DROP", "x"),)))


def test_contacts_list_with_their_company_and_filter_through_it(
        services: Services, companies: dict[str, int], manager: Actor) -> None:
    add = services.customers.add_contact
    add(ContactFields(name="Li Lei", company_id=companies["acme"], title="CTO",
                      role="decision_maker", phones=("13900139000",),
                      emails=("li@acme.example",), wechat="lilei88", consent="given",
                      tags=("Tech",)), by=manager)
    add(ContactFields(name="Han Meimei", company_id=companies["星辰"]), by=manager)
    rows = services.customer_list.page(CustomerQuery(entity="contact"), 0, 10)
    assert names(rows) == ["Han Meimei", "Li Lei"]
    li = rows[1]
    assert isinstance(li, ContactRow)
    assert (li.company, li.title, li.role_label, li.consent_label) == (
        "Acme Tools", "CTO", "Decision maker", "Consented")
    assert (li.phone, li.email, li.email_verified, li.tags) == (
        "139 0013 9000", "li@acme.example", False, ("Tech",))
    contacts = CustomerQuery(entity="contact")
    assert listed(services, replace(contacts, key_level="B")) == ["Han Meimei"]
    assert listed(services, replace(contacts, key_level=ANY_KEY_LEVEL)) == [
        "Han Meimei", "Li Lei"]  # at key customers
    assert listed(services, replace(contacts, text="lilei8")) == ["Li Lei"]
    assert listed(services, replace(contacts, text="星辰")) == ["Han Meimei"]  # her company
    assert listed(services, replace(contacts, consent="given")) == ["Li Lei"]
    assert listed(services, replace(contacts, sort=C.COMPANY)) == ["Li Lei", "Han Meimei"]


def test_deleted_and_merged_records_are_never_listed(
        services: Services, companies: dict[str, int], db_path: Path) -> None:
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("UPDATE companies SET deleted_at = '2026-01-01 00:00:00' WHERE id = ?",
                     (companies["bolt"],))
        conn.execute("UPDATE companies SET merged_into_id = ? WHERE id = ?",
                     (companies["acme"], companies["zenith"]))
    assert listed(services, CustomerQuery()) == ["Acme Tools", "星辰科技有限公司"]
    assert ("Export", 1) in {(t.name, t.count) for t in
                             services.customer_list.tag_counts("company")}


def test_a_merge_takes_the_merged_record_out_of_the_list_and_the_search(
        services: Services, companies: dict[str, int], manager: Actor) -> None:
    versions = (1, 1)
    services.merges.merge("company", companies["acme"], companies["bolt"], {},
                          versions, by=manager)
    assert "Bolt Motors" not in listed(services, CustomerQuery())
    assert not [h for h in services.search.search("Bolt Motors", by=manager)
                if h.kind == "company"]


def test_the_field_filters_offer_the_values_live_records_hold_most_common_first(
        services: Services, companies: dict[str, int], db_path: Path) -> None:
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("UPDATE companies SET deleted_at = '2026-01-01 00:00:00' WHERE id = ?",
                     (companies["星辰"],))
    values = services.customer_list.field_values("company")
    assert values["industry"] == ("Hardware", "Food")  # Software: only a deleted company's
    assert values["city"] == ("Shenzhen", "Shanghai")
    assert values["size"] == ("500+",)
    assert values["segment"] == ()
    assert set(values) == profile_fields("company")
    query = CustomerQuery(profile=(("industry", values["industry"][0]), ("city", "Shenzhen")))
    assert listed(services, query) == ["Acme Tools", "Bolt Motors"]


def test_tag_counts(services: Services, companies: dict[str, int]) -> None:
    counts = services.customer_list.tag_counts("company")
    assert [(t.name, t.count) for t in counts] == [("Export", 2), ("VIP", 2)]


def test_pages_follow_each_other(services: Services, manager: Actor) -> None:
    for n in range(25):
        services.customers.add_company(CompanyFields(name=f"Company {n:02}"), by=manager)
    query = CustomerQuery()
    pages = [names(services.customer_list.page(query, offset, 10)) for offset in (0, 10, 20)]
    assert [len(p) for p in pages] == [10, 10, 5]
    assert functools.reduce(operator.iadd, pages, []) == [f"Company {n:02}" for n in range(25)]
    total, first = services.customer_list.count_and_page(query, 0, 3)
    assert total == 25
    assert names(first) == ["Company 00", "Company 01", "Company 02"]
    ident = first[2].id
    assert services.customer_list.position(query, ident) == 2
    assert services.customer_list.position(replace(query, descending=True), ident) == 22
    assert services.customer_list.position(replace(query, text="zz"), ident) is None


def test_segments_round_trip(services: Services, companies: dict[str, int],
                             manager: Actor, rep: Actor) -> None:
    query = CustomerQuery(tag="VIP", key_level="A", in_pool=False, sort=C.CITY,
                          descending=True, profile=(("size", "500+"),))
    saved = services.customer_list.save_segment("  Key VIPs ", query, by=rep)
    assert (saved.name, saved.entity, saved.query, saved.created_by) == (
        "Key VIPs", "company", query, rep.display_name)
    assert services.customer_list.segments("company") == (saved,)
    assert services.customer_list.segments("contact") == ()
    wider = replace(query, key_level="")
    again = services.customer_list.save_segment("Key VIPs", wider, by=rep)
    assert again.id == saved.id
    assert again.query == wider
    with pytest.raises(NotAllowed):
        services.customer_list.delete_segment(saved.id, by=_other_rep(services))
    with pytest.raises(InvalidInput):
        services.customer_list.save_segment(" ", query, by=rep)
    services.customer_list.delete_segment(saved.id, by=manager)
    assert services.customer_list.segments("company") == ()


def _other_rep(services: Services) -> Actor:
    from funneldesk.models import User
    from funneldesk.services.dto import Role

    with services.db.session() as session:
        user = User(login="other", display_name="Otto", role=Role.REP)
        session.add(user)
        session.flush()
        return Actor(user.id, user.login, user.display_name, user.role)


def test_fifty_thousand_contacts(services: Services, manager: Actor, db_path: Path) -> None:
    """Paged and sorted in SQL by the stored key (pinyin for Chinese names): the ids run
    in another order than the names, so the list cannot pass by listing ids."""
    surnames, given = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高曾单", "伟芳娜敏静磊秀英明超"
    people = [f"{surnames[n * 7 % 22]}{given[n * 3 % 10]}{given[n % 10]}{n:05}"
              for n in range(1, 50_001)]
    keys = sort_keys(people, person=True)
    rows = [(n, name, key, "unknown", "2026-01-01 00:00:00", "2026-01-01 00:00:00",
             manager.id, manager.id)
            for n, (name, key) in enumerate(zip(people, keys, strict=True), start=1)]
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.executemany(
            "INSERT INTO contacts (id, name, sort_name, title, consent, touched_at, "
            "created_at, created_by_id, is_sample, version, owner_id) "
            "VALUES (?, ?, ?, '', ?, ?, ?, ?, 0, 1, ?)", rows)
    in_order = [name for _key, _n, name in sorted(zip(keys, range(50_000), people,
                                                      strict=True))]
    assert in_order[:5] != people[:5]
    query = CustomerQuery(entity="contact")
    assert services.customer_list.count(query) == 50_000
    first = services.customer_list.page(query, 0, 200)
    assert names(first) == in_order[:200]
    middle = services.customer_list.page(query, 25_000, 200)
    assert names(middle) == in_order[25_000:25_200]
    last = services.customer_list.page(replace(query, descending=True), 0, 3)
    assert names(last) == in_order[::-1][:3]
    assert services.customer_list.count(replace(query, text="4999")) == sum(
        "4999" in name for name in people) == 15


# --- search-everything -------------------------------------------------------------------

def kinds_found(services: Services, text: str, by: Actor) -> set[tuple[str, str]]:
    return {(h.kind, h.title) for h in services.search.search(text, by=by)}


def test_companies_are_found_by_name_city_credit_code_phone_and_email(
        services: Services, companies: dict[str, int], manager: Actor) -> None:
    acme = ("company", "Acme Tools")
    for text in ("Acme", "shenzhen", "91440300708461136T", "13800138000", "info@acme"):
        assert acme in kinds_found(services, text, manager), text
    assert ("company", "星辰科技有限公司") in kinds_found(services, "星辰", manager)
    hit = next(h for h in services.search.search("Acme", by=manager) if h.kind == "company")
    assert hit.kind_label == "Company"
    assert "Shenzhen" in hit.detail


def test_contacts_are_found_by_name_company_phone_email_and_wechat(
        services: Services, companies: dict[str, int], manager: Actor) -> None:
    services.customers.add_contact(ContactFields(
        name="张伟", company_id=companies["acme"], phones=("13900139000",),
        emails=("zw@acme.example",), wechat="zhangwei_88"), by=manager)
    for text in ("张伟", "Acme Tools", "13900139000", "zw@acme", "zhangwei_88"):
        assert ("contact", "张伟") in kinds_found(services, text, manager), text


def test_a_rename_is_found_under_the_new_name_with_its_contacts_and_deals(
        services: Services, companies: dict[str, int], manager: Actor) -> None:
    ident = companies["bolt"]
    services.customers.add_contact(ContactFields(name="Wang Fang", company_id=ident),
                                   by=manager)
    target = stage(services, "Initial contact")
    services.deals.create(pipeline_id=target.pipeline_id, stage_id=target.id, fields=DealFields(
        "Fleet order", ident, None, Decimal(100), "USD", None, manager.id), by=manager)
    detail = services.customers.company_detail(ident)
    services.customers.update_company(ident, replace(detail.fields, name="Thunderbolt Cars"),
                                      expected_version=detail.version, by=manager)
    found = kinds_found(services, "Thunderbolt", manager)
    assert {("company", "Thunderbolt Cars"), ("contact", "Wang Fang"),
            ("deal", "Fleet order")} <= found
    assert ("company", "Bolt Motors") not in kinds_found(services, "Bolt Motors", manager)


# --- one customer --------------------------------------------------------------------------

def test_the_overview_holds_contacts_deals_and_history(
        services: Services, companies: dict[str, int], manager: Actor) -> None:
    ident = companies["acme"]
    services.customers.add_contact(ContactFields(name="Li Lei", company_id=ident),
                                   by=manager)
    target = stage(services, "Initial contact")
    services.deals.create(pipeline_id=target.pipeline_id, stage_id=target.id, fields=DealFields(
        "Drill press", ident, None, Decimal("1200.50"), "USD", None, manager.id), by=manager)
    detail = services.customers.company_detail(ident)
    services.customers.update_company(ident, replace(detail.fields, city="Dongguan"),
                                      expected_version=detail.version, by=manager)
    seen = services.customer_list.overview("company", ident)
    assert seen.detail.fields.name == "Acme Tools"
    assert seen.lead_source == "WeChat"
    assert [c.name for c in seen.contacts] == ["Li Lei"]
    assert [(d.title, d.stage, d.value, d.outcome) for d in seen.deals] == [
        ("Drill press", "Initial contact", Decimal("1200.50"), "open")]
    assert [(h.action, h.fields) for h in seen.history] == [
        ("update", ("city",)), ("create", ())]
    assert services.customer_list.page(CustomerQuery(), 0, 1)[0].open_deals == 1  # type: ignore[union-attr]
