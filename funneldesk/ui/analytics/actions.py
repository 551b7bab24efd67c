"""The Insights page's actions as its area declares them (areas.py): the command palette
lists them before the page is built."""

from __future__ import annotations

from funneldesk.i18n import N_
from funneldesk.ui.common.page import PageAction

SAVE_REPORT = PageAction("save-kpi-report", N_("Save the KPI report as PDF…"))
SET_TARGETS = PageAction("set-targets", N_("Set targets…"))
ADJUST_FORECAST = PageAction("adjust-forecast", N_("Your forecast…"))
PLAN_TRAINING = PageAction("plan-training", N_("Plan training…"))
DOCTOR_RULES = PageAction("doctor-rules", N_("Funnel doctor rules…"))
RELOAD_INSIGHTS = PageAction("reload-insights", N_("Reload"), "F5")
ACTIONS = (SAVE_REPORT, SET_TARGETS, ADJUST_FORECAST, PLAN_TRAINING, DOCTOR_RULES,
           RELOAD_INSIGHTS)
