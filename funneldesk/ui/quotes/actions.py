"""The Quotes page's actions as its area declares them (areas.py): the command palette
lists them before the page is built."""

from __future__ import annotations

from funneldesk.i18n import N_
from funneldesk.ui.common.page import PageAction

OPEN_QUOTE = PageAction("open-quote", N_("Open quote…"))
PREVIEW_QUOTE = PageAction("preview-quote", N_("Preview PDF…"))
OPEN_QUOTE_DEAL = PageAction("open-quote-deal", N_("Open deal"))
RELOAD_QUOTES = PageAction("reload-quotes", N_("Reload"), "F5")
ACTIONS = (OPEN_QUOTE, PREVIEW_QUOTE, OPEN_QUOTE_DEAL, RELOAD_QUOTES)
