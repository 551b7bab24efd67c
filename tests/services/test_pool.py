"""The public pool (公海): leads untouched for the team's number of days return to it with
their contacts, key customers and won customers stay; any rep claims from it, only the
owner or a manager puts a lead back, and every return, release and claim is kept."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from funneldesk.db import Database
from funneldesk.errors import InvalidInput, NotAllowed, StaleEdit
from funneldesk.i18n import set_language
from funneldesk.models import AuditEntry, Company, Contact, PoolEvent, User
from funneldesk.models.base import utcnow
from funneldesk.services import Services
from funneldesk.services.customers.records import CompanyFields, ContactFields
from funneldesk.services.dto import Actor, DealFields, Role
from tests.helpers import stage, tick_all, version


def company(services: Services, by: Actor, name: str, **fields: str) -> int:
    return services.customers.add_company(CompanyFields(name=name, **fields), by=by).id


def contact(services: Services, by: Actor, name: str, company_id: int | None = None) -> int:
    return services.customers.add_contact(ContactFields(name=name, company_id=company_id),
                                          by=by).id


def deal(services: Services, by: Actor, company_id: int, stage_name: str = "Initial contact",
         contact_id: int | None = None) -> int:
    target = stage(services, stage_name)
    fields = DealFields(f"Deal of #{company_id}", company_id, contact_id, Decimal(1000), "USD",
                        None, by.id)
    return services.deals.create(pipeline_id=target.pipeline_id, stage_id=target.id,
                                 fields=fields, by=by).card.id


def age(db: Database, model: type[Company] | type[Contact], ident: int, days: int) -> None:
    """As if nobody had touched the record for ``days`` days."""
    with db.session() as session:
        session.execute(update(model).where(model.id == ident)
                        .values(touched_at=utcnow() - dt.timedelta(days=days)))


def owner(db: Database, model: type[Company] | type[Contact], ident: int) -> int | None:
    with db.session() as session:
        return session.scalars(select(model.owner_id).where(model.id == ident)).one()


def events(db: Database) -> list[tuple[str, int, str, int | None, int | None]]:
    with db.session() as session:
        return [(e.entity, e.record_id, e.action, e.owner_before_id, e.by_id)
                for e in session.scalars(select(PoolEvent).order_by(PoolEvent.id))]


@pytest.fixture
def bo(db: Database) -> Actor:
    with db.session() as session:
        user = User(login="bo", display_name="Bo Rep", role=Role.REP)
        session.add(user)
        session.flush()
        return Actor(user.id, user.login, user.display_name, user.role)


def test_the_sweep_returns_untouched_leads_with_their_contacts_and_nothing_else(
        services: Services, manager: Actor, rep: Actor, db: Database) -> None:
    lead = company(services, rep, "Old Lead Ltd")
    its_contact = contact(services, rep, "Li Lei", lead)
    key = company(services, rep, "Key Customer Ltd", key_level="A")
    won = company(services, rep, "Won Customer Ltd")
    won_deal = deal(services, manager, won, "Contract")
    tick_all(services, manager, won_deal, "Contract")
    services.moves.move_deal(deal_id=won_deal, to_stage_id=stage(services, "Won").id,
                             before_id=None, expected_version=version(services, won_deal),
                             by=manager, won_on=dt.date.today(), final_value=Decimal(900))
    fresh = company(services, rep, "Fresh Lead Ltd")
    lone = contact(services, rep, "Han Meimei")
    lone_fresh = contact(services, rep, "Wang Fang")
    for model, ident in ((Company, lead), (Company, key), (Company, won), (Contact, lone),
                         (Contact, its_contact)):
        age(db, model, ident, 31)
    form = services.customers.company_detail(lead)  # open while the sweep runs

    assert services.pool.sweep() == 3
    assert owner(db, Company, lead) is None
    assert owner(db, Contact, its_contact) is None  # the contact follows its company
    assert owner(db, Contact, lone) is None
    for model, ident in ((Company, key), (Company, won), (Company, fresh),
                         (Contact, lone_fresh)):
        assert owner(db, model, ident) == rep.id
    assert sorted(events(db)) == sorted([
        ("company", lead, "returned", rep.id, None), ("contact", its_contact, "returned",
                                                      rep.id, None),
        ("contact", lone, "returned", rep.id, None)])
    assert [r.name for r in services.pool.pooled("company")] == ["Old Lead Ltd"]
    assert services.pool.pooled("company")[0].previous_owner == rep.display_name
    assert services.pool.pooled("company")[0].pooled_at is not None
    # the form opened before cannot hand the lead back to its owner
    with pytest.raises(StaleEdit):
        services.customers.update_company(lead, replace(form.fields, city="Xi'an"),
                                          expected_version=form.version, by=rep)
    assert owner(db, Company, lead) is None
    # a second sweep finds nothing more to return
    assert services.pool.sweep() == 0
    assert len(events(db)) == 3


def test_the_number_of_days_is_a_managers_setting_and_0_turns_the_pool_off(
        services: Services, manager: Actor, rep: Actor, db: Database) -> None:
    assert services.team_settings.pool_days() == 30
    lead = company(services, rep, "Old Lead Ltd")
    later = utcnow() + dt.timedelta(days=400)
    with pytest.raises(NotAllowed):
        services.team_settings.set_pool_days(days=0, by=rep)
    with pytest.raises(InvalidInput) as refused:
        services.team_settings.set_pool_days(days=3651, by=manager)
    assert refused.value.field == "pool_days"
    services.team_settings.set_pool_days(days=0, by=manager)
    assert services.pool.sweep(now=later) == 0
    assert owner(db, Company, lead) == rep.id
    services.team_settings.set_pool_days(days=7, by=manager)
    assert services.pool.sweep(now=utcnow() + dt.timedelta(days=6)) == 0
    assert services.pool.sweep(now=utcnow() + dt.timedelta(days=8)) == 1
    with db.session() as session:
        changes = [json.loads(e.details) for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "set-pool-days")
            .order_by(AuditEntry.id))]
    assert changes == [{"pool_days": [30, 0]}, {"pool_days": [0, 7]}]


def test_a_deal_move_or_edit_or_a_contacts_edit_restarts_the_companys_clock(
        services: Services, manager: Actor, rep: Actor, db: Database) -> None:
    moved, edited, by_contact, left = (company(services, rep, f"Lead {n}") for n in "ABCD")
    moved_deal, edited_deal, _other = (deal(services, manager, c, "Needs analysis")
                                       for c in (moved, edited, left))
    person = contact(services, rep, "Zhang Wei", by_contact)
    for ident in (moved, edited, by_contact, left):
        age(db, Company, ident, 40)
    age(db, Contact, person, 40)

    services.moves.move_deal(deal_id=moved_deal, to_stage_id=stage(services, "Initial contact").id,
                             before_id=None, expected_version=version(services, moved_deal),
                             by=manager)
    detail = services.deals.detail(edited_deal)
    services.deals.update(deal_id=edited_deal, expected_version=detail.version, by=manager,
                          fields=replace(detail.fields, next_step="Call back"))
    shown = services.customers.contact_detail(person)
    services.customers.update_contact(person, replace(shown.fields, title="CTO"),
                                      expected_version=shown.version, by=rep)

    assert services.pool.sweep() == 1
    assert [r.id for r in services.pool.pooled("company")] == [left]


def test_a_rep_claims_a_lead_and_a_second_claim_names_who_was_first(
        services: Services, manager: Actor, rep: Actor, bo: Actor, db: Database) -> None:
    lead = company(services, manager, "Old Lead Ltd")
    person = contact(services, manager, "Li Lei", lead)
    age(db, Company, lead, 31)
    age(db, Contact, person, 31)
    assert services.pool.sweep() == 2

    services.pool.claim("company", lead, by=rep)
    assert owner(db, Company, lead) == rep.id
    assert owner(db, Contact, person) == rep.id  # the contacts come along
    assert services.pool.pooled("company") == []
    detail = services.customers.company_detail(lead)
    assert detail.owner_name == rep.display_name
    with pytest.raises(InvalidInput) as refused:
        services.pool.claim("company", lead, by=bo)
    assert "Rita Rep claimed “Old Lead Ltd” first" in refused.value.message()
    set_language("zh_CN")
    with pytest.raises(InvalidInput) as in_chinese:
        services.pool.claim("company", lead, by=bo)
    assert "Rita Rep 已于" in in_chinese.value.message()
    set_language("en")
    assert owner(db, Company, lead) == rep.id
    # a lead that was never in the pool cannot be claimed either
    other = company(services, manager, "Owned Ltd")
    with pytest.raises(InvalidInput) as not_pooled:
        services.pool.claim("company", other, by=bo)
    assert "belongs to" in not_pooled.value.message()
    # the claim restarted the clock: the next sweep leaves the lead with its new owner
    assert services.pool.sweep() == 0


def test_only_the_owner_or_a_manager_puts_a_lead_back(
        services: Services, manager: Actor, rep: Actor, bo: Actor, db: Database) -> None:
    lead = company(services, rep, "Rita's Lead")
    person = contact(services, rep, "Li Lei", lead)
    with pytest.raises(NotAllowed):
        services.pool.release("company", lead, by=bo)
    assert owner(db, Company, lead) == rep.id
    services.pool.release("company", lead, by=rep)
    assert owner(db, Company, lead) is None
    assert owner(db, Contact, person) is None
    with pytest.raises(InvalidInput):
        services.pool.release("company", lead, by=rep)  # already there
    services.pool.claim("contact", person, by=bo)
    services.pool.release("contact", person, by=manager)  # a manager may release anyone's
    assert owner(db, Contact, person) is None


def test_the_history_says_who_returned_claimed_and_released_what_newest_first(
        services: Services, rep: Actor, bo: Actor, db: Database) -> None:
    lead = company(services, rep, "Old Lead Ltd")
    age(db, Company, lead, 31)
    services.pool.sweep()
    services.pool.claim("company", lead, by=bo)
    services.pool.release("company", lead, by=bo)
    history = services.pool.history("company", lead)
    assert [(h.action, h.by, h.owner_before) for h in history] == [
        ("released", "Bo Rep", "Bo Rep"),
        ("claimed", "Bo Rep", None),
        ("returned", None, "Rita Rep")]
    assert history[0].at >= history[-1].at
    assert services.pool.pooled("company")[0].previous_owner == "Bo Rep"
