"""Emoji in a title are drawn as emoji, not as empty boxes (needs the colour emoji font
that scripts/setup.sh installs)."""

from __future__ import annotations

from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.ui.board.board_page import board_page
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal
from tests.ui.conftest import reload


def test_an_emoji_in_a_title_is_drawn_in_colour(
        qtbot: QtBot, window: MainWindow, services: Services, manager: Actor) -> None:
    page = board_page(window)
    card = make_deal(services, manager, title="🚀🚀🚀 Launch")
    reload(qtbot, window)
    view = page.board.columns[card.stage_id].view
    first = view.visualRect(view.model().index(0, 0))
    image = view.viewport().grab(first).toImage()
    # the title line, left of the value: the rockets sit here; the text and an empty-box
    # glyph are grey, the card frame lies outside it
    colourful = sum(
        1 for x in range(14, 80) for y in range(8, 30)
        if QColor(image.pixel(x, y)).hsvSaturation() > 120 and QColor(image.pixel(x, y)).value() > 80)
    assert colourful > 20, "the emoji were not drawn in colour (is fonts-noto-color-emoji installed?)"
