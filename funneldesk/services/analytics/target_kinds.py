"""The KPIs a manager can set a target for, apart from the targets' storage, so that the
pane can name them without loading the ORM on the GUI thread."""

from __future__ import annotations

from funneldesk.i18n import N_

# code -> (label, per stage, adds up over months, less is better)
KPIS: dict[str, tuple[str, bool, bool, bool]] = {
    "deals_created": (N_("Deals created"), False, True, False),
    "conversion": (N_("Conversion to next"), True, False, False),
    "days_in_stage": (N_("Days in stage (median)"), True, False, True),
    "sales_cycle": (N_("Sales cycle (median days)"), False, False, True),
    "won_value": (N_("Won value"), False, True, False),
    "activities_done": (N_("Activities done"), False, True, False),
}
PERIODS = ("month", "quarter", "year")
