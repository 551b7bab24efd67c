"""The deal form, opened from the board: editing, bad input, undo of an edit, new deals,
criteria ticks, archive and delete."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.ui.board.board_page import board_page
from funneldesk.ui.board.deal_form import DealForm
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal, stage
from tests.ui.conftest import answer_next_dialog, reload


def double_click_first_card(qtbot: QtBot, window: MainWindow, stage_id: int) -> None:
    page = board_page(window)
    view = page.board.columns[stage_id].view
    center = view.visualRect(view.model().index(0, 0)).center()
    # QTest's double-click sends no press of its own first, as a real mouse does
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)


def test_double_click_opens_the_form_and_an_edit_is_saved_and_undone(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    card = make_deal(services, manager)
    reload(qtbot, window)

    def edit(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, DealForm)
        assert dialog.title.text() == "Warehouse system"
        dialog.title.setText("Warehouse system phase 2")
        dialog.value.setText("2,500.50")
        dialog.next_step.setText("Call the buyer")
        dialog.accept()

    answer_next_dialog(edit)
    double_click_first_card(qtbot, window, card.stage_id)
    saved = services.deals.detail(card.id).fields
    assert (saved.title, str(saved.value), saved.next_step) == (
        "Warehouse system phase 2", "2500.50", "Call the buyer")
    assert page.board.find_card(card.id).title == "Warehouse system phase 2"  # type: ignore[union-attr]
    window.actions_.undo.trigger()
    assert services.deals.detail(card.id).fields.title == "Warehouse system"
    assert page.board.find_card(card.id).title == "Warehouse system"  # type: ignore[union-attr]
    window.actions_.redo.trigger()
    assert services.deals.detail(card.id).fields.title == "Warehouse system phase 2"


def test_every_tab_title_of_the_form_is_in_sight(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    card = make_deal(services, manager)
    reload(qtbot, window)
    seen: list[tuple[int, int, int]] = []

    def look(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, DealForm)
        bar = dialog.tabs.tabBar()
        last = bar.tabRect(bar.count() - 1)
        seen.append((bar.count(), last.right(), bar.width()))
        dialog.reject()

    answer_next_dialog(look)
    double_click_first_card(qtbot, window, card.stage_id)
    (count, right, width), = seen
    assert count >= 9  # the Contracts tab and its neighbours are all there
    assert right <= width  # none behind the tab bar's scroll arrows


def test_a_bad_value_keeps_the_form_open_with_the_reason_and_saves_nothing(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    card = make_deal(services, manager)
    reload(qtbot, window)
    seen: list[str] = []

    def edit(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.title.setText("Changed title")
        dialog.value.setText("a lot")
        dialog.accept()
        seen.append(dialog.error.text())
        seen.append("open" if dialog.isVisible() else "closed")
        dialog.reject()

    answer_next_dialog(edit)
    window.editor.open(card.id)
    assert seen == ["“a lot” is not an amount.", "open"]
    assert services.deals.detail(card.id).fields.title == "Warehouse system"


def test_a_date_that_is_no_date_is_refused_at_its_field_and_saves_nothing(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    card = make_deal(services, manager)
    reload(qtbot, window)
    seen: list[object] = []

    def edit(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.title.setText("Changed title")
        dialog.expected_close.edit.setText("2027/13/45")
        dialog.accept()
        seen.append("2027/13/45" in dialog.error.text())
        seen.append(dialog.isVisible())
        seen.append(dialog.focusWidget() is dialog.expected_close.edit)
        dialog.reject()

    answer_next_dialog(edit)
    window.editor.open(card.id)
    assert seen == [True, True, True]
    assert services.deals.detail(card.id).fields.title == "Warehouse system"


def test_new_deal_with_a_company_created_from_the_form(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    def fill(dialog) -> None:  # type: ignore[no-untyped-def]
        def company(quick) -> None:  # type: ignore[no-untyped-def]
            quick.name.setText("上海恒通物流有限公司")
            quick.accept()

        answer_next_dialog(company)
        dialog._quick_create(contact=False)
        assert dialog.company.text() == "上海恒通物流有限公司"
        dialog.title.setText("仓储管理系统")
        dialog.value.setText("88000")
        dialog.accept()

    answer_next_dialog(fill)
    window.actions_.new_deal.trigger()
    first = stage(services, "Initial contact").id
    cards = page.board.columns[first].model.visible_cards()
    assert [(c.title, c.company, str(c.value)) for c in cards] == [
        ("仓储管理系统", "上海恒通物流有限公司", "88000.00")]


def test_ticking_criteria_in_the_form_lets_the_deal_move(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    card = make_deal(services, manager)
    reload(qtbot, window)

    def tick(dialog) -> None:  # type: ignore[no-untyped-def]
        for row in range(dialog.checklist.rowCount()):
            dialog.checklist.item(row).setCheckState(Qt.CheckState.Checked)
        dialog.accept()

    answer_next_dialog(tick)
    window.editor.open(card.id)
    page.board.select(card.id)
    page.board.columns[card.stage_id].view.setFocus()
    page.move_current(1)
    assert services.deals.detail(card.id).stage_name == "Needs analysis"


def test_delete_moves_to_the_trash_and_archive_hides(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    keep = make_deal(services, manager, title="keep")
    gone = make_deal(services, manager, title="gone")
    archived = make_deal(services, manager, title="archived")
    reload(qtbot, window)
    assert window.editor.delete(gone.id)  # no question: Ctrl+Z and the Trash bring it back
    assert window.editor.archive(archived.id, True, archived.version)
    titles = [c.title for c in page.board.columns[keep.stage_id].model.visible_cards()]
    assert titles == ["keep"]
    assert services.deals.detail(archived.id).archived
    assert [d.title for d in services.trash.deals()] == ["gone"]


def test_context_menu_moves_the_card_to_a_chosen_stage(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    card = make_deal(services, manager, stage_name="Proposal")
    reload(qtbot, window)
    menu = page.card_menu(card.id, card.stage_id)
    assert menu is not None
    move_to = next(a.menu() for a in menu.actions() if a.menu())
    assert [a.text() for a in move_to.actions()] == [
        "Initial contact", "Needs analysis", "Proposal", "Negotiation", "Contract", "Won", "Lost"]
    assert not move_to.actions()[2].isEnabled()  # where it already is
    move_to.actions()[0].trigger()
    assert services.deals.detail(card.id).stage_name == "Initial contact"


def test_an_archived_deal_is_restored_to_the_board(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    card = make_deal(services, manager)
    reload(qtbot, window)
    assert window.editor.archive(card.id, True, card.version)
    assert page.board.find_card(card.id) is None
    listed: list[int] = []

    def restore(dialog) -> None:  # type: ignore[no-untyped-def]
        listed.append(dialog.model.rowCount())
        dialog.restore_button.click()
        listed.append(dialog.model.rowCount())
        # nothing left: it says so, and Restore cannot be pressed again
        listed.append(not dialog.empty.isHidden() and not dialog.restore_button.isEnabled())
        dialog.reject()

    answer_next_dialog(restore)
    page.show_archived()
    assert listed == [1, 0, True]
    assert page.board.find_card(card.id) is not None
    assert not services.deals.detail(card.id).archived


def test_restoring_a_deal_changed_since_the_list_showed_it_is_refused(
        qtbot: QtBot, services: Services, manager: Actor, rep: Actor, window: MainWindow,
        warnings_shown: list[str]) -> None:
    page = board_page(window)
    card = make_deal(services, rep, title="Rita's deal")
    reload(qtbot, window)
    assert window.editor.archive(card.id, True, card.version)
    tried: list[int] = []

    def restore(dialog) -> None:  # type: ignore[no-untyped-def]
        try:
            # Rita ticks one of its criteria while the list is open
            services.deals.set_criterion(
                deal_id=card.id, criterion_id=stage(services, "Initial contact").criteria[0].id,
                checked=True, expected_version=services.deals.detail(card.id).version, by=rep)
            dialog.restore_button.click()
            tried.append(dialog.model.rowCount())
        finally:
            dialog.reject()

    answer_next_dialog(restore)
    page.show_archived()
    assert tried == [1]  # still listed
    assert len(warnings_shown) == 1
    assert "changed by Rita Rep" in warnings_shown[0]
    assert services.deals.detail(card.id).archived
    assert page.board.find_card(card.id) is None


def test_the_plus_button_of_a_column_creates_a_deal_there(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    proposal = stage(services, "Proposal").id

    def fill(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.title.setText("Cloud migration")
        dialog.accept()

    answer_next_dialog(fill)
    page.board.columns[proposal].add_button.click()
    assert [c.title for c in page.board.columns[proposal].model.visible_cards()] == [
        "Cloud migration"]


def test_a_form_open_while_someone_plans_an_activity_saves_without_cancelling_it(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    """The form showed no next step; meanwhile another window planned one. Saving the
    form's other fields keeps that activity (a review found it cancelled)."""
    from funneldesk.enums import ActivityKind, ActivityState
    from funneldesk.services.activities.records import ActivityFields

    card = make_deal(services, manager)
    reload(qtbot, window)
    planned: list[int] = []

    def edit(dialog) -> None:  # type: ignore[no-untyped-def]
        planned.append(services.activities.plan(ActivityFields(
            ActivityKind.CALL, "约财务总监", deal_id=card.id), by=manager).activity.id)
        dialog.value.setText("5,000")
        dialog.accept()

    answer_next_dialog(edit)
    window.editor.open(card.id)
    saved = services.deals.detail(card.id).fields
    assert (str(saved.value), saved.next_step) == ("5000.00", "约财务总监")
    assert services.activities.activity(planned[0]).state is ActivityState.PLANNED
    window.actions_.undo.trigger()  # the value goes back; the colleague's call stays
    undone = services.deals.detail(card.id).fields
    assert (str(undone.value), undone.next_step) == ("1000.00", "约财务总监")
    assert services.activities.activity(planned[0]).state is ActivityState.PLANNED
