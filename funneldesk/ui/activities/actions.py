"""The Activities page's actions as its area declares them (areas.py): the command palette
lists them before the page is built, so this module stays light; the page makes its own
from them (list_page.py)."""

from __future__ import annotations

from funneldesk.i18n import N_
from funneldesk.ui.common.page import PageAction

# Enter or a double click on a row does the same (the table's activated signal)
EDIT = PageAction("edit-activity", N_("Edit activity…"))
MARK_DONE = PageAction("mark-activity-done", N_("Mark done…"))
CANCEL = PageAction("cancel-activity", N_("Cancel activity"))
OPEN_RECORD = PageAction("open-activity-record", N_("Open deal or customer"))
EXPORT = PageAction("export-activities", N_("Export activities…"))
CLEAR_FILTERS = PageAction("clear-activity-filters", N_("Clear filters"))
RELOAD = PageAction("reload-activities", N_("Reload"), "F5")
# in the order of ActivitiesPage.page_actions
ACTIONS = (EDIT, MARK_DONE, CANCEL, OPEN_RECORD, EXPORT, CLEAR_FILTERS, RELOAD)

# the Review page (review_page.py)
QUICK_UPDATE = PageAction("review-quick-update", N_("Quick update…"))
ON_TRACK = PageAction("review-on-track", N_("Reviewed, on track"))
OPEN_REVIEWED = PageAction("review-open-deal", N_("Open deal"))
RELOAD_REVIEW = PageAction("reload-review", N_("Reload"), "F5")
REVIEW_ACTIONS = (QUICK_UPDATE, ON_TRACK, OPEN_REVIEWED, RELOAD_REVIEW)

# the Forecast page (forecast_page.py)
EARLIER = PageAction("forecast-earlier", N_("◀ Earlier months"), "Ctrl+PgUp")
THIS_MONTH = PageAction("forecast-this-month", N_("From this month"))
LATER = PageAction("forecast-later", N_("Later months ▶"), "Ctrl+PgDown")
RELOAD_FORECAST = PageAction("reload-forecast", N_("Reload"), "F5")
FORECAST_ACTIONS = (EARLIER, THIS_MONTH, LATER, RELOAD_FORECAST)
