"""The Contracts page's actions as its area declares them (areas.py): the command palette
lists them before the page is built."""

from __future__ import annotations

from funneldesk.i18n import N_
from funneldesk.ui.common.page import PageAction

OPEN_CONTRACT = PageAction("open-contract", N_("Open contract…"))
NEW_CONTRACT = PageAction("new-contract", N_("New contract from an accepted quote…"))
PREVIEW_CONTRACT = PageAction("preview-contract", N_("Preview contract PDF…"))
OPEN_CONTRACT_DEAL = PageAction("open-contract-deal", N_("Open the contract's deal"))
RELOAD_CONTRACTS = PageAction("reload-contracts", N_("Reload"), "F5")
ACTIONS = (OPEN_CONTRACT, NEW_CONTRACT, PREVIEW_CONTRACT, OPEN_CONTRACT_DEAL,
           RELOAD_CONTRACTS)
