"""What a change to customers reports (ChangeSet), so that each view refreshes only its
part: a save names its record, a rename the deals that show the name, a claim or release
the record and the contacts that follow a company, a merge both records and their deals."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from funneldesk.services import Services
from funneldesk.services.customers.records import CompanyFields, ContactFields
from funneldesk.services.dto import Actor, ChangeSet, DealFields
from tests.helpers import stage


def a_deal(services: Services, manager: Actor, company_id: int) -> int:
    target = stage(services, "Initial contact")
    return services.deals.create(pipeline_id=target.pipeline_id, stage_id=target.id,
                                 fields=DealFields("Fleet order", company_id, None,
                                                   Decimal(100), "USD", None, manager.id),
                                 by=manager).card.id


def test_a_save_names_its_record_and_a_rename_the_deals_that_show_it(
        services: Services, manager: Actor) -> None:
    saved = services.customers.add_company(CompanyFields(name="Bolt Motors"), by=manager)
    assert saved.changes == ChangeSet(company_ids=frozenset({saved.id}))
    deal = a_deal(services, manager, saved.id)
    detail = services.customers.company_detail(saved.id)
    moved = services.customers.update_company(saved.id, replace(detail.fields, city="Wuhan"),
                                              expected_version=detail.version, by=manager)
    assert moved.changes == ChangeSet(company_ids=frozenset({saved.id}))
    detail = services.customers.company_detail(saved.id)
    renamed = services.customers.update_company(
        saved.id, replace(detail.fields, name="Thunderbolt Cars"),
        expected_version=detail.version, by=manager)
    assert renamed.changes == ChangeSet(frozenset({deal}), company_ids=frozenset({saved.id}))
    detail = services.customers.company_detail(saved.id)
    same = services.customers.update_company(saved.id, detail.fields,
                                             expected_version=detail.version, by=manager)
    assert same.changes.empty


def test_release_and_claim_name_the_company_and_its_contacts(
        services: Services, manager: Actor) -> None:
    company = services.customers.add_company(CompanyFields(name="Acme Tools"), by=manager)
    person = services.customers.add_contact(ContactFields(name="Li Lei",
                                                          company_id=company.id), by=manager)
    expected = ChangeSet(company_ids=frozenset({company.id}),
                         contact_ids=frozenset({person.id}))
    assert services.pool.release("company", company.id, by=manager).changes == expected
    assert services.pool.claim("company", company.id, by=manager).changes == expected


def test_a_merge_names_both_records_and_the_deals_of_either(
        services: Services, manager: Actor) -> None:
    kept = services.customers.add_company(CompanyFields(name="Acme Tools"), by=manager)
    other = services.customers.add_company(CompanyFields(name="Acme Tools Ltd"), by=manager)
    deal = a_deal(services, manager, other.id)
    merge_id = services.merges.merge("company", kept.id, other.id, {}, (1, 1), manager)
    assert services.merges.changes(merge_id) == ChangeSet(
        frozenset({deal}), company_ids=frozenset({kept.id, other.id}))
