"""No path through the services sends or accepts a quote below its floor or the minimum
margin without a manager's approval: random sequences of every call a rep and managers
can make, checked after each step against what the database holds."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from funneldesk.db import open_database
from funneldesk.enums import ApprovalState, Role
from funneldesk.errors import FunnelDeskError
from funneldesk.services import Services
from funneldesk.services.quotes.records import (
    LineDraft,
    OptionDraft,
    ProductDraft,
    QuoteContent,
    QuoteTerms,
)
from tests.helpers import make_deal, make_user
from tests.services.quote_helpers import catalogue

PRICES = st.sampled_from(["500.00", "903.99", "904.00", "1130.00", "2000.00"])


def machine(template: Path, folder: Path) -> type[RuleBasedStateMachine]:
    class Quoting(RuleBasedStateMachine):
        @initialize()
        def start(self) -> None:
            path = folder / f"q{id(self)}.db"
            shutil.copy(template, path)
            self.db = open_database(path)
            self.services = Services.for_database(self.db)
            self.manager = self.services.users.current("manager")
            self.rep = make_user(self.db, "rep", "Rita Rep")
            self.boss = make_user(self.db, "boss", "Bo Boss", Role.MANAGER)
            self.products = catalogue(self.services, self.manager)
            deal = make_deal(self.services, self.rep)
            self.quote_id = self.services.quotes.create(deal.id, self.content("1130.00"),
                                                        by=self.rep).quote.id

        def content(self, price: str) -> QuoteContent:
            lic = self.products["licence"].id
            return QuoteContent((OptionDraft("A", (LineDraft(lic, Decimal(2),
                                                             Decimal(price)),)),),
                                QuoteTerms(dt.date.today() + dt.timedelta(days=10)))

        def attempt(self, call: str, *args: object, **kwargs: object) -> None:
            quote = self.services.quotes.get(self.quote_id)
            # refusals are part of the game; what was saved is checked below
            with contextlib.suppress(FunnelDeskError):
                getattr(self.services.quotes, call)(self.quote_id, *args,
                                                    expected_version=quote.version, **kwargs)

        @rule(price=PRICES)
        def save(self, price: str) -> None:
            self.attempt("save", self.content(price), by=self.rep)

        @rule(who=st.sampled_from(["rep", "manager", "boss"]))
        def approve(self, who: str) -> None:
            self.attempt("approve", "reason", by=getattr(self, who))

        @rule()
        def decline(self) -> None:
            self.attempt("decline", "no", by=self.boss)

        @rule()
        def withdraw(self) -> None:
            self.attempt("withdraw_approval", by=self.boss)

        @rule()
        def ask(self) -> None:
            self.attempt("ask_approval", "please", by=self.rep)

        @rule()
        def send(self) -> None:
            self.attempt("send", by=self.rep)

        @rule(price=PRICES)
        def boss_prices(self, price: str) -> None:
            self.attempt("save", self.content(price), by=self.boss)

        @rule()
        def flip_tax(self) -> None:
            quote = self.services.quotes.get(self.quote_id)
            header = replace(quote.header, prices_include_tax=not quote.header.prices_include_tax)
            self.attempt("save", quote.revision.content(), by=self.rep, header=header)

        @rule(floor=st.sampled_from(["700.00", "800.00", "950.00"]))
        def move_floor(self, floor: str) -> None:
            item = self.services.catalogue.item(self.products["licence"].id)
            self.services.catalogue.update(item.id, ProductDraft(
                item.name, item.code, item.name_en, item.unit, item.description,
                item.currency, item.list_price, Decimal(floor), item.cost, item.tax_rate),
                expected_version=item.version, by=self.manager)

        @rule(margin=st.sampled_from([None, "15", "80"]))
        def change_margin(self, margin: str | None) -> None:
            rules = self.services.quote_rules.rules()
            self.services.quote_rules.set_rules(
                replace(rules, min_margin=None if margin is None else Decimal(margin)),
                by=self.manager)

        @rule()
        def accept(self) -> None:
            quote = self.services.quotes.get(self.quote_id)
            self.attempt("accept", quote.revision.options[0].id, by=self.rep)

        @rule()
        def reopen(self) -> None:
            self.attempt("reopen", by=self.rep)

        @rule()
        def discard(self) -> None:
            self.attempt("discard_revision", by=self.rep)

        @invariant()
        def nothing_below_floor_went_out_unapproved(self) -> None:
            if not hasattr(self, "quote_id"):
                return
            quote = self.services.quotes.get(self.quote_id)
            for number in quote.revisions:
                revision = self.services.quotes.get(self.quote_id, number).revision
                if revision.sent and revision.needs_approval:
                    assert revision.approval.state is ApprovalState.APPROVED
                    # by a manager; with two on the team, never by one who priced it
                    assert revision.approval.by in (self.manager.display_name, "Bo Boss")
                    assert not revision.approval.self_approved
            if quote.accepted_option_id is not None:
                assert quote.revision.cleared

        def teardown(self) -> None:
            if hasattr(self, "db"):
                self.db.close()

    return Quoting


def test_no_sequence_of_calls_sends_or_accepts_below_floor_unapproved(
        template_db: Path, tmp_path: Path) -> None:
    Quoting = machine(template_db, tmp_path)  # noqa: N806 - a class
    Quoting.TestCase.settings = settings(max_examples=25, stateful_step_count=12,
                                         deadline=None)
    Quoting.TestCase().runTest()
