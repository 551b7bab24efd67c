"""The team's base currency and exchange rates: read by everyone, changed by managers.

Rates live in team_settings: ``rates`` maps a currency code to base units per one unit of
it (text, 6 decimal places) and ``rate_changes`` keeps when and by whom each was last set.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from babel.numbers import is_currency

from funneldesk.errors import BaseCurrencyInUse, InvalidInput, StaleEdit
from funneldesk.i18n import _
from funneldesk.services.common import sql
from funneldesk.services.common.base import Service, require_manager
from funneldesk.services.common.records import Actor, CurrencyRates
from funneldesk.services.team import reads as team_reads
from funneldesk.services.team.records import RateInfo, RateTable

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

RATE_STEP = Decimal("0.000001")
MAX_RATE = Decimal("999999999.999999")


def parse_rate(text: str) -> Decimal:
    """A rate typed by a user ("7.1", "1,250.5") as a Decimal of 6 places; raises InvalidInput."""
    cleaned = text.strip().replace(",", "").replace("，", "").replace(" ", "")
    if not cleaned:
        raise InvalidInput("rate", _("Enter a rate."))
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidInput("rate", _("“{text}” is not a rate.").format(text=text.strip())) from None
    return check_rate(value)


def check_rate(value: Decimal) -> Decimal:
    if not value.is_finite() or value <= 0:
        raise InvalidInput("rate", _("A rate must be a number above zero."))
    if value > MAX_RATE:
        raise InvalidInput("rate", _("The rate is too large."))
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -6:
        raise InvalidInput("rate", _("A rate has at most 6 decimal places."))
    return value.quantize(RATE_STEP)


def check_currency(code: str) -> str:
    """An ISO 4217 code that babel knows, in capitals; raises InvalidInput."""
    code = code.strip().upper()
    if len(code) != 3 or not code.isascii() or not code.isalpha() or not is_currency(code):
        raise InvalidInput("currency", _("“{code}” is not a currency code (ISO 4217, such as "
                                         "USD, EUR or JPY).").format(code=code))
    return code


def read_table(query: sql.Query) -> RateTable:
    base = team_reads.base_currency(query)
    changes = _changes(query)
    infos = []
    for code, rate in sorted(team_reads.rates(query).items()):
        if code == base:  # older databases list the base itself at 1
            continue
        at, by = changes.get(code, (None, ""))
        infos.append(RateInfo(code, rate.quantize(RATE_STEP), at, by))
    return RateTable(base, tuple(infos))


def _changes(query: sql.Query) -> dict[str, tuple[dt.datetime, str]]:
    stored = json.loads(team_reads.setting(query, "rate_changes") or "{}")
    return {code: (sql.timestamp(v["at"]), str(v["by"])) for code, v in stored.items()}


class RateService(Service):
    parse_rate = staticmethod(parse_rate)
    check_currency = staticmethod(check_currency)

    def table(self) -> RateTable:
        return read_table(self.db.query)

    def currency_rates(self) -> CurrencyRates:
        return self.table().currency_rates

    def set_rate(self, *, currency: str, rate: Decimal, by: Actor) -> RateTable:
        return self.update(changes={currency: rate}, by=by)

    def remove_rate(self, *, currency: str, by: Actor) -> RateTable:
        return self.update(changes={currency: None}, by=by)

    def update(self, *, changes: Mapping[str, Decimal | None], by: Actor,
               seen: RateTable | None = None) -> RateTable:
        """Sets (a Decimal) or removes (None) the rate of each currency in ``changes``, all
        in one transaction. With ``seen``, a rate changed by someone since is refused."""
        require_manager(by, _("Only a manager can change exchange rates."))
        clean = {check_currency(code): None if rate is None else check_rate(rate)
                 for code, rate in changes.items()}
        from funneldesk.services.common import audit

        with self.db.session() as session:
            query = sql.session_query(session)
            base = team_reads.base_currency(query)
            if base in clean:
                raise InvalidInput("currency", _("{code} is the base currency: its rate is "
                                                 "always 1.").format(code=base))
            raw = team_reads.setting(query, "rates")
            stored = {code: str(value) for code, value in json.loads(raw or "{}").items()}
            times = json.loads(team_reads.setting(query, "rate_changes") or "{}")
            before = read_table(query)
            changed: dict[str, list[str | None]] = {}
            for code, rate in clean.items():
                old = before.rate(code)
                if seen is not None and seen.rate(code) != old:
                    raise _stale(times.get(code))
                if old != rate:
                    changed[code] = [None if old is None else str(old),
                                     None if rate is None else str(rate)]
                if rate is None:
                    stored.pop(code, None)
                else:
                    stored[code] = str(rate)
                # kept for a removed rate too: whoever still sees it is told who removed it
                times[code] = {"at": dt.datetime.now(dt.UTC).isoformat(), "by": by.display_name}
            if not changed:
                return before
            _replace(session, "rates", raw, json.dumps(stored, sort_keys=True))
            _replace(session, "rate_changes", None, json.dumps(times, sort_keys=True))
            audit.record(session, by, "update", "rates", None, changed=changed)
        return self.table()

    def set_base_currency(self, *, currency: str, by: Actor) -> RateTable:
        """Changes the base currency of a database without deals, dropping the rates (they
        were expressed in the old base). Refused once any deal exists, the Trash included:
        their totals and every rate would silently change meaning."""
        require_manager(by, _("Only a manager can change the base currency."))
        code = check_currency(currency)
        from funneldesk.services.common import audit

        with self.db.session() as session:
            query = sql.session_query(session)
            old = team_reads.base_currency(query)
            if code == old:
                return read_table(query)
            deals = int(query("SELECT count(*) FROM deals", ())[0][0])
            if deals:
                raise BaseCurrencyInUse(old, deals)
            old_rates = team_reads.setting(query, "rates")
            _replace(session, "base_currency", None, code)
            _replace(session, "rates", None, "{}")
            _replace(session, "rate_changes", None, "{}")
            audit.record(session, by, "update", "base_currency", None, base_currency=[old, code],
                         rates=[old_rates, "{}"])
        return self.table()


def _replace(session: Session, key: str, expected: str | None, value: str) -> None:
    """Writes a team setting; with ``expected``, only over that very value, so that a rate
    written by someone else since this change read them is never lost."""
    from sqlalchemy import update

    from funneldesk.models import TeamSetting

    if expected is None:
        session.merge(TeamSetting(key=key, value=value))
        session.flush()
        return
    done = session.connection().execute(
        update(TeamSetting).where(TeamSetting.key == key, TeamSetting.value == expected)
        .values(value=value))
    if done.rowcount != 1:
        raise StaleEdit(None, None)  # written by something that did not say who or when


def _stale(change: dict[str, str] | None) -> StaleEdit:
    """Who last changed a rate and when, as ``rate_changes`` recorded it (nothing recorded:
    a rate set before FunnelDesk kept these, or changed by an older version)."""
    if change is None:
        return StaleEdit(None, None)
    return StaleEdit(change["by"], sql.timestamp(change["at"]))
