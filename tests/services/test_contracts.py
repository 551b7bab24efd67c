"""Contracts through the services, as a rep, the deal's team and a manager use them: made
from the accepted option, reviewed item by item, taken along the offline signing path,
paid milestone by milestone, confidential where it must be."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from funneldesk.db import Database
from funneldesk.enums import (
    ActivityState,
    Confidentiality,
    ContractState,
    DealRole,
    StageKind,
)
from funneldesk.errors import InvalidFields, InvalidInput, NotAllowed, NotFound, StaleEdit
from funneldesk.services import Services
from funneldesk.services.contracts.records import Commitments, MilestoneDraft, StepDetails
from funneldesk.services.dto import Actor
from tests.helpers import make_user, pipeline, snapshot, stage
from tests.services.contract_helpers import accepted_quote, contract, reviewed, signed

SCAN = b"%PDF-1.4 scanned signed copy"


def test_a_contract_copies_the_accepted_option_the_customer_and_the_template(
        services: Services, manager: Actor, rep: Actor) -> None:
    view = contract(services, manager, rep)
    assert view.state is ContractState.DRAFT
    assert view.summary.number.startswith(f"C{dt.date.today().year}-")
    assert view.option_name == "Premium"
    assert view.summary.amount == Decimal("33200.00")
    assert [i.name for i in view.items] == ["CRM licence", "Implementation"]
    assert sum(i.amount for i in view.items) == Decimal("33200.00")
    # 30% on signing, 70% on acceptance, adding up to the amount exactly
    assert [m.amount for m in view.milestones] == [Decimal("9960.00"), Decimal("23240.00")]
    assert "{customer}" in view.content.terms
    assert view.unknown_placeholders == ()
    assert view.content.delivery_terms == "Within 20 working days"
    assert [s.state for s in view.steps] == [ContractState.DRAFT]


def test_only_an_accepted_quote_makes_a_contract_and_only_one_at_a_time(
        services: Services, manager: Actor, rep: Actor) -> None:
    _deal, quote_id = accepted_quote(services, manager, rep)
    first = services.contracts.create(quote_id, by=rep).contract
    with pytest.raises(InvalidInput, match=first.summary.number):
        services.contracts.create(quote_id, by=rep)
    services.contracts.cancel(first.id, "Customer asked for new terms",
                              expected_version=first.version, by=rep)
    second = services.contracts.create(quote_id, by=rep).contract
    assert second.summary.number != first.summary.number


def test_the_customers_answer_stays_while_a_contract_rests_on_it(
        services: Services, manager: Actor, rep: Actor, db_path: Path) -> None:
    _deal, quote_id = accepted_quote(services, manager, rep)
    made = services.contracts.create(quote_id, by=rep).contract
    version = services.quotes.get(quote_id).version
    before = snapshot(db_path)
    with pytest.raises(InvalidInput, match="cancel the contract"):
        services.quotes.reopen(quote_id, expected_version=version, by=rep)
    assert snapshot(db_path) == before
    services.contracts.cancel(made.id, "Wrong option", expected_version=made.version, by=rep)
    reopened = services.quotes.reopen(quote_id, expected_version=version, by=rep).quote
    assert reopened.state.value == "sent"


def test_printed_in_the_other_language_an_untouched_template_follows(
        services: Services, manager: Actor, rep: Actor) -> None:
    view = contract(services, manager, rep)
    assert view.content.language == "en"
    chinese = services.contracts.save(view.id, replace(view.content, language="zh_CN"),
                                      expected_version=view.version, by=rep).contract
    assert chinese.content.terms == services.contract_settings.settings().templates[
        "zh_CN"].strip()
    # terms the rep changed stay as written
    mine = replace(chinese.content, terms=chinese.content.terms + "\n\n附加条款\n另行约定。",
                   language="en")
    kept = services.contracts.save(view.id, mine, expected_version=chinese.version,
                                   by=rep).contract
    assert kept.content.terms.endswith("另行约定。")


def test_an_unknown_placeholder_is_refused_where_it_was_typed_and_changes_nothing(
        services: Services, manager: Actor, rep: Actor, db_path: Path) -> None:
    view = contract(services, manager, rep)
    before = snapshot(db_path)
    bad = replace(view.content, terms=view.content.terms + "\n\n付款\n请付 {amont} 元。")
    with pytest.raises(InvalidFields) as refused:
        services.contracts.save(view.id, bad, expected_version=view.version, by=rep)
    assert {p.field for p in refused.value.problems} == {"terms"}
    assert "{amont}" in refused.value.problems[0].reason
    assert snapshot(db_path) == before
    braces = replace(view.content, terms=view.content.terms + "\n\nNote\nWrite {{amount}}.")
    saved = services.contracts.save(view.id, braces, expected_version=view.version,
                                    by=rep).contract
    assert saved.unknown_placeholders == ()


def test_a_payment_schedule_must_add_up_and_may_mix_shares_and_amounts(
        services: Services, manager: Actor, rep: Actor) -> None:
    view = contract(services, manager, rep)
    day = dt.date.today() + dt.timedelta(days=10)
    short = replace(view.content, milestones=(MilestoneDraft("预付款", day, Decimal(30)),
                                              MilestoneDraft("尾款", day, Decimal(60))))
    with pytest.raises(InvalidFields, match="add up"):
        services.contracts.save(view.id, short, expected_version=view.version, by=rep)
    mixed = replace(view.content, milestones=(
        MilestoneDraft("预付款", day, amount=Decimal("10000")),
        MilestoneDraft("到货款", day, Decimal("33.33")),
        MilestoneDraft("尾款", None, amount=Decimal("12134.44"))))
    saved = services.contracts.save(view.id, mixed, expected_version=view.version,
                                    by=rep).contract
    assert [m.amount for m in saved.milestones] == [Decimal("10000.00"), Decimal("11065.56"),
                                                    Decimal("12134.44")]
    assert sum(m.amount for m in saved.milestones) == saved.summary.amount


def test_the_review_is_ticked_by_whom_it_names_and_must_be_complete_before_posting(
        services: Services, manager: Actor, rep: Actor, db: Database) -> None:
    view = contract(services, manager, rep)
    lawyer = make_user(db, "lawyer", "李律师")
    services.deal_teams.set_member(view.summary.deal_id, lawyer.id, DealRole.LEGAL, by=rep)
    view = services.contracts.advance(view.id, ContractState.IN_REVIEW,
                                      expected_version=view.version, by=rep).contract
    legal, finance, boss = view.reviews
    assert (legal.who, finance.who, boss.who) == ("legal", "finance", "manager")
    with pytest.raises(NotAllowed, match="Legal"):
        services.contracts.tick(view.id, legal.id, True, expected_version=view.version, by=rep)
    view = services.contracts.tick(view.id, legal.id, True, expected_version=view.version,
                                   by=lawyer, note="违约条款已核").contract
    ticked = view.reviews[0]
    assert ticked.ticked_by == "李律师"
    assert ticked.ticked_at is not None
    assert ticked.note == "违约条款已核"
    with pytest.raises(NotAllowed, match="Manager"):
        services.contracts.tick(view.id, boss.id, True, expected_version=view.version,
                                by=lawyer)
    with pytest.raises(NotAllowed, match="review is not complete"):
        services.contracts.advance(view.id, ContractState.APPROVED,
                                   expected_version=view.version, by=rep)
    for item in (finance, boss):
        view = services.contracts.tick(view.id, item.id, True, expected_version=view.version,
                                       by=manager).contract
    assert view.review_complete
    view = services.contracts.advance(view.id, ContractState.APPROVED,
                                      expected_version=view.version, by=rep).contract
    assert view.state is ContractState.APPROVED
    # back to draft: the review starts again from nothing
    view = services.contracts.advance(view.id, ContractState.DRAFT,
                                      expected_version=view.version, by=rep).contract
    assert view.reviews == ()


def test_the_signing_path_records_each_step_with_its_day_courier_and_scan(
        services: Services, manager: Actor, rep: Actor) -> None:
    made_on = dt.date.today() - dt.timedelta(days=5)
    view = reviewed(services, manager, contract(services, manager, rep, on=made_on), made_on)
    view = services.contracts.advance(view.id, ContractState.APPROVED, StepDetails(made_on),
                                      expected_version=view.version, by=rep).contract
    # posted before it was approved (the day the document bears): refused
    with pytest.raises(InvalidInput, match="before the previous step"):
        services.contracts.advance(view.id, ContractState.SENT,
                                   StepDetails(made_on - dt.timedelta(days=1), "EMS", "E1"),
                                   expected_version=view.version, by=rep)
    with pytest.raises(InvalidFields) as missing:
        services.contracts.advance(view.id, ContractState.SENT, StepDetails(courier="顺丰"),
                                   expected_version=view.version, by=rep)
    assert [p.field for p in missing.value.problems] == ["tracking"]
    with pytest.raises(InvalidInput, match="cannot become"):
        services.contracts.advance(view.id, ContractState.SEALED,
                                   expected_version=view.version, by=rep)
    posted = dt.date.today() - dt.timedelta(days=3)
    view = services.contracts.advance(
        view.id, ContractState.SENT, StepDetails(posted, "顺丰速运", "SF1234567890"),
        expected_version=view.version, by=rep).contract
    # signed before it was posted: refused under the date
    with pytest.raises(InvalidInput, match="before the previous step") as early:
        services.contracts.advance(view.id, ContractState.SIGNED,
                                   StepDetails(posted - dt.timedelta(days=1)),
                                   expected_version=view.version, by=rep)
    assert early.value.field == "on"
    view = services.contracts.advance(
        view.id, ContractState.SIGNED, StepDetails(file_name="signed.pdf", file_data=SCAN),
        expected_version=view.version, by=rep).contract
    assert view.summary.signed_on == dt.date.today()
    view = services.contracts.advance(view.id, ContractState.SEALED,
                                      expected_version=view.version, by=rep).contract
    # a courier named needs its tracking number; a copy handed over in person needs neither
    for half in (StepDetails(courier="EMS"), StepDetails(tracking="E123")):
        with pytest.raises(InvalidFields):
            services.contracts.advance(view.id, ContractState.RETURNED, half,
                                       expected_version=view.version, by=rep)
    view = services.contracts.advance(
        view.id, ContractState.RETURNED, StepDetails(note="当面交给采购部王经理"),
        expected_version=view.version, by=rep).contract
    view = services.contracts.advance(view.id, ContractState.ARCHIVED,
                                      expected_version=view.version, by=rep).contract
    assert [s.state for s in view.steps] == [
        ContractState.DRAFT, ContractState.IN_REVIEW, ContractState.APPROVED,
        ContractState.SENT, ContractState.SIGNED, ContractState.SEALED,
        ContractState.RETURNED, ContractState.ARCHIVED]
    sent = view.steps[3]
    assert (sent.on, sent.courier, sent.tracking, sent.by) == (posted, "顺丰速运",
                                                              "SF1234567890", "Rita Rep")
    assert [(f.filename, f.step_state) for f in view.files] == [("signed.pdf",
                                                               ContractState.SIGNED)]
    assert services.contracts.file(view.files[0].id, viewer=rep) == ("signed.pdf", SCAN)
    with pytest.raises(InvalidInput, match="archived or cancelled"):
        services.contracts.cancel(view.id, "too late", expected_version=view.version, by=rep)


def test_the_paper_may_be_handed_over_for_signature_in_person(
        services: Services, manager: Actor, rep: Actor) -> None:
    view = reviewed(services, manager, contract(services, manager, rep))
    view = services.contracts.advance(view.id, ContractState.APPROVED,
                                      expected_version=view.version, by=manager).contract
    view = services.contracts.advance(
        view.id, ContractState.SENT, StepDetails(note="面交客户法务部"),
        expected_version=view.version, by=rep).contract
    assert view.state is ContractState.SENT
    assert (view.steps[-1].courier, view.steps[-1].note) == ("", "面交客户法务部")


def test_a_scan_must_be_a_pdf_or_an_image(services: Services, manager: Actor,
                                          rep: Actor) -> None:
    view = contract(services, manager, rep)
    with pytest.raises(InvalidInput, match="PDF, PNG or JPEG"):
        services.contracts.attach(view.id, "notes.txt", b"hello",
                                  expected_version=view.version, by=rep)


def test_signed_as_the_won_criterion_moves_the_deal_to_won(
        services: Services, manager: Actor, rep: Actor) -> None:
    signed_criterion = next(c for c in stage(services, "Contract").criteria
                            if c.label == "Contract signed")
    services.pipelines.set_criterion_rule(criterion_id=signed_criterion.id,
                                          rule="contract_signed", by=manager)
    day = dt.date.today() - dt.timedelta(days=1)
    view = contract(services, manager, rep, on=day)
    deal_id = view.summary.deal_id
    won = next(s for s in pipeline(services).stages if s.kind is StageKind.WON)
    # nobody ticks it by hand, and the deal cannot be moved to Won without it
    with pytest.raises(InvalidInput, match="not ticked by hand"):
        services.deals.set_criterion(deal_id=deal_id, criterion_id=signed_criterion.id,
                                     checked=True, by=rep,
                                     expected_version=services.deals.detail(deal_id).version)
    assert not services.moves.can_move(
        deal_id=deal_id, to_stage_id=won.id,
        expected_version=services.deals.detail(deal_id).version).allowed
    result_view = signed(services, manager, view, on=day)
    card = services.board.card(deal_id)
    assert card is not None
    assert card.stage_id == won.id
    # won on the day the customer signed, for what the contract says
    assert (card.closed_on, card.won_value) == (day, Decimal("33200.00"))
    assert result_view.state is ContractState.SIGNED


def test_a_signature_meets_only_a_criterion_on_the_way_into_won(
        services: Services, manager: Actor) -> None:
    """On an earlier stage it would hold a deal back until it was signed, which is not
    where a contract comes in."""
    from funneldesk.enums import CriterionKind

    stages = pipeline(services).stages
    first = services.pipelines.add_criterion(
        stage_id=stages[0].id, kind=CriterionKind.EXIT, label="Contract drafted", by=manager)
    with pytest.raises(InvalidInput, match="what wins a deal"):
        services.pipelines.set_criterion_rule(criterion_id=first, rule="contract_signed",
                                              by=manager)
    assert next(c for c in stage(services, stages[0].name).criteria
                if c.id == first).rule == ""
    won = next(s for s in stages if s.kind is StageKind.WON)
    entry = services.pipelines.add_criterion(stage_id=won.id, kind=CriterionKind.ENTRY,
                                             label="Signed and stamped", by=manager)
    services.pipelines.set_criterion_rule(criterion_id=entry, rule="contract_signed",
                                          by=manager)
    assert next(c for c in stage(services, won.name).criteria
                if c.id == entry).rule == "contract_signed"


def test_a_signature_recorded_by_a_colleague_who_may_not_move_the_deal_leaves_it(
        services: Services, manager: Actor, rep: Actor, db: Database) -> None:
    signed_criterion = next(c for c in stage(services, "Contract").criteria
                            if c.label == "Contract signed")
    services.pipelines.set_criterion_rule(criterion_id=signed_criterion.id,
                                          rule="contract_signed", by=manager)
    helper = make_user(db, "presales", "Pat Presales")
    view = reviewed(services, manager, contract(services, manager, rep))
    services.deal_teams.set_member(view.summary.deal_id, helper.id, DealRole.PRESALES, by=rep)
    for to, details in ((ContractState.APPROVED, StepDetails()),
                        (ContractState.SENT, StepDetails(courier="EMS", tracking="E1")),
                        (ContractState.SIGNED, StepDetails())):
        result = services.contracts.advance(view.id, to, details,
                                            expected_version=view.version, by=helper)
        view = result.contract
    assert not result.deal_won
    card = services.board.card(view.summary.deal_id)
    assert card is not None
    assert card.stage_id == stage(services, "Contract").id
    # the criterion is met, and the owner moves the deal when they choose to
    won = next(s for s in pipeline(services).stages if s.kind is StageKind.WON)
    assert services.moves.can_move(deal_id=card.id, to_stage_id=won.id,
                                   expected_version=card.version).allowed


def test_without_the_rule_a_signature_leaves_the_deal_where_it_is(
        services: Services, manager: Actor, rep: Actor) -> None:
    view = signed(services, manager, contract(services, manager, rep))
    card = services.board.card(view.summary.deal_id)
    assert card is not None
    assert card.stage_id == stage(services, "Contract").id


def test_payments_add_up_never_beyond_a_milestone_and_overdue_ones_are_receivables(
        services: Services, manager: Actor, rep: Actor) -> None:
    view = contract(services, manager, rep)
    with pytest.raises(InvalidInput, match="signed"):
        services.contracts.record_payment(view.milestones[0].id, Decimal(100),
                                          dt.date.today(), expected_version=view.version,
                                          by=rep)
    past = dt.date.today() - dt.timedelta(days=20)
    schedule = replace(view.content, milestones=(
        MilestoneDraft("预付款", past, Decimal(30)),
        MilestoneDraft("尾款", dt.date.today() + dt.timedelta(days=30), Decimal(70))))
    view = services.contracts.save(view.id, schedule, expected_version=view.version,
                                   by=rep).contract
    view = signed(services, manager, view)
    advance = view.milestones[0]
    view = services.contracts.record_payment(
        advance.id, Decimal("5000"), dt.date.today(), method="银行转账",
        reference="CMB 20261201-001", expected_version=view.version, by=rep).contract
    with pytest.raises(InvalidFields, match="still due"):
        services.contracts.record_payment(advance.id, Decimal("5000"), dt.date.today(),
                                          expected_version=view.version, by=rep)
    owed = services.contracts.receivables(viewer=rep)
    assert [(r.label, r.outstanding, r.overdue_days) for r in owed] == [
        ("预付款", Decimal("4960.00"), 20), ("尾款", Decimal("23240.00"), 0)]
    view = services.contracts.record_payment(advance.id, Decimal("4960"), dt.date.today(),
                                             expected_version=view.version, by=rep).contract
    assert view.milestones[0].received == Decimal("9960.00")
    assert view.summary.received == Decimal("9960.00")
    money = services.after_sales.for_deal(view.summary.deal_id, viewer=rep).money
    assert [(m.currency, m.contracted, m.received, m.outstanding) for m in money] == [
        ("USD", Decimal("33200.00"), Decimal("9960.00"), Decimal("23240.00"))]
    assert [r.label for r in services.contracts.receivables(viewer=rep)] == ["尾款"]
    # to the cent, no fraction of it; a signed contract is cancelled by a manager only,
    # and its payments then stay as they were
    with pytest.raises(InvalidFields, match="to the cent"):
        services.contracts.record_payment(view.milestones[1].id, Decimal("10.005"),
                                          dt.date.today(), expected_version=view.version,
                                          by=rep)
    with pytest.raises(NotAllowed, match="only a manager cancels"):
        services.contracts.cancel(view.id, "客户违约", expected_version=view.version, by=rep)
    view = services.contracts.cancel(view.id, "客户违约", expected_version=view.version,
                                     by=manager).contract
    with pytest.raises(InvalidInput, match="cancelled"):
        services.contracts.remove_payment(view.milestones[0].payments[0].id,
                                          expected_version=view.version, by=rep)


def test_a_confidential_contract_is_hidden_from_colleagues_off_the_deal(
        services: Services, manager: Actor, rep: Actor, db: Database) -> None:
    view = contract(services, manager, rep)
    other = make_user(db, "other", "Oscar Other")
    view = services.contracts.set_confidentiality(
        view.id, Confidentiality.CONFIDENTIAL, expected_version=view.version, by=rep).contract
    assert [c.id for c in services.contracts.all(viewer=manager)] == [view.id]
    assert [c.id for c in services.contracts.all(viewer=rep)] == [view.id]
    assert services.contracts.all(viewer=other) == []
    with pytest.raises(NotFound):
        services.contracts.get(view.id, viewer=other)
    services.deal_teams.set_member(view.summary.deal_id, other.id, DealRole.FINANCE, by=rep)
    assert [c.id for c in services.contracts.all(viewer=other)] == [view.id]
    with pytest.raises(NotAllowed, match="owner or a manager"):
        services.contracts.set_confidentiality(view.id, Confidentiality.NORMAL,
                                               expected_version=view.version, by=other)
    # nor by saving the draft with another level
    with pytest.raises(NotAllowed, match="owner or a manager"):
        services.contracts.save(view.id, replace(view.content,
                                                 confidentiality=Confidentiality.NORMAL),
                                expected_version=view.version, by=other)


def test_nothing_of_a_confidential_contract_shows_to_a_colleague_off_the_deal(
        services: Services, manager: Actor, rep: Actor, db: Database) -> None:
    view = signed(services, manager, contract(services, manager, rep))
    view = services.contracts.set_delivered(view.id, dt.date.today(),
                                            expected_version=view.version, by=rep).contract
    view = services.contracts.set_confidentiality(
        view.id, Confidentiality.CONFIDENTIAL, expected_version=view.version, by=rep).contract
    services.after_sales.record_visit(view.visits[0].id, 2, "价格被泄露", True, by=rep)
    other = make_user(db, "other", "Oscar Other")
    number = view.summary.number
    for query in (number, "Collect payment", "9,960.00", "价格被泄露", "Warehouse"):
        hits = services.search.search(query, by=other)
        assert not [h for h in hits if number in h.title or number in h.detail
                    or "9,960.00" in h.title or "价格被泄露" in h.detail], query
        assert not [h for h in hits if h.kind == "contract"], query
    titles = [a.title for a in services.activities.of_customer(
        "company", view.summary.company_id or 0, limit=50)]
    assert titles
    assert not [t for t in titles if number in t or "9,960.00" in t]
    # made normal again, its activities name it again
    services.contracts.set_confidentiality(view.id, Confidentiality.NORMAL,
                                           expected_version=services.contracts.get(
                                               view.id, viewer=rep).version, by=rep)
    titles = [a.title for a in services.activities.of_customer(
        "company", view.summary.company_id or 0, limit=50)]
    assert any(number in t for t in titles)


def test_a_stale_edit_is_refused_and_commitments_change_only_in_a_draft(
        services: Services, manager: Actor, rep: Actor) -> None:
    view = contract(services, manager, rep)
    services.contracts.set_commitments(view.id, Commitments("7×24 热线", 4, 12, "张工"),
                                       expected_version=view.version, by=rep)
    with pytest.raises(StaleEdit):
        services.contracts.save(view.id, view.content, expected_version=view.version, by=rep)
    view = signed(services, manager, services.contracts.get(view.id, viewer=rep))
    assert view.content.commitments.response_hours == 4
    with pytest.raises(InvalidInput, match="only while it is a draft"):
        services.contracts.set_commitments(view.id, Commitments("", 24, 12, "张工"),
                                           expected_version=view.version, by=rep)


def test_delivery_plans_return_visits_and_results_are_kept(
        services: Services, manager: Actor, rep: Actor) -> None:
    delivered = dt.date.today() - dt.timedelta(days=28)
    view = signed(services, manager, contract(services, manager, rep, on=delivered), delivered)
    with pytest.raises(InvalidInput, match="before the customer signed"):
        services.contracts.set_delivered(view.id, delivered - dt.timedelta(days=1),
                                         expected_version=view.version, by=rep)
    view = services.contracts.set_delivered(view.id, delivered,
                                            expected_version=view.version, by=rep).contract
    assert [(v.after_days, v.due_on) for v in view.visits] == [
        (days, delivered + dt.timedelta(days=days)) for days in (7, 30, 90)]
    assert all("satisfied" in v.questionnaire for v in view.visits)
    first = view.visits[0]
    activity = services.activities.activity(first.activity_id)
    assert activity.deal_id == view.summary.deal_id
    assert "Return visit" in activity.title
    # a new delivery date moves the visits still planned
    services.after_sales.record_visit(first.id, 4, "发票抬头有误", True, by=rep)
    view = services.contracts.get(view.id, viewer=rep)
    later = delivered + dt.timedelta(days=3)
    view = services.contracts.set_delivered(view.id, later,
                                            expected_version=view.version, by=rep).contract
    assert [(v.due_on, v.done) for v in view.visits] == [
        (delivered + dt.timedelta(days=7), True), (later + dt.timedelta(days=30), False),
        (later + dt.timedelta(days=90), False)]
    kept = view.visits[0]
    assert (kept.satisfaction, kept.problems, kept.follow_up_needed) == (4, "发票抬头有误", True)
    with pytest.raises(InvalidFields, match="1 \\(poor\\) to 5"):
        services.after_sales.record_visit(kept.id, 6, "", False, by=rep)
    after = services.after_sales.for_deal(view.summary.deal_id, viewer=rep)
    assert len(after.visits) == 3


def test_a_follow_up_needed_on_a_visit_is_planned_for_the_owner_once(
        services: Services, manager: Actor, rep: Actor) -> None:
    delivered = dt.date.today() - dt.timedelta(days=8)
    view = signed(services, manager, contract(services, manager, rep, on=delivered), delivered)
    view = services.contracts.set_delivered(view.id, delivered,
                                            expected_version=view.version, by=manager).contract
    visit = view.visits[0]
    day = dt.date.today()
    changes = services.after_sales.record_visit(visit.id, 2, "发票抬头有误，需重开", True,
                                                by=manager, today=day)
    follow_ups = [services.activities.activity(i) for i in changes.activity_ids
                  if i != visit.activity_id]
    # named by its customer, never by what they said: that stays with the contract
    assert [(a.title, a.due_on, a.assignee_id, a.deal_id) for a in follow_ups] == [
        ("Follow up the return visit to Northwind Traders", day + dt.timedelta(days=2),
         rep.id, view.summary.deal_id)]
    assert "发票" not in (follow_ups[0].agenda + follow_ups[0].outcome)
    # the deal's next step is the earliest thing planned on it: the advance, overdue
    cards = services.board.load(1, include_closed=True).cards
    assert next(c for c in cards if c.id == view.summary.deal_id).next_step.startswith(
        "Collect payment: On signing")
    # recorded again with the follow-up still needed, even once the call is done: not
    # planned twice
    services.activities.complete(follow_ups[0].id, "已重开发票",
                                 expected_version=follow_ups[0].version, by=rep)
    again = services.after_sales.record_visit(visit.id, 3, "发票抬头有误，需重开", True,
                                              by=manager)
    assert again.activity_ids == {visit.activity_id}
    # a visit with nothing to follow up plans nothing
    quiet = services.after_sales.record_visit(view.visits[1].id, 5, "", False, by=manager)
    assert quiet.activity_ids == {view.visits[1].activity_id}


def test_contracts_are_found_by_number_and_leave_with_their_deal_from_the_trash(
        services: Services, manager: Actor, rep: Actor, db: Database,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from funneldesk import secrets
    from tests.helpers import version

    kept: dict[str, str] = {}
    monkeypatch.setattr(secrets, "store", kept.__setitem__)
    monkeypatch.setattr(secrets, "read", lambda key: kept.get(key, ""))

    view = signed(services, manager, contract(services, manager, rep))
    view = services.contracts.record_payment(view.milestones[0].id, Decimal(100),
                                             dt.date.today(), expected_version=view.version,
                                             by=rep).contract
    view = services.contracts.set_delivered(view.id, dt.date.today(),
                                            expected_version=view.version, by=rep).contract
    number = view.summary.number
    hits = [h for h in services.search.search(number, by=rep) if h.kind == "contract"]
    assert [(h.record_id, h.title) for h in hits] == [(view.id, f"{number} · Warehouse system")]
    services.contracts.set_confidentiality(view.id, Confidentiality.CONFIDENTIAL,
                                           expected_version=view.version, by=rep)
    services.contracts.keep_password(view.id, "柜里的密码", viewer=rep)
    assert services.contracts.kept_password(view.id, viewer=rep) == "柜里的密码"
    # a confidential contract leaves the index: not even its number shows to anyone
    hits = [h for h in services.search.search(number, by=rep) if h.kind == "contract"]
    assert hits == []
    deal_id = view.summary.deal_id
    services.trash.delete(deal_id=deal_id, expected_version=version(services, deal_id), by=rep)
    services.trash.empty(deal_ids=[deal_id], by=manager)
    assert services.contracts.all(viewer=manager) == []
    for table in ("contracts", "contract_items", "contract_milestones", "contract_payments",
                  "contract_steps", "contract_reviews", "contract_files", "return_visits"):
        assert services.db.query(f"SELECT count(*) FROM {table}")[0][0] == 0, table
    assert not [h for h in services.search.search(number, by=rep) if h.kind == "contract"]
    # its number may be given again: the next contract must not open with its password
    assert "柜里的密码" not in kept.values()


def test_an_unpaid_milestone_past_its_day_is_an_overdue_reminder_for_the_owner(
        services: Services, manager: Actor, rep: Actor) -> None:
    view = contract(services, manager, rep)
    past = dt.date.today() - dt.timedelta(days=5)
    view = services.contracts.save(view.id, replace(view.content, milestones=(
        MilestoneDraft("预付款", past, Decimal(30)),
        MilestoneDraft("尾款", dt.date.today() + dt.timedelta(days=40), Decimal(70)))),
        expected_version=view.version, by=rep).contract
    assert services.reminders.reminders(rep.id).overdue == ()
    view = signed(services, manager, view)
    (overdue,) = services.reminders.reminders(rep.id).overdue
    assert overdue.title.startswith("Collect payment: 预付款, 9,960.00 USD")
    assert overdue.due_on == past
    # the collection is the owner's, planned on the milestone's day; it cannot be taken
    # away like an activity planned by hand
    with pytest.raises(InvalidInput, match="cancel it instead"):
        services.activities.withdraw(overdue.id, expected_version=overdue.version, by=manager)
    # a part payment leaves the reminder saying what is still owed
    view = services.contracts.record_payment(view.milestones[0].id, Decimal("4000"),
                                             dt.date.today(), expected_version=view.version,
                                             by=rep).contract
    (partly,) = services.reminders.reminders(rep.id).overdue
    assert partly.title.startswith("Collect payment: 预付款, 5,960.00 USD")
    view = services.contracts.record_payment(view.milestones[0].id, Decimal("5960"),
                                             dt.date.today(), expected_version=view.version,
                                             by=rep).contract
    assert services.reminders.reminders(rep.id).overdue == ()
    payment = view.milestones[0].payments[-1]
    view = services.contracts.remove_payment(payment.id, expected_version=view.version,
                                             by=rep).contract
    (again,) = services.reminders.reminders(rep.id).overdue
    assert (again.id, again.title.split(" (")[0]) == (overdue.id,
                                                       "Collect payment: 预付款, 5,960.00 USD")
    # the note FunnelDesk wrote when it closed it goes with the reopening
    assert services.activities.activity(again.id).outcome == ""
    services.contracts.cancel(view.id, "客户破产", expected_version=view.version, by=manager)
    assert services.reminders.reminders(rep.id).overdue == ()


def test_a_payment_taken_back_is_put_back_as_it_was(
        services: Services, manager: Actor, rep: Actor) -> None:
    view = signed(services, manager, contract(services, manager, rep))
    paid_on = dt.date.today() - dt.timedelta(days=3)
    recorded = services.contracts.record_payment(
        view.milestones[0].id, Decimal("9960"), paid_on, method="电汇", reference="CMB-9",
        expected_version=view.version, by=rep)
    taken = services.contracts.remove_payment(
        recorded.payment_id or 0, expected_version=recorded.contract.version, by=manager)
    assert taken.removed is not None
    # what is put back is what was taken back, whatever the caller says beside its id
    forged = replace(taken.removed, amount=Decimal(1), reference="FAKE",
                     recorded_by_id=manager.id)
    back = services.contracts.restore_payment(
        forged, expected_version=taken.contract.version, by=manager)
    (payment,) = back.contract.milestones[0].payments
    assert (payment.id, payment.amount, payment.received_on, payment.reference,
            payment.recorded_by) == (recorded.payment_id, Decimal("9960.00"), paid_on,
                                     "CMB-9", "Rita Rep")
    # paid in full again: its collection is done again
    assert back.contract.milestones[0].outstanding == 0
    collection = services.activities.activity(collection_of(services, view.milestones[0].id))
    assert collection.state is ActivityState.DONE
    # put back once only
    with pytest.raises(InvalidInput, match="on the record already"):
        services.contracts.restore_payment(forged, expected_version=back.contract.version,
                                           by=manager)
    # the rep who recorded it may still take it back
    again = services.contracts.remove_payment(
        payment.id, expected_version=back.contract.version, by=rep)
    # a payment a manager recorded is not the rep's to put back, whatever they claim
    managers = services.contracts.record_payment(
        view.milestones[1].id, Decimal(500), paid_on, expected_version=again.contract.version,
        by=manager)
    removed = services.contracts.remove_payment(
        managers.payment_id or 0, expected_version=managers.contract.version, by=manager)
    assert removed.removed is not None
    with pytest.raises(NotAllowed):
        services.contracts.restore_payment(replace(removed.removed, recorded_by_id=rep.id),
                                           expected_version=removed.contract.version, by=rep)


def collection_of(services: Services, milestone_id: int) -> int:
    """The id of the activity that collects the milestone."""
    return int(services.db.query("SELECT reminder_activity_id FROM contract_milestones "
                                 "WHERE id = ?", (milestone_id,))[0][0])


def test_a_collection_the_rep_closed_keeps_its_note_through_payments(
        services: Services, manager: Actor, rep: Actor) -> None:
    view = signed(services, manager, contract(services, manager, rep))
    collection = services.activities.activity(collection_of(services, view.milestones[0].id))
    note = "客户说下周一先付一半，余款月底"
    services.activities.complete(collection.id, note, expected_version=collection.version,
                                 by=rep)

    def seen() -> tuple[ActivityState, str]:
        row = services.activities.activity(collection.id)
        return row.state, row.outcome

    part = services.contracts.record_payment(view.milestones[0].id, Decimal(1000),
                                             dt.date.today(), expected_version=view.version,
                                             by=rep)
    assert seen() == (ActivityState.DONE, note)  # not planned again, the note kept
    # taken back, it was never paid in full: the collection stays as the rep closed it
    back = services.contracts.remove_payment(part.payment_id or 0,
                                             expected_version=part.contract.version, by=rep)
    assert seen() == (ActivityState.DONE, note)
    part = services.contracts.restore_payment(back.removed,  # type: ignore[arg-type]
                                              expected_version=back.contract.version, by=rep)
    rest = services.contracts.record_payment(view.milestones[0].id, Decimal(8960),
                                             dt.date.today(),
                                             expected_version=part.contract.version, by=rep)
    assert seen() == (ActivityState.DONE, note)
    # a take-back leaves the milestone owed after it was paid: planned again, note kept
    services.contracts.remove_payment(rest.payment_id or 0,
                                      expected_version=rest.contract.version, by=rep)
    assert seen() == (ActivityState.PLANNED, note)


def test_return_visits_fall_due_on_their_days_by_the_reminders_clock(
        services: Services, manager: Actor, rep: Actor) -> None:
    from funneldesk.services.contracts.settings import ContractSettings

    settings = services.contract_settings.settings()
    services.contract_settings.set_settings(ContractSettings(
        settings.templates, settings.review_items, (3, 10),
        {"": "满意吗？", "制造业": "设备运行正常吗？"}), by=manager)
    delivered = dt.date.today() - dt.timedelta(days=20)
    view = signed(services, manager, contract(services, manager, rep, on=delivered), delivered)
    view = services.contracts.set_delivered(view.id, delivered,
                                            expected_version=view.version, by=rep).contract
    assert [(v.after_days, v.due_on) for v in view.visits] == [
        (3, delivered + dt.timedelta(days=3)), (10, delivered + dt.timedelta(days=10))]
    assert [v.questionnaire for v in view.visits] == ["满意吗？", "满意吗？"]
    # a customer of a segment with its own questionnaire is asked that one
    from funneldesk.services.customers.records import CompanyFields

    maker = services.customers.add_company(CompanyFields(name="华东机床厂", segment="制造业"),
                                           by=manager)
    _deal2, quote_id = accepted_quote(services, manager, rep)
    made = services.contracts.create(quote_id, by=rep, on=delivered).contract
    detail = services.deals.detail(made.summary.deal_id)
    services.deals.update(deal_id=detail.id, fields=replace(detail.fields, company_id=maker.id),
                          expected_version=detail.version, by=rep)
    made = services.contracts.get(made.id, viewer=rep)
    made = services.contracts.save(made.id, replace(
        made.content, warranty_terms="12 个月", acceptance_terms="验收报告"),
        expected_version=made.version, by=rep).contract
    made = signed(services, manager, made, delivered)
    made = services.contracts.set_delivered(made.id, delivered,
                                            expected_version=made.version, by=rep).contract
    assert [v.questionnaire for v in made.visits] == ["设备运行正常吗？"] * 2

    def reminded(day: dt.date) -> tuple[list[int], list[int], list[int]]:
        now = dt.datetime.combine(day, dt.time(12)).astimezone()
        found = services.reminders.reminders(rep.id, now)
        visits = {v.activity_id for v in view.visits}
        return tuple([a.id for a in group if a.id in visits]  # type: ignore[return-value]
                     for group in (found.overdue, found.today, found.upcoming))

    first, second = (v.activity_id for v in view.visits)
    # the clock the day after delivery: both ahead, the first within the week
    assert reminded(delivered + dt.timedelta(days=1)) == ([], [], [first])
    assert reminded(delivered + dt.timedelta(days=3)) == ([], [first], [second])
    assert reminded(delivered + dt.timedelta(days=11)) == ([first, second], [], [])
