"""The merge dialog merges with the values chosen per field and is undone and redone from
the window's undo stack; Find duplicates lists groups and opens the merge of a pair."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from funneldesk.errors import NotFound
from funneldesk.services import Services
from funneldesk.services.customers.records import CompanyFields, ContactFields
from funneldesk.services.dto import Actor
from funneldesk.settings import Settings
from funneldesk.ui.common.page import Workspace
from funneldesk.ui.common.user_action import ActionRunner
from funneldesk.ui.customers.duplicates_view import DuplicatesDialog
from funneldesk.ui.customers.merge_dialog import MergeDialog
from funneldesk.ui.customers.merge_model import KEPT, MERGED, ChoiceRole


@pytest.fixture
def workspace(qtbot: QtBot, services: Services, manager: Actor) -> Workspace:
    window = QMainWindow()
    qtbot.addWidget(window)
    undo_stack = QUndoStack(window)
    return Workspace(services, manager, Settings(), ActionRunner(undo_stack, window),
                     undo_stack, window, lambda _text: None)


def two_companies(services: Services, manager: Actor) -> tuple[int, int]:
    kept = services.customers.add_company(CompanyFields(
        name="星辰科技", city="北京", phones=("13800138000",), tags=("重点",)), by=manager)
    other = services.customers.add_company(CompanyFields(
        name="北京星辰科技有限公司", city="上海", industry="软件",
        phones=("13800138000", "13900139000"), emails=("info@xingchen.cn",),
        tags=("制造业",)), by=manager)
    return kept.id, other.id


def row_of(dialog: MergeDialog, field: str) -> int:
    assert dialog.model is not None
    return next(i for i, r in enumerate(dialog.model.rows) if r.field.field == field)


def test_the_model_passes_qts_checks(qtbot: QtBot, qtmodeltester, services: Services,  # type: ignore[no-untyped-def]
                                     manager: Actor) -> None:
    kept, other = two_companies(services, manager)
    dialog = MergeDialog(services, manager, "company", kept, other)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)


def test_merge_keeps_the_chosen_values_and_undo_and_redo_replay_it(
        qtbot: QtBot, services: Services, manager: Actor, workspace: Workspace) -> None:
    kept, other = two_companies(services, manager)
    dialog = MergeDialog(services, manager, "company", kept, other, workspace.runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    model = dialog.model
    assert model is not None
    # the empty industry of the kept record takes the other's by default
    assert model.index(row_of(dialog, "industry"), 0).data(ChoiceRole) == "merged"
    assert model.index(row_of(dialog, "industry"), KEPT).data() == "(empty)"  # a choice too
    assert (dialog.keep_first.text(), dialog.keep_second.text()) == (
        "“星辰科技”", "“北京星辰科技有限公司”")  # no record numbers where the names differ
    assert model.index(row_of(dialog, "city"), 0).data(ChoiceRole) == "kept"
    assert dialog.moving.text().splitlines() == [
        "2 phones and emails move to it.", "1 tag is added to it.",
        "Phones after the merge: 138 0013 8000, 139 0013 9000",
        "Emails after the merge: info@xingchen.cn", "Tags after the merge: 制造业, 重点"]
    # the user clicks the other record's city (a click anywhere on the value picks it)
    city = model.index(row_of(dialog, "city"), MERGED)
    view = dialog.table
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(city).center())
    assert city.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.index(city.row(), KEPT).data(Qt.ItemDataRole.CheckStateRole) == \
        Qt.CheckState.Unchecked
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    merged = services.customers.company_detail(kept)
    assert (merged.fields.name, merged.fields.city, merged.fields.industry) == (
        "星辰科技", "上海", "软件")
    assert merged.fields.phones == ("+8613800138000", "+8613900139000")
    assert set(merged.fields.tags) == {"重点", "制造业"}
    with pytest.raises(NotFound):
        services.customers.company_detail(other)
    stack = workspace.undo_stack
    assert stack.undoText() == "Merge “北京星辰科技有限公司” into “星辰科技”"

    stack.undo()  # Ctrl+Z: off the GUI thread, the window disabled meanwhile
    qtbot.waitUntil(lambda: workspace.window.isEnabled() and not stack.canUndo(),
                    timeout=10000)
    back = services.customers.company_detail(kept).fields
    assert (back.city, back.industry, back.phones, back.tags) == (
        "北京", "", ("+8613800138000",), ("重点",))
    assert services.customers.company_detail(other).fields.city == "上海"

    stack.redo()  # Ctrl+Y
    qtbot.waitUntil(lambda: workspace.window.isEnabled() and stack.canUndo(), timeout=10000)
    assert services.customers.company_detail(kept).fields.city == "上海"
    with pytest.raises(NotFound):
        services.customers.company_detail(other)


def test_find_duplicates_names_each_contact_with_its_company(
        qtbot: QtBot, services: Services, manager: Actor, workspace: Workspace) -> None:
    star = services.customers.add_company(CompanyFields(name="星辰科技"), by=manager).id
    first, second = (services.customers.add_contact(ContactFields(
        name=name, company_id=star), by=manager).id for name in ("李晓明", "李 晓明"))
    dialog = DuplicatesDialog(services, manager, "contact", workspace.runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=10000)
    group = dialog.model.index(0, 0)
    assert [dialog.model.index(r, 0, group).data() for r in range(2)] == [
        f"“李晓明” (#{first}) at 星辰科技", f"“李 晓明” (#{second}) at 星辰科技"]


def test_find_duplicates_tells_every_reason_in_the_why_columns_tooltip(
        qtbot: QtBot, services: Services, manager: Actor, workspace: Workspace) -> None:
    for name in ("王芳", "王 芳"):
        services.customers.add_contact(ContactFields(
            name=name, phones=("13800138000",), emails=("wang@example.cn",)), by=manager)
    dialog = DuplicatesDialog(services, manager, "contact", workspace.runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=10000)
    why = dialog.model.index(0, 1)
    reasons = why.data(Qt.ItemDataRole.ToolTipRole).split("\n")
    assert len(reasons) >= 2
    assert all(reason in why.data() for reason in reasons)


def test_find_duplicates_lists_a_planted_group_and_merges_its_pair(
        qtbot: QtBot, services: Services, manager: Actor, workspace: Workspace) -> None:
    kept, other = two_companies(services, manager)
    services.customers.add_company(CompanyFields(name="广州远航物流有限公司"), by=manager)
    dialog = DuplicatesDialog(services, manager, "company", workspace.runner)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.busy.isVisible()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=10000)
    assert not dialog.busy.isVisible()
    group = dialog.model.index(0, 0)
    assert group.data() == "2 records"
    assert "The same phone number." in dialog.model.index(0, 1).data()
    assert [dialog.model.index(r, 0, group).data() for r in range(2)] == [
        f"“星辰科技” (#{kept})", f"“北京星辰科技有限公司” (#{other})"]
    assert dialog.status.text() == "Found 1 group of possible duplicates."
    assert not dialog.merge_button.isEnabled()
    dialog.tree.setCurrentIndex(group)
    assert dialog.merge_button.isEnabled()
    assert dialog.pair() == (kept, other)

    from tests.ui.conftest import answer_next_dialog

    def merge(opened) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(opened, MergeDialog)
        opened.merge()

    answer_next_dialog(merge)
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text() == "No duplicates found.", timeout=10000)
    assert dialog.model.rowCount() == 0
    assert workspace.undo_stack.canUndo()


def test_a_rep_is_told_at_once_that_only_a_manager_merges_what_is_not_theirs(
        qtbot: QtBot, services: Services, manager: Actor, rep: Actor) -> None:
    kept, other = two_companies(services, manager)  # the manager's, not the rep's
    dialog = MergeDialog(services, rep, "company", kept, other)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.error.isVisible()
    assert "Only a manager" in dialog.error.text()
    assert not dialog.merge_button.isEnabled()
    assert not dialog.table.isEnabled()
    mine = [services.customers.add_company(CompanyFields(name=n), by=rep).id
            for n in ("远航物流", "远航物流有限公司")]
    dialog = MergeDialog(services, rep, "company", *mine)  # both the rep's: allowed
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.error.isVisible()
    assert dialog.merge_button.isEnabled()
