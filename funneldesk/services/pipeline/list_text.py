"""What each column of the deals list is called and what its cells say, named once: the
Deals page shows them and its Export writes them ("what you see is what you get")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

from funneldesk import formatting
from funneldesk.i18n import N_, _, language
from funneldesk.services.common.tabular.writing import MoneyCell
from funneldesk.services.pipeline.list_records import DealRow, ListColumn, Outcome

COLUMNS: tuple[ListColumn, ...] = tuple(ListColumn)

_HEADERS = {
    ListColumn.TITLE: N_("Title"), ListColumn.COMPANY: N_("Company"),
    ListColumn.STAGE: N_("Stage"), ListColumn.VALUE: N_("Value"),
    ListColumn.OWNER: N_("Owner"), ListColumn.EXPECTED_CLOSE: N_("Expected close"),
    ListColumn.NEXT_STEP: N_("Next step"), ListColumn.DAYS_IN_STAGE: N_("Days in stage"),
    ListColumn.CREATED: N_("Created"), ListColumn.CLOSED: N_("Closed"),
    ListColumn.OUTCOME: N_("Outcome"),
}

_OUTCOMES = {Outcome.OPEN: N_("In progress"), Outcome.WON: N_("Won"), Outcome.LOST: N_("Lost"),
             Outcome.ARCHIVED: N_("Archived")}


def header(column: ListColumn) -> str:
    return _(_HEADERS[column])


def outcome_label(outcome: Outcome) -> str:
    return _(_OUTCOMES[outcome])


@lru_cache(maxsize=4096)
def _money(amount: Decimal, currency: str, lang: str) -> str:
    """An amount as the list shows it (babel's formatting is most of what a repaint costs;
    a screen shows few distinct amounts, and the language is part of the key)."""
    return formatting.money(amount, currency)


def _day(value: dt.date | None) -> str:
    return formatting.date_short(value) if value is not None else ""


def cells(deal: DealRow, today: dt.date) -> tuple[str, ...]:
    """What the row's cells show, in the order of COLUMNS (``today``: for the days in
    stage)."""
    texts = {
        ListColumn.TITLE: deal.title,
        ListColumn.COMPANY: deal.company,
        ListColumn.STAGE: deal.stage,
        ListColumn.VALUE: _money(deal.amount, deal.currency, language()),
        ListColumn.OWNER: deal.owner,
        ListColumn.EXPECTED_CLOSE: _day(deal.expected_close),
        ListColumn.NEXT_STEP: deal.next_step,
        ListColumn.DAYS_IN_STAGE: formatting.number(deal.days_in_stage(today)),
        ListColumn.CREATED: _day(deal.created_at.astimezone().date()),
        ListColumn.CLOSED: _day(deal.closed_on),
        ListColumn.OUTCOME: outcome_label(deal.outcome),
    }
    return tuple(texts[column] for column in COLUMNS)


def exported_cells(deal: DealRow, today: dt.date,
                   columns: tuple[ListColumn, ...] = COLUMNS) -> list[object]:
    """The cells of ``columns`` as a file holds them: as shown, but a date as a date (ISO
    in a CSV, a date cell in XLSX: "12/1/26" is read differently from one country to the
    next), the days in stage as a number and the value as an amount (a number in its
    currency's format in XLSX)."""
    shown = cells(deal, today)
    typed: dict[ListColumn, object] = {
        ListColumn.VALUE: MoneyCell(deal.amount, deal.currency,
                                    shown[COLUMNS.index(ListColumn.VALUE)]),
        ListColumn.EXPECTED_CLOSE: deal.expected_close,
        ListColumn.CREATED: deal.created_at.astimezone().date(),
        ListColumn.CLOSED: deal.closed_on,
        ListColumn.DAYS_IN_STAGE: deal.days_in_stage(today)}
    return [typed[c] if c in typed else shown[COLUMNS.index(c)] for c in columns]
