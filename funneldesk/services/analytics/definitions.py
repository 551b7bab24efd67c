"""What each KPI means: the one text that the tooltips, the Help and ``funneldesk kpi
--help`` show, and that docs/ARCHITECTURE.md (KPI definitions) carries word for word
(tests/services/analytics/test_definitions.py holds the two together)."""

from __future__ import annotations

from dataclasses import dataclass

from funneldesk.i18n import N_, _


@dataclass(frozen=True)
class Definition:
    code: str
    title: str  # marked, translated when shown
    text: str

    def shown(self) -> str:
        return _("{kpi}: {definition}").format(kpi=_(self.title), definition=_(self.text))


DEFINITIONS: tuple[Definition, ...] = (
    Definition("scope", N_("Scope"), N_(
        "One pipeline (by default the first), every deal in it that is not in the Trash, "
        "archived deals included. Calendar days are counted in the team's time zone (a team "
        "setting; by default the system's).")),
    Definition("period", N_("Period"), N_(
        "From and to are inclusive dates; without them, all data. Cohort figures (deals "
        "created, reached, stage conversion, lead conversion by source) count the deals "
        "created in the period. Outcome figures (won, lost, win rate, sales cycle, won value, "
        "the outcomes per owner and per product, lost reasons) count the deals closed in the "
        "period. Time in stage counts the visits that ended in the period. Open deals, their "
        "value and the weighted pipeline are taken as of the period's end (by default now).")),
    Definition("deals", N_("Deals"), N_(
        "Created: the deals created in the period. Open: those open at its end. Won and lost: "
        "those closed in it, by the stage they are in now.")),
    Definition("win_rate", N_("Win rate"), N_("Won / (won + lost).")),
    Definition("sales_cycle", N_("Sales cycle"), N_(
        "Calendar days from a deal's creation to its close (never below 0); the mean and the "
        "median over the won deals.")),
    Definition("won_value", N_("Won value"), N_(
        "The sum of the won deals' final values, each converted to the base currency.")),
    Definition("reached", N_("Reached"), N_(
        "A deal reached the open stage S if the furthest open stage it was ever in is S or a "
        "later one, or if it was ever won (a won deal reached every open stage). Skipped "
        "stages count as reached, for open, won and lost deals alike. A move that was undone "
        "counts, with its undo, as if neither had happened.")),
    Definition("conversion", N_("Conversion to next"), N_(
        "The stages are the open stages in order. For each, reached(next stage) / "
        "reached(S); for the last open stage, won / reached(S). Won and Lost are not "
        "stages here.")),
    Definition("time_in_stage", N_("Time in stage"), N_(
        "Calendar days between entering a stage and leaving it, each completed visit counted "
        "once (mean and median). A deal still in a stage counts in its open deals and its "
        "age, not here.")),
    Definition("open_now", N_("Open now"), N_(
        "The deals in the stage at the period's end, and the sum of their values in the base "
        "currency.")),
    Definition("weighted_pipeline", N_("Weighted pipeline"), N_(
        "The sum of value × stage probability over the open deals, in the base currency.")),
    Definition("lead_conversion", N_("Lead conversion by source"), N_(
        "Won / deals created, per lead source.")),
    Definition("owner", N_("Owner"), N_(
        "The owner filter matches the owner's display name (as shown, and as imported) or "
        "login.")),
    Definition("missing", N_("No data"), N_(
        "A figure with nothing to count is shown as – (null in JSON), never as 0. A total that "
        "needs a currency without a rate is left out the same way.")),
)

_BY_CODE = {d.code: d for d in DEFINITIONS}


def definition(code: str) -> Definition:
    return _BY_CODE[code]
