"""The Deals page's actions as its area declares them (areas.py): the command palette lists
them before the page is built, so this module stays light; the page makes its own from
them (page.py)."""

from __future__ import annotations

from funneldesk.i18n import N_
from funneldesk.ui.common.page import PageAction

OPEN = PageAction("open", N_("Open deal"))
CHANGE_OWNER = PageAction("change-owner", N_("Change owner…"))
MOVE = PageAction("move", N_("Move to stage…"))
ARCHIVE = PageAction("archive", N_("Archive"))
SAVE_VIEW = PageAction("save-view", N_("Save view…"))
DELETE_VIEW = PageAction("delete-view", N_("Delete view"))
EXPORT = PageAction("export-deals", N_("Export…"))
# another FunnelDesk on the same file may have changed deals meanwhile
RELOAD = PageAction("reload", N_("Reload"), "F5")
# in the order of DealsListPage.page_actions
ACTIONS = (OPEN, CHANGE_OWNER, MOVE, ARCHIVE, SAVE_VIEW, DELETE_VIEW, EXPORT, RELOAD)
