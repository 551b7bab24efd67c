"""The team's quoting rules: the minimum margin below which an option needs a manager's
approval, whether new quotes include tax (含税), and how long a quote stays valid."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from funneldesk.errors import InvalidFields, InvalidInput
from funneldesk.i18n import _
from funneldesk.models import TeamSetting
from funneldesk.services.common import audit
from funneldesk.services.common.base import Service
from funneldesk.services.common.permissions import require_manager
from funneldesk.services.common.records import Actor
from funneldesk.services.common.sql import Query
from funneldesk.services.team import reads

MIN_MARGIN = "quote_min_margin"
INCLUDE_TAX = "quote_prices_include_tax"
VALID_DAYS = "quote_valid_days"


@dataclass(frozen=True, slots=True)
class QuoteRules:
    min_margin: Decimal | None = Decimal(15)  # percent; None: no minimum
    prices_include_tax: bool = True  # what a new quote starts with
    valid_days: int = 30


def quote_rules(query: Query) -> QuoteRules:
    default = QuoteRules()
    margin = reads.setting(query, MIN_MARGIN)
    include = reads.setting(query, INCLUDE_TAX)
    days = reads.setting(query, VALID_DAYS)
    # prices with tax included (含税) are China's custom; elsewhere quotes add the tax
    china = reads.base_currency(query) == "CNY"
    return QuoteRules(
        default.min_margin if margin is None else (Decimal(margin) if margin else None),
        china if include is None else include == "1",
        default.valid_days if days is None else int(days))


class QuoteRulesService(Service):
    def rules(self) -> QuoteRules:
        return quote_rules(self.db.query)

    def set_rules(self, rules: QuoteRules, *, by: Actor) -> QuoteRules:
        require_manager(by, _("Only a manager can change the quoting rules."))
        problems = []
        margin = rules.min_margin
        try:
            if margin is not None and not Decimal(0) <= margin < Decimal(100):
                raise InvalidOperation
        except InvalidOperation:
            problems.append(InvalidInput("min_margin", _(
                "Enter a minimum margin from 0 to 99.99 percent, or leave it empty for none.")))
        if not 1 <= rules.valid_days <= 365:
            problems.append(InvalidInput("valid_days", _(
                "Enter a validity from 1 to 365 days.")))
        if problems:
            raise InvalidFields.of(problems)
        before = self.rules()
        with self.db.session() as session:
            for key, value in ((MIN_MARGIN, "" if margin is None else str(margin)),
                               (INCLUDE_TAX, "1" if rules.prices_include_tax else "0"),
                               (VALID_DAYS, str(rules.valid_days))):
                session.merge(TeamSetting(key=key, value=value))
            audit.record(session, by, "set-quote-rules", "team_setting", None,
                         min_margin=[before.min_margin, margin],
                         prices_include_tax=[before.prices_include_tax,
                                             rules.prices_include_tax],
                         valid_days=[before.valid_days, rules.valid_days])
        return rules
