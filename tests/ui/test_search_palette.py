"""The Ctrl+K palette on its own, on a real database: finding records as one types,
running actions by name, and all of it from the keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from pytestqt.qtbot import QtBot

from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.ui.shell.search_model import PaletteModel, PaletteRow, shortcut_text
from funneldesk.ui.shell.search_palette import SearchPalette
from tests.helpers import make_deal


@pytest.fixture
def actions(qtbot: QtBot) -> list[QAction]:
    new = QAction("&New deal…")
    new.setShortcut(QKeySequence("Ctrl+N"))
    export = QAction("导出商机")
    archive = QAction("Show &archived deals")
    archive.setEnabled(False)
    return [new, export, archive]


@pytest.fixture
def palette(qtbot: QtBot, services: Services, manager: Actor,
            actions: list[QAction]) -> SearchPalette:
    widget = SearchPalette(services, manager, lambda: actions)
    qtbot.addWidget(widget)
    widget.start()
    qtbot.waitExposed(widget)
    return widget


def shown(palette: SearchPalette) -> list[PaletteRow]:
    return [r for n in range(palette.model.rowCount()) if (r := palette.model.row_at(n))]


def titles(palette: SearchPalette) -> list[str]:
    return [r.title for r in shown(palette)]


def test_typing_finds_deals_and_enter_opens_one(qtbot: QtBot, palette: SearchPalette,
                                                services: Services, manager: Actor) -> None:
    wanted = make_deal(services, manager, title="北京星辰科技 ERP 升级")
    make_deal(services, manager, title="Warehouse system")
    palette.edit.setText("星辰")
    assert titles(palette) == ["北京星辰科技 ERP 升级"]
    assert palette.edit.hasFocus()
    with qtbot.waitSignal(palette.recordChosen) as chosen:
        qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    assert chosen.args == ["deal", wanted.id]
    assert not palette.isVisible()


def test_the_empty_box_lists_recent_records_and_no_result_says_so(
        qtbot: QtBot, palette: SearchPalette, services: Services, manager: Actor) -> None:
    assert [r.message != "" for r in shown(palette)] == [True]  # nothing opened yet
    deal = make_deal(services, manager, title="Cloud migration")
    services.search.note_opened("deal", deal.id, by=manager)
    palette.start()
    assert titles(palette) == ["Cloud migration"]
    qtbot.keyClicks(palette.edit, "zzz")
    rows = shown(palette)
    assert len(rows) == 1
    assert "zzz" in rows[0].message
    assert not rows[0].choosable


def test_arrows_and_pages_move_through_results_while_typing_goes_on(
        qtbot: QtBot, palette: SearchPalette, services: Services, manager: Actor) -> None:
    for n in range(30):
        make_deal(services, manager, title=f"Warehouse system {n:02}")
    qtbot.keyClicks(palette.edit, "wareh")
    assert palette.current_row() == 0
    qtbot.keyClick(palette.edit, Qt.Key.Key_Down)
    qtbot.keyClick(palette.edit, Qt.Key.Key_Down)
    assert palette.current_row() == 2
    qtbot.keyClick(palette.edit, Qt.Key.Key_Up)
    assert palette.current_row() == 1
    qtbot.keyClick(palette.edit, Qt.Key.Key_PageDown)
    paged = palette.current_row()
    assert paged > 3
    qtbot.keyClick(palette.edit, Qt.Key.Key_End)  # the box's own keys still edit the text
    qtbot.keyClick(palette.edit, Qt.Key.Key_PageDown)
    qtbot.keyClick(palette.edit, Qt.Key.Key_PageDown)
    qtbot.keyClick(palette.edit, Qt.Key.Key_PageDown)
    assert palette.current_row() == 29
    qtbot.keyClick(palette.edit, Qt.Key.Key_Down)
    assert palette.current_row() == 29
    qtbot.keyClick(palette.edit, Qt.Key.Key_PageUp)
    assert palette.current_row() < 29
    assert palette.edit.hasFocus()
    qtbot.keyClicks(palette.edit, "ouse system 07")
    assert titles(palette) == ["Warehouse system 07"]


def test_the_palette_runs_an_action_by_name(qtbot: QtBot, palette: SearchPalette,
                                            actions: list[QAction]) -> None:
    ran: list[str] = []
    actions[0].triggered.connect(lambda: ran.append("new"))
    qtbot.keyClicks(palette.edit, ">")
    assert titles(palette) == ["New deal…", "导出商机", "Show archived deals"]
    assert shortcut_text(shown(palette)[0].action) == QKeySequence("Ctrl+N").toString(  # type: ignore[arg-type]
        QKeySequence.SequenceFormat.NativeText)
    assert [r.choosable for r in shown(palette)] == [True, True, False]  # disabled: greyed
    qtbot.keyClicks(palette.edit, "NEW")
    assert titles(palette) == ["New deal…"]
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    assert ran == ["new"]
    assert not palette.isVisible()


def test_actions_are_found_by_chinese_names_and_disabled_ones_never_run(
        qtbot: QtBot, palette: SearchPalette, actions: list[QAction]) -> None:
    palette.edit.setText(">导出")
    assert titles(palette) == ["导出商机"]
    palette.edit.setText(">archived")
    assert titles(palette) == ["Show archived deals"]
    ran: list[bool] = []
    actions[2].triggered.connect(lambda: ran.append(True))
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    assert ran == []
    assert palette.isVisible()
    palette.edit.setText(">print")
    assert "print" in shown(palette)[0].message


def test_escape_closes_the_palette(qtbot: QtBot, palette: SearchPalette) -> None:
    qtbot.keyClick(palette.edit, Qt.Key.Key_Escape)
    assert not palette.isVisible()


def test_the_list_paints_found_records_and_actions(qtbot: QtBot, palette: SearchPalette,
                                                   services: Services, manager: Actor) -> None:
    card = make_deal(services, manager, title="Acme Café rollout")
    archived = services.deals.archive(deal_id=card.id, archived=True,
                                      expected_version=card.version, by=manager)
    assert archived.version > card.version
    palette.edit.setText("cafe")
    row = shown(palette)[0]
    assert row.hit is not None
    assert row.hit.archived
    assert row.hit.title_spans == ((5, 4),)
    # the delegate paints the row (an exception or a Qt warning in it fails the run)
    assert inked_rows(palette) >= 16  # two lines of text: the title and the detail line
    palette.edit.setText(">")
    assert inked_rows(palette) >= 8  # an action name


def inked_rows(palette: SearchPalette) -> int:
    """How many pixel rows of the list's first row hold anything but the background."""
    palette.view.setCurrentIndex(palette.model.index(-1, 0))  # no highlight
    image = palette.view.viewport().grab().toImage()
    height = palette.view.visualRect(palette.model.index(0, 0)).height()
    background = image.pixel(image.width() - 2, height - 2)
    inked = 0
    for y in range(height):
        if any(image.pixel(x, y) != background for x in range(0, image.width() // 2, 2)):
            inked += 1
    return inked


def test_the_model_passes_qt_s_model_checks(qtmodeltester: object, services: Services,
                                            manager: Actor) -> None:
    make_deal(services, manager, title="Warehouse system")
    model = PaletteModel()
    model.set_rows([PaletteRow(hit=h) for h in services.search.search("ware", by=manager)]
                   + [PaletteRow(message="none")])
    qtmodeltester.check(model)  # type: ignore[attr-defined]
