"""Quotes through the services, as a rep and a manager use them: options side by side,
the price floor and its approval, revisions frozen by each send, and the customer's
answer setting the deal's value."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from funneldesk.db import Database
from funneldesk.enums import ApprovalState, DealRole, QuoteState, Role
from funneldesk.errors import InvalidFields, InvalidInput, NotAllowed, StaleEdit
from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.services.quotes.records import (
    CatalogueItem,
    LineDraft,
    OptionDraft,
    ProductDraft,
    QuoteContent,
    QuoteHeader,
)
from tests.helpers import make_deal, make_user, snapshot
from tests.services.quote_helpers import catalogue, content


def second_manager(db: Database) -> Actor:
    return make_user(db, "boss2", "王经理", Role.MANAGER)


def test_a_quote_with_two_options_prices_each_and_keeps_the_catalogue_rules(
        services: Services, manager: Actor, rep: Actor) -> None:
    products = catalogue(services, manager)
    deal = make_deal(services, rep)
    quote = services.quotes.create(deal.id, content(products), by=rep).quote
    assert quote.number.startswith(f"Q{dt.datetime.now().astimezone().year}-")
    assert quote.state is QuoteState.DRAFT
    assert quote.revisions == (1,)
    standard, premium = quote.revision.options
    assert (standard.name, standard.amounts.total) == ("Standard", Decimal("11300.00"))
    # 20 × 1,130 + 5 × 2,120 = 22,600 + 10,600; tax inside: 2,600 + 600
    assert premium.amounts.total == Decimal("33200.00")
    assert premium.amounts.tax == Decimal("3200.00")
    line = premium.lines[1]
    assert (line.unit, line.tax_rate, line.floor_price) == ("人天", Decimal(6), Decimal(1500))
    assert line.amounts.floor_shown == Decimal("1590.00")
    assert not quote.revision.needs_approval


def test_a_line_below_its_floor_cannot_be_sent_until_another_manager_approves(
        services: Services, manager: Actor, rep: Actor, db: Database, db_path: Path) -> None:
    products = catalogue(services, manager)
    deal = make_deal(services, rep)
    quote = services.quotes.create(deal.id, content(products, "900.00"), by=rep).quote
    assert quote.revision.needs_approval
    assert [o.amounts.below_floor for o in quote.revision.options] == [1, 1]
    before = snapshot(db_path)
    with pytest.raises(NotAllowed, match="manager must approve"):
        services.quotes.send(quote.id, expected_version=quote.version, by=rep)
    with pytest.raises(NotAllowed):
        services.quotes.approve(quote.id, "ok", expected_version=quote.version, by=rep)
    assert snapshot(db_path) == before
    asked = services.quotes.ask_approval(quote.id, "Customer compares with a rival",
                                         expected_version=quote.version, by=rep).quote
    assert asked.revision.approval.state is ApprovalState.REQUESTED
    with pytest.raises(InvalidInput, match="why"):
        services.quotes.approve(quote.id, "  ", expected_version=asked.version, by=manager)
    approved = services.quotes.approve(quote.id, "Strategic account",
                                       expected_version=asked.version, by=manager).quote
    approval = approved.revision.approval
    assert (approval.state, approval.by, approval.reason, approval.self_approved) == (
        ApprovalState.APPROVED, manager.display_name, "Strategic account", False)
    assert approval.at is not None
    sent = services.quotes.send(quote.id, expected_version=approved.version, by=rep).quote
    assert sent.state is QuoteState.SENT
    assert sent.latest_sent == 1


def test_a_manager_approves_their_own_quote_only_when_no_other_manager_exists(
        services: Services, manager: Actor, db: Database) -> None:
    products = catalogue(services, manager)
    deal = make_deal(services, manager)
    quote = services.quotes.create(deal.id, content(products, "900.00"), by=manager).quote
    alone = services.quotes.approve(quote.id, "Only manager", expected_version=quote.version,
                                    by=manager).quote
    assert alone.revision.approval.self_approved
    other = services.quotes.create(deal.id, content(products, "900.00"), by=manager).quote
    boss = second_manager(db)
    with pytest.raises(NotAllowed, match="another manager"):
        services.quotes.approve(other.id, "mine", expected_version=other.version, by=manager)
    by_boss = services.quotes.approve(other.id, "fine", expected_version=other.version,
                                      by=boss).quote
    assert not by_boss.revision.approval.self_approved


def test_an_option_below_the_minimum_margin_needs_approval_too(
        services: Services, manager: Actor, rep: Actor) -> None:
    products = catalogue(services, manager)
    deal = make_deal(services, rep)
    day = products["day"].id
    # service days at their floor (1,500 + 6% = 1,590): margin (1,500 - 1,200) / 1,500 = 20%
    thin = QuoteContent((OptionDraft("Service", (LineDraft(day, Decimal(5), Decimal(1590)),)),),
                        content(products).terms)
    quote = services.quotes.create(deal.id, thin, by=rep).quote
    amounts = quote.revision.options[0].amounts
    assert amounts.margin == Decimal("0.2")
    assert not amounts.needs_approval
    services.quote_rules.set_rules(replace(services.quote_rules.rules(),
                                           min_margin=Decimal(25)), by=manager)
    assert services.quotes.get(quote.id).revision.options[0].amounts.below_margin
    with pytest.raises(NotAllowed):
        services.quotes.send(quote.id, expected_version=quote.version, by=rep)


def test_a_change_after_approval_voids_it(services: Services, manager: Actor,
                                          rep: Actor) -> None:
    products = catalogue(services, manager)
    deal = make_deal(services, rep)
    quote = services.quotes.create(deal.id, content(products, "900.00"), by=rep).quote
    approved = services.quotes.approve(quote.id, "once", expected_version=quote.version,
                                       by=manager).quote
    lower = services.quotes.save(quote.id, content(products, "500.00"),
                                 expected_version=approved.version, by=rep).quote
    assert lower.revision.approval.state is ApprovalState.NONE
    with pytest.raises(NotAllowed):
        services.quotes.send(quote.id, expected_version=lower.version, by=rep)


def test_each_send_freezes_a_revision_and_the_next_change_opens_another(
        services: Services, manager: Actor, rep: Actor) -> None:
    products = catalogue(services, manager)
    deal = make_deal(services, rep)
    quote = services.quotes.create(deal.id, content(products), by=rep).quote
    sent = services.quotes.send(quote.id, expected_version=quote.version, by=rep).quote
    same = services.quotes.save(quote.id, content(products), expected_version=sent.version,
                                by=rep)
    assert not same.opened_revision
    assert same.quote.revisions == (1,)
    cheaper = services.quotes.save(quote.id, content(products, "1017.00"),
                                   expected_version=same.quote.version, by=rep)
    assert cheaper.opened_revision
    assert cheaper.quote.revisions == (1, 2)
    assert cheaper.quote.state is QuoteState.SENT
    assert cheaper.quote.latest_sent == 1
    first = services.quotes.get(quote.id, revision=1)
    assert first.revision.options[0].amounts.total == Decimal("11300.00")
    assert first.revision.sent
    again = services.quotes.save(quote.id, content(products, "1000.00"),
                                 expected_version=cheaper.quote.version, by=rep)
    assert not again.opened_revision
    assert again.quote.revisions == (1, 2)
    resent = services.quotes.send(quote.id, expected_version=again.quote.version, by=rep)
    assert resent.quote.latest_sent == 2
    dropped = services.quotes.save(quote.id, content(products, "990.00"),
                                   expected_version=resent.quote.version, by=rep).quote
    assert dropped.revisions == (1, 2, 3)
    back = services.quotes.discard_revision(quote.id, expected_version=dropped.version,
                                            by=rep).quote
    assert back.revisions == (1, 2)
    assert back.revision.sent


def test_acceptance_records_the_option_and_sets_the_deals_value_and_reopen_puts_it_back(
        services: Services, manager: Actor, rep: Actor) -> None:
    products = catalogue(services, manager)
    deal = make_deal(services, rep, value="5000")
    quote = services.quotes.create(deal.id, content(products), by=rep).quote
    with pytest.raises(InvalidInput, match="sent"):
        services.quotes.accept(quote.id, quote.revision.options[1].id,
                               expected_version=quote.version, by=rep)
    sent = services.quotes.send(quote.id, expected_version=quote.version, by=rep).quote
    premium = sent.revision.options[1]
    accepted = services.quotes.accept(quote.id, premium.id, expected_version=sent.version,
                                      by=rep)
    assert accepted.quote.state is QuoteState.ACCEPTED
    assert accepted.quote.accepted_option_id == premium.id
    assert deal.id in accepted.changes.deal_ids
    assert services.deals.detail(deal.id).fields.value == Decimal("33200.00")
    with pytest.raises(InvalidInput, match="reopen"):
        services.quotes.save(quote.id, content(products), expected_version=accepted.quote.version,
                             by=rep)
    reopened = services.quotes.reopen(quote.id, expected_version=accepted.quote.version,
                                      by=rep).quote
    assert reopened.state is QuoteState.SENT
    assert services.deals.detail(deal.id).fields.value == Decimal("5000.00")


def test_an_expired_or_redrafted_quote_is_not_accepted_and_a_rejected_one_is_kept(
        services: Services, manager: Actor, rep: Actor) -> None:
    products = catalogue(services, manager)
    deal = make_deal(services, rep)
    soon = dt.date.today() + dt.timedelta(days=2)
    quote = services.quotes.create(deal.id, content(products, valid=soon), by=rep).quote
    sent = services.quotes.send(quote.id, expected_version=quote.version, by=rep).quote
    option = sent.revision.options[0].id
    later = soon + dt.timedelta(days=1)
    assert services.quotes.get(quote.id, today=later).expired
    with pytest.raises(InvalidInput, match="expired"):
        services.quotes.accept(quote.id, option, expected_version=sent.version, by=rep, on=later)
    redraft = services.quotes.save(quote.id, content(products, "1100.00", valid=soon),
                                   expected_version=sent.version, by=rep).quote
    with pytest.raises(InvalidInput, match="being drafted"):
        services.quotes.accept(quote.id, option, expected_version=redraft.version, by=rep)
    kept = services.quotes.discard_revision(quote.id, expected_version=redraft.version,
                                            by=rep).quote
    rejected = services.quotes.reject(quote.id, "Budget cut", expected_version=kept.version,
                                      by=rep).quote
    assert (rejected.state, rejected.rejected_reason) == (QuoteState.REJECTED, "Budget cut")
    assert [q.state_code for q in services.quotes.for_deal(deal.id)] == ["rejected"]


def test_bad_content_is_refused_field_by_field_and_changes_nothing(
        services: Services, manager: Actor, rep: Actor, db_path: Path) -> None:
    products = catalogue(services, manager)
    deal = make_deal(services, rep)
    lic = products["licence"].id
    bad = QuoteContent((OptionDraft("A", (LineDraft(lic, Decimal(0), Decimal("1.005")),
                                          LineDraft(999, Decimal(1), Decimal(1),
                                                    Decimal(120)))),
                        OptionDraft("a", ())), content(products).terms)
    before = snapshot(db_path)
    with pytest.raises(InvalidFields) as refused:
        services.quotes.create(deal.id, bad, by=rep)
    assert {p.field for p in refused.value.problems} == {
        "options.0.lines.0.quantity", "options.0.lines.0.unit_price",
        "options.0.lines.1.product", "options.0.lines.1.discount", "options.1.name"}
    assert snapshot(db_path) == before


def test_a_stale_save_and_a_stranger_are_refused(services: Services, manager: Actor,
                                                 rep: Actor, db: Database) -> None:
    products = catalogue(services, manager)
    deal = make_deal(services, rep)
    quote = services.quotes.create(deal.id, content(products), by=rep).quote
    services.quotes.save(quote.id, content(products, "1200.00"),
                         expected_version=quote.version, by=rep)
    with pytest.raises(StaleEdit):
        services.quotes.save(quote.id, content(products, "1300.00"),
                             expected_version=quote.version, by=rep)
    stranger = make_user(db, "other", "Other Rep")
    with pytest.raises(NotAllowed, match="owner"):
        services.quotes.create(deal.id, content(products), by=stranger)


def test_after_a_send_the_tax_basis_stays_as_the_customer_has_it(
        services: Services, manager: Actor, rep: Actor) -> None:
    products = catalogue(services, manager)
    deal = make_deal(services, rep)
    quote = services.quotes.create(deal.id, content(products), by=rep).quote
    sent = services.quotes.send(quote.id, expected_version=quote.version, by=rep).quote
    with pytest.raises(InvalidInput, match="tax"):
        services.quotes.save(quote.id, content(products), expected_version=sent.version, by=rep,
                             header=replace(sent.header, prices_include_tax=False))
    english = services.quotes.save(quote.id, content(products), expected_version=sent.version,
                                   by=rep, header=replace(sent.header, language="en")).quote
    assert english.header.language == "en"
    assert english.revision.options[0].lines[0].name == "CRM licence"


def test_the_comparison_names_each_concession_between_two_revisions(
        services: Services, manager: Actor, rep: Actor) -> None:
    products = catalogue(services, manager)
    deal = make_deal(services, rep)
    quote = services.quotes.create(deal.id, content(products), by=rep).quote
    sent = services.quotes.send(quote.id, expected_version=quote.version, by=rep).quote
    premium = content(products).options[1]
    lic = products["licence"].id
    cheaper = QuoteContent((
        OptionDraft("Standard", (LineDraft(lic, Decimal(12), Decimal("1130.00"),
                                           Decimal(10)),)),
        OptionDraft("Premium", premium.lines[:1]),
        OptionDraft("Lite", (LineDraft(lic, Decimal(5), Decimal("1130.00")),)),
    ), replace(content(products).terms, payment_terms="50% on signing"))
    second = services.quotes.save(quote.id, cheaper, expected_version=sent.version,
                                  by=rep).quote
    comparison = services.quotes.compare(quote.id, 1, second.revisions[-1])
    found = {(d.kind, d.option, d.item): (d.before, d.after) for d in comparison.differences}
    assert found[("quantity", "Standard", "CRM licence")] == ("10", "12")
    assert found[("discount", "Standard", "CRM licence")] == ("0%", "10%")
    assert found[("line_removed", "Premium", "Implementation")] == ("5 人天 × 2,120.00", "")
    assert found[("option_added", "Lite", "")] == ("", "5,650.00")
    assert found[("payment_terms", "", "")] == ("30% on signing, 70% on acceptance",
                                                "50% on signing")
    # Standard 11,300 -> 12,204 (12 × 1,017); Premium 33,200 -> 22,600
    totals = {d.option: d.amount for d in comparison.differences if d.kind == "total"}
    assert totals == {"Standard": Decimal("904.00"), "Premium": Decimal("-10600.00")}
    assert comparison.concessions == Decimal("9696.00")


def test_a_draft_is_deleted_but_a_quote_once_sent_is_kept(
        services: Services, manager: Actor, rep: Actor) -> None:
    products = catalogue(services, manager)
    deal = make_deal(services, rep)
    draft = services.quotes.create(deal.id, content(products), by=rep).quote
    gone = services.quotes.delete_draft(draft.id, expected_version=draft.version, by=rep)
    assert gone.quote.number == draft.number
    assert services.quotes.for_deal(deal.id) == []
    kept = services.quotes.create(deal.id, content(products), by=rep).quote
    sent = services.quotes.send(kept.id, expected_version=kept.version, by=rep).quote
    with pytest.raises(InvalidInput, match="kept"):
        services.quotes.delete_draft(kept.id, expected_version=sent.version, by=rep)


def test_switching_a_drafts_tax_basis_reprices_it_and_voids_its_approval(
        services: Services, manager: Actor, rep: Actor, db: Database) -> None:
    products = catalogue(services, manager)
    deal = make_deal(services, rep)
    # 800 before tax is the licence's floor exactly: no approval needed ...
    quote = services.quotes.create(deal.id, content(products, "800.00", extra_option=False),
                                   by=rep, header=QuoteHeader("", "en", False, None)).quote
    assert not quote.revision.needs_approval
    lic = products["licence"].id
    cheaper = QuoteContent((OptionDraft("Standard", (LineDraft(lic, Decimal(10),
                                                               Decimal("790.00")),)),),
                           content(products).terms)
    asked = services.quotes.save(quote.id, cheaper, expected_version=quote.version,
                                 by=rep).quote
    approved = services.quotes.approve(quote.id, "fine", expected_version=asked.version,
                                       by=second_manager(db)).quote
    assert approved.revision.cleared
    # ... and read with tax included, 790 is 699.12 before tax: the approval was not for that
    taxed = services.quotes.save(quote.id, cheaper, expected_version=approved.version, by=rep,
                                 header=replace(approved.header, prices_include_tax=True)).quote
    assert taxed.revision.approval.state is ApprovalState.NONE
    assert not taxed.revision.cleared
    summary = services.quotes.for_deal(deal.id)[0]
    assert summary.options[0].total == Decimal("7900.00")  # the kept total follows
    assert taxed.revision.options[0].amounts.tax == Decimal("908.85")
    with pytest.raises(NotAllowed):
        services.quotes.send(quote.id, expected_version=taxed.version, by=rep)


def test_trailing_spaces_are_no_change_after_a_send(
        services: Services, manager: Actor, rep: Actor) -> None:
    products = catalogue(services, manager)
    deal = make_deal(services, rep)
    quote = services.quotes.create(deal.id, content(products), by=rep).quote
    sent = services.quotes.send(quote.id, expected_version=quote.version, by=rep).quote
    spaced = content(products)
    spaced = replace(spaced, options=tuple(replace(o, name=f" {o.name} ")
                                           for o in spaced.options),
                     terms=replace(spaced.terms, notes="  "))
    same = services.quotes.save(quote.id, spaced, expected_version=sent.version, by=rep)
    assert not same.opened_revision
    assert same.quote.revisions == (1,)


def test_a_stranger_emails_nothing_and_a_quote_goes_to_the_trash_and_out_with_its_deal(
        services: Services, manager: Actor, rep: Actor, db: Database) -> None:
    from funneldesk.services.quotes.mail import Draft
    from tests.helpers import version

    products = catalogue(services, manager)
    deal = make_deal(services, rep)
    quote = services.quotes.create(deal.id, content(products), by=rep).quote
    sent = services.quotes.send(quote.id, expected_version=quote.version, by=rep).quote
    stranger = make_user(db, "other", "Other Rep")
    with pytest.raises(NotAllowed):
        services.mail.email_quote(quote.id, Draft("x@rival.example", "Quote", ""),
                                  expected_version=sent.version, by=stranger)
    with pytest.raises(StaleEdit):
        services.mail.email_quote(quote.id, Draft("x@customer.example", "Quote", ""),
                                  expected_version=sent.version - 1, by=rep)
    services.mail.email_quote(quote.id, Draft("x@customer.example", "Quote", ""),
                              expected_version=sent.version, by=rep)
    assert [h.record_id for h in services.search.search(quote.number, by=rep)
            if h.kind == "quote"] == [quote.id]
    services.trash.delete(deal_id=deal.id, expected_version=version(services, deal.id), by=rep)
    services.trash.empty(deal_ids=[deal.id], by=manager)
    assert services.quotes.all() == []
    assert services.db.query("SELECT count(*) FROM outbox")[0][0] == 0
    assert not [h for h in services.search.search(quote.number, by=rep) if h.kind == "quote"]


def test_a_decision_is_taken_back_and_a_drafted_revision_dropped_only_by_who_may(
        services: Services, manager: Actor, rep: Actor, db: Database) -> None:
    products = catalogue(services, manager)
    deal = make_deal(services, rep)
    colleague = make_user(db, "li", "李工")
    services.deal_teams.set_member(deal.id, colleague.id, DealRole.PRESALES, by=rep)
    quote = services.quotes.create(deal.id, content(products, "500.00"), by=rep).quote
    with pytest.raises(InvalidInput, match="nothing to take back"):
        services.quotes.withdraw_approval(quote.id, expected_version=quote.version, by=manager)
    declined = services.quotes.decline(quote.id, "too low", expected_version=quote.version,
                                       by=manager).quote
    assert declined.revision.approval.state is ApprovalState.DECLINED
    back = services.quotes.withdraw_approval(quote.id, expected_version=declined.version,
                                             by=manager).quote
    assert back.revision.approval.state is ApprovalState.NONE
    fair = services.quotes.save(quote.id, content(products), expected_version=back.version,
                                by=rep).quote
    sent = services.quotes.send(quote.id, expected_version=fair.version, by=rep).quote
    redrafted = services.quotes.save(quote.id, content(products, "1100.00"),
                                     expected_version=sent.version, by=rep).quote
    with pytest.raises(NotAllowed):
        services.quotes.discard_revision(quote.id, expected_version=redrafted.version,
                                         by=colleague)
    with pytest.raises(NotAllowed):
        services.quotes.delete_draft(quote.id, expected_version=redrafted.version,
                                     by=colleague)
    dropped = services.quotes.discard_revision(quote.id, expected_version=redrafted.version,
                                               by=rep).quote
    assert dropped.revisions == (1,)


def test_a_sent_revision_keeps_its_names_and_margin_rule_and_a_changed_floor_stops_a_send(
        services: Services, manager: Actor, rep: Actor) -> None:
    products = catalogue(services, manager)
    deal = make_deal(services, rep)
    quote = services.quotes.create(deal.id, content(products), by=rep).quote
    sent = services.quotes.send(quote.id, expected_version=quote.version, by=rep).quote
    licence = products["licence"]
    services.catalogue.update(licence.id, ProductDraft(
        "CRM 许可证", "LIC-1", "CRM licence 2", "套", "", "", Decimal(1000), Decimal(990),
        Decimal(300), Decimal(13)), expected_version=licence.version, by=manager)
    services.quote_rules.set_rules(replace(services.quote_rules.rules(),
                                           min_margin=Decimal(80)), by=manager)
    first = services.quotes.get(quote.id, 1)
    assert first.revision.options[0].lines[0].name == "CRM licence"
    assert first.revision.cleared  # the rule it went out under, not today's 80%
    accepted = services.quotes.accept(quote.id, first.revision.options[0].id,
                                      expected_version=sent.version, by=rep).quote
    assert accepted.state is QuoteState.ACCEPTED
    other = services.quotes.create(deal.id, content(products, "1130.00"), by=rep).quote
    # the floor moves after the save: the send asks for a new save first
    item = services.catalogue.item(licence.id)
    services.catalogue.update(item.id, replace_draft(item, floor=Decimal(995)),
                              expected_version=item.version, by=manager)
    with pytest.raises(InvalidInput, match="catalogue changed"):
        services.quotes.send(other.id, expected_version=other.version, by=rep)
    resaved = services.quotes.save(other.id, content(products, "1130.00"),
                                   expected_version=other.version, by=rep).quote
    assert resaved.revision.options[0].lines[0].floor_price == Decimal(995)


def replace_draft(item: CatalogueItem, *, floor: Decimal) -> ProductDraft:
    return ProductDraft(item.name, item.code, item.name_en, item.unit, item.description,
                        item.currency, item.list_price, floor, item.cost, item.tax_rate)


def test_a_deal_follows_one_accepted_quote_at_a_time(
        services: Services, manager: Actor, rep: Actor) -> None:
    products = catalogue(services, manager)
    deal = make_deal(services, rep)
    first = services.quotes.create(deal.id, content(products), by=rep).quote
    first = services.quotes.send(first.id, expected_version=first.version, by=rep).quote
    accepted = services.quotes.accept(first.id, first.revision.options[1].id,
                                      expected_version=first.version, by=rep)
    assert accepted.deal_version == services.deals.detail(deal.id).version
    second = services.quotes.create(deal.id, content(products, extra_option=False),
                                    by=rep).quote
    second = services.quotes.send(second.id, expected_version=second.version, by=rep).quote
    with pytest.raises(InvalidInput, match=f"{first.number} of this deal is accepted"):
        services.quotes.accept(second.id, second.revision.options[0].id,
                               expected_version=second.version, by=rep)
    assert services.deals.detail(deal.id).fields.value == Decimal("33200.00")
