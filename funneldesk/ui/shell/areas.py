"""The pages and panes of the workspace, in rail order, and how each kind of record that
search finds is opened. Each area adds its own lines here; a page's module is imported
when the page is first shown, except the board's, which is the first thing painted. A
page's actions are declared beside it in a light module (ui/deals/actions.py), so that the
command palette lists them without importing or building the page."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QIcon

from funneldesk.i18n import _
from funneldesk.paths import RESOURCES
from funneldesk.ui.activities.actions import ACTIONS as ACTIVITIES_ACTIONS
from funneldesk.ui.activities.actions import FORECAST_ACTIONS, REVIEW_ACTIONS
from funneldesk.ui.analytics.actions import ACTIONS as INSIGHTS_ACTIONS
from funneldesk.ui.board.board_page import PAGE as BOARD_PAGE
from funneldesk.ui.board.deal_editing import DealEditor
from funneldesk.ui.common.page import Page, PageSpec, Pane, PaneSpec, Workspace
from funneldesk.ui.contracts.actions import ACTIONS as CONTRACTS_ACTIONS
from funneldesk.ui.customers.actions import ACTIONS as CUSTOMERS_ACTIONS
from funneldesk.ui.deals.actions import ACTIONS as DEALS_ACTIONS
from funneldesk.ui.quotes.actions import ACTIONS as QUOTES_ACTIONS


def _deals(workspace: Workspace) -> Page:
    from funneldesk.ui.deals.page import DealsListPage

    return DealsListPage(workspace)


def _deals_icon() -> QIcon:
    return QIcon(str(RESOURCES / "icons" / "deals.svg"))


def _customers(workspace: Workspace) -> Page:
    from funneldesk.ui.customers.page import CustomersPage

    return CustomersPage(workspace)


def _customers_icon() -> QIcon:
    return QIcon(str(RESOURCES / "icons" / "customers.svg"))


def _activities(workspace: Workspace) -> Page:
    from funneldesk.ui.activities.list_page import ActivitiesPage

    return ActivitiesPage(workspace)


def _activities_icon() -> QIcon:
    return QIcon(str(RESOURCES / "icons" / "activities.svg"))


def _review(workspace: Workspace) -> Page:
    from funneldesk.ui.activities.review_page import ReviewPage

    return ReviewPage(workspace)


def _review_icon() -> QIcon:
    return QIcon(str(RESOURCES / "icons" / "review.svg"))


def _forecast(workspace: Workspace) -> Page:
    from funneldesk.ui.activities.forecast_page import ForecastPage

    return ForecastPage(workspace)


def _forecast_icon() -> QIcon:
    return QIcon(str(RESOURCES / "icons" / "forecast.svg"))


def _quotes(workspace: Workspace) -> Page:
    from funneldesk.ui.quotes.page import QuotesPage

    return QuotesPage(workspace)


def _quotes_icon() -> QIcon:
    return QIcon(str(RESOURCES / "icons" / "quotes.svg"))


def _contracts(workspace: Workspace) -> Page:
    from funneldesk.ui.contracts.page import ContractsPage

    return ContractsPage(workspace)


def _contracts_icon() -> QIcon:
    return QIcon(str(RESOURCES / "icons" / "contracts.svg"))


def _insights(workspace: Workspace) -> Page:
    from funneldesk.ui.analytics.insights_page import InsightsPage

    return InsightsPage(workspace)


def _insights_icon() -> QIcon:
    return QIcon(str(RESOURCES / "icons" / "insights.svg"))


PAGES: tuple[PageSpec, ...] = (
    BOARD_PAGE,
    PageSpec("deals", lambda: _("Deals"), _deals_icon, _deals, DEALS_ACTIONS),
    PageSpec("customers", lambda: _("Customers"), _customers_icon, _customers,
             CUSTOMERS_ACTIONS),
    PageSpec("activities", lambda: _("Activities"), _activities_icon, _activities,
             ACTIVITIES_ACTIONS),
    PageSpec("review", lambda: _("Review"), _review_icon, _review, REVIEW_ACTIONS),
    PageSpec("forecast", lambda: _("Forecast"), _forecast_icon, _forecast, FORECAST_ACTIONS),
    PageSpec("quotes", lambda: _("Quotes"), _quotes_icon, _quotes, QUOTES_ACTIONS),
    PageSpec("contracts", lambda: _("Contracts"), _contracts_icon, _contracts,
             CONTRACTS_ACTIONS),
    PageSpec("insights", lambda: _("Insights"), _insights_icon, _insights, INSIGHTS_ACTIONS),
)
def _today(workspace: Workspace) -> Pane:
    from funneldesk.ui.activities.today_pane import TodayPane

    return TodayPane(workspace)


def _kpis(workspace: Workspace) -> Pane:
    from funneldesk.ui.analytics.kpi_pane import KpiPane

    return KpiPane(workspace)


PANES: tuple[PaneSpec, ...] = (
    # narrow enough that the board's five columns still fit a 1400-pixel window
    PaneSpec("today", lambda: _("Today"), _today, width=230),
    # a tab behind Today: the board keeps its width until the pane is asked for
    PaneSpec("kpis", lambda: _("KPIs"), _kpis, width=230, tab_with="today"),
)


def _deal_opener(workspace: Workspace) -> Callable[[int], None]:
    return DealEditor(workspace).open


def _customer_opener(entity: str) -> Callable[[Workspace], Callable[[int], None]]:
    """Shows the company or contact on the Customers page: its row selected, its details
    beside the list (its form comes with the customer forms)."""

    def make(workspace: Workspace) -> Callable[[int], None]:
        def open_customer(record_id: int) -> None:
            from funneldesk.ui.customers.page import CustomersPage

            if workspace.go_to_page is None:
                return
            page = workspace.go_to_page("customers")
            if isinstance(page, CustomersPage):
                page.open_customer(entity, record_id)

        return open_customer

    return make


def _activity_opener(workspace: Workspace) -> Callable[[int], None]:
    """An activity opens in its dialog; a cancelled one (which is not edited) opens what
    it was for."""

    def open_activity(activity_id: int) -> None:
        from funneldesk.enums import ActivityState
        from funneldesk.errors import FunnelDeskError
        from funneldesk.ui.activities.activity_dialog import open_dialog
        from funneldesk.ui.common.errors import show_error

        try:
            activity = workspace.services.activities.activity(activity_id)
        except FunnelDeskError as error:
            show_error(workspace.window, error)
            return
        if activity.state is not ActivityState.CANCELLED:
            open_dialog(workspace, "edit", activity=activity)
            return
        workspace.show_message(_("“{title}” was cancelled.").format(title=activity.summary))
        if activity.record is not None:
            workspace.open_record(*activity.record)

    return open_activity


def _quote_opener(workspace: Workspace) -> Callable[[int], None]:
    def open_one(quote_id: int) -> None:
        from funneldesk.ui.quotes.editor import open_quote

        open_quote(workspace, quote_id)

    return open_one


def _contract_opener(workspace: Workspace) -> Callable[[int], None]:
    def open_one(contract_id: int) -> None:
        from funneldesk.ui.contracts.contract_window import open_contract

        open_contract(workspace, contract_id)

    return open_one


# kind of record (as the search index names it) -> what opens one in its form
OPENERS: dict[str, Callable[[Workspace], Callable[[int], None]]] = {
    "deal": _deal_opener, "company": _customer_opener("company"),
    "contact": _customer_opener("contact"), "activity": _activity_opener,
    "quote": _quote_opener, "contract": _contract_opener}
