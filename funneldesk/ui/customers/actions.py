"""The Customers page's actions as its area declares them (areas.py): the command palette
lists them before the page is built, so this module stays light; the page makes its own
from them (page.py)."""

from __future__ import annotations

from funneldesk.i18n import N_
from funneldesk.ui.common.page import PageAction

SHOW_COMPANIES = PageAction("show-companies", N_("Show companies"))
SHOW_CONTACTS = PageAction("show-contacts", N_("Show contacts"))
NEW_COMPANY = PageAction("new-company", N_("New company…"), "Ctrl+Shift+N")
NEW_CONTACT = PageAction("new-contact", N_("New contact…"))
# Enter or a double click on a row does the same (the table's activated signal)
OPEN = PageAction("open-customer", N_("Edit customer…"))
PLAN_ACTIVITY = PageAction("plan-customer-activity", N_("Plan activity…"))
LOG_ACTIVITY = PageAction("log-customer-activity", N_("Log activity…"))
FIND_DUPLICATES = PageAction("find-duplicates", N_("Find duplicates…"))
MERGE = PageAction("merge-customers", N_("Merge…"))
CLAIM = PageAction("claim", N_("Claim from the public pool"))
RELEASE = PageAction("release", N_("Release to the public pool"))
EXPORT = PageAction("export-customers", N_("Export…"))
SAVE_SEGMENT = PageAction("save-segment", N_("Save segment…"))
DELETE_SEGMENT = PageAction("delete-segment", N_("Delete segment"))
CLEAR_FILTERS = PageAction("clear-filters", N_("Clear filters"))
# another FunnelDesk on the same file may have changed customers meanwhile
RELOAD = PageAction("reload-customers", N_("Reload"), "F5")
# in the order of CustomersPage.page_actions
ACTIONS = (SHOW_COMPANIES, SHOW_CONTACTS, NEW_COMPANY, NEW_CONTACT, OPEN, PLAN_ACTIVITY,
           LOG_ACTIVITY, FIND_DUPLICATES, MERGE, CLAIM, RELEASE, EXPORT, SAVE_SEGMENT,
           DELETE_SEGMENT, CLEAR_FILTERS, RELOAD)
