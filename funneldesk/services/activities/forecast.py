"""The forecast board: a pipeline's open deals by the month they are expected to close,
each month with its count, total and weighted total in the base currency (as Pipedrive's
forecast view shows them); a card dragged to another month changes its expected close
date."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import select

from funneldesk.errors import InvalidInput
from funneldesk.i18n import _
from funneldesk.models import Company, Deal, Pipeline, Stage, StageKind, User
from funneldesk.models.base import utcnow
from funneldesk.services.activities.forecast_records import (
    MONTHS_SHOWN,
    PAST,
    UNDATED,
    CloseDateResult,
    Forecast,
    ForecastCard,
    ForecastColumn,
    add_months,
    month_key,
)
from funneldesk.services.activities.team import owned_or_on_team
from funneldesk.services.common import audit
from funneldesk.services.common.base import Service
from funneldesk.services.common.conversion import to_base, weighted
from funneldesk.services.common.lookups import get_or_raise
from funneldesk.services.common.permissions import require_deal_owner
from funneldesk.services.common.records import Actor, ChangeSet, CurrencyRates, Total
from funneldesk.services.pipeline.moves import check_version
from funneldesk.services.team import reads as team_reads


class ForecastService(Service):
    def board(self, pipeline_id: int, first_month: dt.date, *, months: int = MONTHS_SHOWN,
              user_id: int = 0) -> Forecast:
        """Columns for deals expected before ``first_month`` (empty when there are none),
        for each of ``months`` months from it, and for deals with no date. ``user_id``:
        only the deals that user owns or is on the team of (0: everyone's)."""
        first = first_month.replace(day=1)
        end = add_months(first, months)
        statement = (
            select(Deal.id, Deal.version, Deal.title, Company.name, Stage.name,
                   Stage.probability, Deal.owner_id, User.display_name, Deal.value,
                   Deal.currency, Deal.expected_close)
            .join(Stage, Stage.id == Deal.stage_id).join(User, User.id == Deal.owner_id)
            .outerjoin(Company, Company.id == Deal.company_id)
            .where(Deal.pipeline_id == pipeline_id, Deal.deleted_at.is_(None),
                   Deal.archived_at.is_(None), Stage.kind == StageKind.OPEN,
                   (Deal.expected_close < end) | Deal.expected_close.is_(None))
            .order_by(Deal.expected_close, Deal.value.desc(), Deal.id))
        if user_id:
            statement = statement.where(owned_or_on_team(user_id))
        with self.db.reading() as session:
            get_or_raise(session, Pipeline, pipeline_id, "pipeline")
            cards = [ForecastCard(ident, version, title, company or "", stage, probability,
                                  owner_id, owner, value, currency, expected)
                     for (ident, version, title, company, stage, probability, owner_id, owner,
                          value, currency, expected) in session.execute(statement)]
        rates = team_reads.currency_rates(self.db.query)
        keys = [month_key(add_months(first, i)) for i in range(months)]
        grouped: dict[str, list[ForecastCard]] = {key: [] for key in (PAST, *keys, UNDATED)}
        for card in cards:
            grouped[_key_of(card.expected_close, first)].append(card)
        columns = [ForecastColumn(key, None if key in (PAST, UNDATED)
                                  else dt.date(int(key[:4]), int(key[5:]), 1),
                                  tuple(held), _total(held, rates))
                   for key, held in grouped.items()]
        return Forecast(pipeline_id, first, rates.base_currency, tuple(columns))

    def set_close_date(self, deal_id: int, day: dt.date | None, *, expected_version: int,
                       by: Actor, today: dt.date | None = None,
                       restoring: bool = False) -> CloseDateResult:
        """Sets the deal's expected close date (a card dropped on another month); the
        deal's owner or a manager does it. A new date is from today on, unless
        ``restoring`` one the deal had (an undo)."""
        today = today or dt.date.today()
        with self.db.session() as session:
            deal = get_or_raise(session, Deal, deal_id, "deal")
            check_version(session, deal, expected_version)
            require_deal_owner(by, deal.owner_id,
                               _("Only the deal's owner or a manager can change this deal."))
            stage = session.get(Stage, deal.stage_id)
            if stage is None or stage.kind is not StageKind.OPEN:
                raise InvalidInput("expected_close", _("A closed deal has no close date to "
                                                       "forecast."))
            before = deal.expected_close
            if day is not None and day != before and day < today and not restoring:
                raise InvalidInput("expected_close", _("Give a close date from today on."))
            if day != before:
                deal.expected_close = day
                deal.updated_at, deal.updated_by_id = utcnow(), by.id
                session.flush()
                audit.record(session, by, "update", "deal", deal_id,
                             changed={"expected_close": (before, day)})
            return CloseDateResult(deal_id, deal.version, before, day,
                                   ChangeSet.of_deal(deal_id, deal.stage_id))


def _key_of(day: dt.date | None, first: dt.date) -> str:
    if day is None:
        return UNDATED
    return PAST if day < first else month_key(day)


def _total(cards: Iterable[ForecastCard], rates: CurrencyRates) -> Total:
    """Each deal converted and rounded on its own, weighted by its stage's probability,
    then added (as board columns total)."""
    known = weighted_sum = Decimal(0)
    missing: Counter[str] = Counter()
    for card in cards:
        base = to_base(card.value, card.currency, rates)
        if base is None:
            missing[card.currency] += 1
            continue
        known += base
        weighted_sum += weighted(base, card.probability)
    return Total(known, weighted_sum, tuple(sorted(missing.items())))

