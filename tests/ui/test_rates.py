"""Exchange rates in the window: the dialog, column totals that admit a missing rate, and
the deal form's currency choice."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QTableView, QWidget
from pytestqt.qtbot import QtBot

from funneldesk.services import Services
from funneldesk.services.dto import Actor, Card, DealFields
from funneldesk.settings import Settings
from funneldesk.ui.admin.rates import RatesDialog
from funneldesk.ui.admin.rates_model import ERROR_BACKGROUND, RATE
from funneldesk.ui.board.board_page import board_page
from funneldesk.ui.board.deal_form import DealForm
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal, stage
from tests.ui.conftest import answer_next_dialog, reload


def yen_deal(services: Services, by: Actor, value: str = "1000") -> Card:
    target = stage(services, "Initial contact")
    fields = DealFields("Tokyo office", None, None, Decimal(value), "JPY", None, by.id)
    return services.deals.create(pipeline_id=target.pipeline_id, stage_id=target.id,
                                 fields=fields, by=by).card


def rates_action(window: MainWindow) -> QAction:
    return next(a for a in window.findChildren(QAction) if a.text() == "Exchange rates…")


def header(window: MainWindow, services: Services) -> tuple[str, str]:
    page = board_page(window)
    title = page.board.columns[stage(services, "Initial contact").id].title
    return title.text(), title.toolTip()


def type_into_cell(qtbot: QtBot, view: QTableView, row: int, column: int, text: str) -> None:
    """Edits a cell as a person does: open its editor, type, press Enter."""
    index = view.model().index(row, column)
    if view.state() != QTableView.State.EditingState or view.currentIndex() != index:
        view.setCurrentIndex(index)
        view.edit(index)
    editor = next(e for e in view.findChildren(QLineEdit) if e.isVisible())
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QTableView.State.EditingState, timeout=2000)


def answer(handler: Callable[[QWidget], None]) -> None:
    """Runs ``handler`` on the next dialog, and closes that dialog should the handler fail,
    so that a failure is reported instead of waiting for ever."""

    def run(dialog: QWidget) -> None:
        try:
            handler(dialog)
        finally:
            if dialog.isVisible():
                dialog.close()

    answer_next_dialog(run)


def add_row(qtbot: QtBot, dialog: RatesDialog, currency: str, rate: str) -> None:
    """Clicks "Add rate" and types the new row's currency and rate."""
    dialog.add_button.click()
    row = len(dialog.model.rows) - 1
    type_into_cell(qtbot, dialog.view, row, 0, currency)
    type_into_cell(qtbot, dialog.view, row, RATE, rate)


def row_of(dialog: RatesDialog, code: str) -> int:
    return next(i for i, r in enumerate(dialog.model.rows) if r.currency == code)


def save(dialog: RatesDialog) -> None:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert button is not None
    button.click()


def test_a_column_with_deals_lacking_a_rate_shows_the_known_part_and_what_is_missing(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    make_deal(services, manager, value="1500")
    yen_deal(services, manager)
    yen_deal(services, manager)
    reload(qtbot, window)
    text, tip = header(window, services)
    assert "3 deals · $1,500 + 2 without a rate" in text
    assert "weighted $150 + 2 without a rate" in text
    assert "No exchange rate from JPY to USD is set" in tip
    assert "2 deals are left out of these totals" in tip
    assert "Pipeline ▸ Exchange rates…" in tip


def test_a_manager_adds_the_missing_rate_and_the_totals_follow_without_a_restart(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    make_deal(services, manager, value="1500")
    yen_deal(services, manager, value="100000")
    reload(qtbot, window)

    def add_yen(dialog: QWidget) -> None:
        assert isinstance(dialog, RatesDialog)
        add_row(qtbot, dialog, "jpy", "0.0067")
        save(dialog)

    answer(add_yen)
    with qtbot.waitSignal(page.boardLoaded, timeout=10000):
        rates_action(window).trigger()
    assert services.rates.table().rate("JPY") == Decimal("0.006700")
    text, tip = header(window, services)
    assert "without a rate" not in text
    assert "$2,170" in text  # 1,500 + 100,000 × 0.0067
    assert "left out" not in tip


def test_a_bad_rate_is_shown_at_its_cell_and_nothing_is_saved(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    seen: dict[str, object] = {}

    def enter_bad_rate(dialog: QWidget) -> None:
        assert isinstance(dialog, RatesDialog)
        row = row_of(dialog, "EUR")
        type_into_cell(qtbot, dialog.view, row, RATE, "1.2.3")
        index = dialog.model.index(row, RATE)
        seen["message"] = dialog.error.text() if dialog.error.isVisible() else ""
        seen["cell"] = (index.data(), index.data(Qt.ItemDataRole.BackgroundRole),
                        index.data(Qt.ItemDataRole.ToolTipRole))
        save(dialog)
        seen["open after save"] = dialog.isVisible()
        seen["current"] = (dialog.view.currentIndex().row(), dialog.view.currentIndex().column())
        dialog.reject()

    answer(enter_bad_rate)
    rates_action(window).trigger()
    assert seen["message"] == "EUR: “1.2.3” is not a rate."
    assert seen["cell"] == ("1.2.3", ERROR_BACKGROUND, "“1.2.3” is not a rate.")
    assert seen["open after save"] is True
    assert services.rates.table().rate("EUR") == Decimal("1.08")


def test_a_new_row_with_an_unknown_currency_is_refused_in_place(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    seen: list[str] = []

    def enter_unknown(dialog: QWidget) -> None:
        assert isinstance(dialog, RatesDialog)
        add_row(qtbot, dialog, "XYZ", "2")
        seen.append(dialog.error.text())
        save(dialog)
        seen.append("open" if dialog.isVisible() else "closed")
        dialog.reject()

    before = services.rates.table()
    answer(enter_unknown)
    rates_action(window).trigger()
    assert seen == ["“XYZ” is not a currency code (ISO 4217, such as USD, EUR or JPY).", "open"]
    assert services.rates.table() == before


def test_a_manager_removes_a_rate_and_its_deals_leave_the_total(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    yen_deal(services, manager)
    services.rates.set_rate(currency="JPY", rate=Decimal("0.0067"), by=manager)
    reload(qtbot, window)
    assert "without a rate" not in header(window, services)[0]

    def remove_yen(dialog: QWidget) -> None:
        assert isinstance(dialog, RatesDialog)
        dialog.view.setCurrentIndex(dialog.model.index(row_of(dialog, "JPY"), RATE))
        dialog.remove_button.click()
        save(dialog)

    answer(remove_yen)
    with qtbot.waitSignal(page.boardLoaded, timeout=10000):
        rates_action(window).trigger()
    assert services.rates.table().rate("JPY") is None
    assert "1 deal · $0 + 1 without a rate" in header(window, services)[0]


def test_a_rep_reads_the_rates_but_cannot_change_them(
        qtbot: QtBot, services: Services, rep: Actor) -> None:
    window = MainWindow(services, rep, Settings())
    qtbot.addWidget(window)
    seen: dict[str, object] = {}

    def look(dialog: QWidget) -> None:
        assert isinstance(dialog, RatesDialog)
        index = dialog.model.index(row_of(dialog, "EUR"), RATE)
        seen["rate"] = index.data()
        seen["editable"] = bool(index.flags() & Qt.ItemFlag.ItemIsEditable)
        seen["save"] = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
        center = dialog.view.visualRect(index).center()
        qtbot.mouseDClick(dialog.view.viewport(), Qt.MouseButton.LeftButton, pos=center)
        seen["editors"] = [e for e in dialog.view.findChildren(QLineEdit) if e.isVisible()]
        dialog.reject()

    answer(look)
    rates_action(window).trigger()
    assert seen == {"rate": "1.08", "editable": False, "save": None, "editors": []}


def test_the_deal_form_offers_the_base_currency_and_those_with_a_rate(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    offered: list[list[str]] = []

    def look(dialog: QWidget) -> None:
        assert isinstance(dialog, DealForm)
        offered.append([dialog.currency.itemData(i) for i in range(dialog.currency.count())])
        offered.append([dialog.currency.currentData()])
        dialog.reject()

    answer(look)
    window.new_deal()
    assert offered == [["USD", "CNY", "EUR"], ["USD"]]


def test_a_deal_whose_currency_lost_its_rate_still_shows_its_currency(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    card = yen_deal(services, manager)
    reload(qtbot, window)
    offered: list[object] = []

    def look(dialog: QWidget) -> None:
        assert isinstance(dialog, DealForm)
        offered.append([dialog.currency.itemData(i) for i in range(dialog.currency.count())])
        offered.append(dialog.currency.currentData())
        dialog.reject()

    answer(look)
    window.editor.open(card.id)
    assert offered == [["USD", "CNY", "EUR", "JPY"], "JPY"]


def test_the_marking_reads_as_whole_sentences_in_chinese(qtbot: QtBot) -> None:
    import datetime as dt

    from funneldesk import i18n
    from funneldesk.services.dto import CurrencyRates, StageInfo, StageKind
    from funneldesk.ui.board.card_model import CardListModel
    from funneldesk.ui.board.column import StageColumn

    i18n.set_language("zh_CN")
    proposal = StageInfo(1, 1, "方案制定", StageKind.OPEN, 2, 40, 21, "")
    now = dt.datetime.now(dt.UTC)
    cards = [Card(i, 1, float(i), "CRM 实施", "", Decimal(value), currency, 1, "王强", now,
                  "", None, None, 1)
             for i, (value, currency) in enumerate((("1000", "CNY"), ("5", "JPY"), ("7", "JPY")))]
    column = StageColumn(proposal, CardListModel(proposal, cards, rates=CurrencyRates("CNY", {})),
                         "CNY")
    qtbot.addWidget(column)
    assert "3 个商机 · ¥1,000 + 2 个无汇率" in column.title.text()
    assert "加权 ¥400 + 2 个无汇率" in column.title.text()
    assert "有 2 个商机未计入" in column.title.toolTip()
    assert "“销售流程 ▸ 汇率…”" in column.title.toolTip()
