"""Companies' and contacts' records: every problem of a form reported at once beside its
field, values kept in one form, verification that survives an edit, tags, lead sources and
products."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from funneldesk.db import Database
from funneldesk.errors import InvalidFields, NotAllowed, StaleEdit
from funneldesk.i18n import set_language
from funneldesk.models import AuditEntry
from funneldesk.services import Services
from funneldesk.services.customers.records import CompanyFields, ContactFields
from funneldesk.services.dto import Actor

STAR = CompanyFields(
    name=" 北京星辰科技有限公司 ", industry="软件", city="北京", province="北京",
    credit_code="91440300 708461136t", key_level="a", phones=("010 6552 9988",),
    emails=("Sales@XingChen.cn",), tags=("华北", "重点", "华北"), website="www.xingchen.cn")


def test_a_company_is_kept_checked_and_in_one_form(services: Services, manager: Actor) -> None:
    saved = services.customers.add_company(STAR, by=manager)
    detail = services.customers.company_detail(saved.id)
    assert detail.fields.name == "北京星辰科技有限公司"
    assert detail.fields.credit_code == "91440300708461136T"
    assert detail.fields.key_level == "A"
    assert detail.fields.phones == ("+861065529988",)
    assert detail.fields.emails == ("Sales@xingchen.cn",)
    assert detail.fields.tags == ("华北", "重点")
    assert detail.fields.owner_id == manager.id  # the one who created it, unless chosen
    assert [c.shown for c in detail.channels] == ["010 6552 9988", "Sales@xingchen.cn"]


def test_every_problem_of_a_form_is_reported_at_once_and_nothing_is_saved(
        services: Services, manager: Actor, db: Database) -> None:
    bad = CompanyFields(name=" ", credit_code="91440300708461136X", key_level="D",
                        phones=("12345",), emails=("no-at-sign",), website="not a site")
    with pytest.raises(InvalidFields) as refused:
        services.customers.add_company(bad, by=manager)
    assert [p.field for p in refused.value.problems] == [
        "name", "credit_code", "key_level", "website", "phones", "emails"]
    assert db.query("SELECT count(*) FROM companies")[0][0] == 0
    # the same check is there for a form before saving, in the user's language
    set_language("zh_CN")
    with pytest.raises(InvalidFields) as checked:
        services.customers.check_company(bad)
    assert "统一社会信用代码" in checked.value.problems[1].reason


def test_a_contact_is_checked_too(services: Services, manager: Actor) -> None:
    with pytest.raises(InvalidFields) as refused:
        services.customers.add_contact(ContactFields(
            name="王芳", role="boss", wechat="1abc", consent="maybe",
            phones=("138 0013 8000", "1380013800")), by=manager)
    assert {p.field for p in refused.value.problems} == {"role", "wechat", "consent", "phones"}
    saved = services.customers.add_contact(ContactFields(
        name="王芳", role="decision_maker", wechat="wangfang_88", consent="given",
        phones=("138 0013 8000", "+86 138-0013-8000")), by=manager)
    detail = services.customers.contact_detail(saved.id)
    assert detail.fields.phones == ("+8613800138000",)  # one number, written twice
    assert detail.consent_at is not None


def test_verification_is_kept_while_the_value_stays_and_dropped_when_it_changes(
        services: Services, manager: Actor, rep: Actor, db: Database) -> None:
    saved = services.customers.add_contact(ContactFields(
        name="张伟", phones=("13800138000",), emails=("zw@example.cn",)), by=manager)
    phone, _email = services.customers.contact_detail(saved.id).channels
    services.customers.verify(phone.id, verified=True, by=rep)
    detail = services.customers.contact_detail(saved.id)
    assert detail.channels[0].verified_by == rep.display_name
    assert detail.channels[0].verified_at is not None
    assert detail.channels[1].verified_at is None
    # the same number written another way keeps its tick; a new address starts unticked
    services.customers.update_contact(saved.id, replace(
        detail.fields, phones=("+86 138 0013 8000",), emails=("zhang.wei@example.cn",)),
        expected_version=detail.version, by=manager)
    after = services.customers.contact_detail(saved.id)
    assert after.channels[0].verified_by == rep.display_name
    assert [(c.value, c.verified_at) for c in after.channels[1:]] == [
        ("zhang.wei@example.cn", None)]
    with db.session() as session:
        actions = [e.action for e in session.scalars(select(AuditEntry).where(
            AuditEntry.entity == "contact").order_by(AuditEntry.id))]
    assert actions == ["create", "verify", "update"]
    assert db.query("SELECT count(*) FROM channels")[0][0] == 2
    # the history says which number was verified
    lines = services.customer_list.overview("contact", saved.id).history
    assert [(h.action, h.value) for h in lines if h.action == "verify"] == [
        ("verify", "138 0013 8000")]  # as the record shows the number


def test_an_edit_made_on_an_old_version_is_refused(services: Services, manager: Actor) -> None:
    saved = services.customers.add_company(STAR, by=manager)
    detail = services.customers.company_detail(saved.id)
    services.customers.update_company(saved.id, replace(detail.fields, city="上海"),
                                      expected_version=detail.version, by=manager)
    with pytest.raises(StaleEdit):
        services.customers.update_company(saved.id, replace(detail.fields, city="天津"),
                                          expected_version=detail.version, by=manager)
    assert services.customers.company_detail(saved.id).fields.city == "上海"


def test_an_update_records_what_changed(services: Services, manager: Actor,
                                        db: Database) -> None:
    saved = services.customers.add_company(STAR, by=manager)
    detail = services.customers.company_detail(saved.id)
    services.customers.update_company(saved.id, replace(detail.fields, tags=("重点",)),
                                      expected_version=detail.version, by=manager)
    with db.session() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "update")).one()
    assert json.loads(entry.details) == {"changed": {"tags": [["华北", "重点"], ["重点"]]}}
    assert services.customers.company_detail(saved.id).fields.tags == ("重点",)
    assert db.query("SELECT count(*) FROM tags")[0][0] == 2  # the tag stays for others


def test_lead_sources_are_seeded_shown_in_the_users_language_and_found_by_either_name(
        services: Services, manager: Actor, rep: Actor) -> None:
    labels = [s.label for s in services.lead_sources.all()]
    assert labels[:4] == ["WeChat", "WeCom", "Weibo", "Douyin"]
    assert len(labels) == 11
    wechat = services.lead_sources.all()[0].id
    assert services.lead_sources.find("微信") == wechat
    assert services.lead_sources.find(" wechat ") == wechat
    set_language("zh_CN")
    assert services.lead_sources.all()[0].label == "微信"
    with pytest.raises(NotAllowed):
        services.lead_sources.add(label="小红书", by=rep)
    own = services.lead_sources.add(label="小红书", by=manager)
    assert services.lead_sources.find("小红书") == own.id
    services.lead_sources.set_active(source_id=own.id, active=False, by=manager)
    assert own.id not in {s.id for s in services.lead_sources.all()}
    assert services.lead_sources.find("小红书") == own.id  # still what old records name


def test_a_deal_names_its_product_and_lead_source(services: Services, manager: Actor) -> None:
    from tests.helpers import make_deal

    product = services.products.add(name="CRM 实施", by=manager, code="CRM-01")
    deal = make_deal(services, manager, title="星辰 CRM")
    detail = services.deals.detail(deal.id)
    source = services.lead_sources.find("展会")
    services.deals.update(deal_id=deal.id, expected_version=detail.version, by=manager,
                          fields=replace(detail.fields, product_id=product.id,
                                         lead_source_id=source, campaign="2026 工博会"))
    fields = services.deals.detail(deal.id).fields
    assert (fields.product_id, fields.lead_source_id, fields.campaign) == (
        product.id, source, "2026 工博会")
    assert [p.name for p in services.products.all()] == ["CRM 实施"]


def test_channels_belong_to_exactly_one_record(db_path: Path) -> None:
    with closing(sqlite3.connect(db_path)) as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO channels (kind, value, key, position) "
                     "VALUES ('phone', '+8613800138000', '+8613800138000', 0)")


def test_reverting_an_edit_brings_back_its_consent_date_and_verifications_only(
        services: Services, manager: Actor) -> None:
    """What an undo of a form edit writes: what the edit changed, as it was (not a
    consent dated at the undo, nor a phone put back unverified), and nothing else (a
    release to the public pool made since stays)."""
    customers = services.customers
    saved = customers.add_contact(ContactFields(name="王芳", consent="given",
                                                phones=("13800138000", "13900139000")),
                                  by=manager)
    phone = customers.contact_detail(saved.id).channels[0]
    customers.verify(phone.id, verified=True, by=manager)
    before = customers.contact_detail(saved.id)
    assert before.consent_at is not None
    edited = customers.update_contact(saved.id, replace(
        before.fields, consent="refused", phones=("13900139000",)),
        expected_version=before.version, by=manager)
    edit = customers.contact_detail(saved.id)
    assert edit.consent_at != before.consent_at
    services.pool.release("contact", saved.id, by=manager)
    customers.revert(before, edit, expected_version=edited.version + 1, by=manager)
    after = customers.contact_detail(saved.id)
    assert after.fields == replace(before.fields, owner_id=None)  # still in the pool
    assert after.consent_at == before.consent_at
    restored = next(c for c in after.channels if c.value == phone.value)
    assert (restored.verified_at, restored.verified_by) == (
        before.channels[0].verified_at, manager.display_name)

