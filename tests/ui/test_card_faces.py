"""Card faces are kept between paints: whatever a card shows must still be repainted
when it changes, and an unchanged card must look as it did."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from funneldesk.services.dto import Card, StageInfo, StageKind
from funneldesk.ui.board.card_model import CardListModel
from funneldesk.ui.board.column_view import ColumnView

STAGE = StageInfo(1, 1, "Proposal", StageKind.OPEN, 2, 40, 10, "")
CARD = Card(1, 1, 1.0, "Warehouse system", "Acme", Decimal(1200), "USD", 1, "Ann",
            dt.datetime.now(dt.UTC), "Call back", None, None, 1)


def shown(qtbot: QtBot, view: ColumnView) -> QImage:
    view.viewport().repaint()
    qtbot.wait(1)
    return view.viewport().grab().toImage()


def test_a_changed_card_is_painted_anew_and_an_unchanged_one_as_before(qtbot: QtBot) -> None:
    model = CardListModel(STAGE, [CARD])
    view = ColumnView(model)
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a focus frame would come and go with focus
    qtbot.addWidget(view)
    view.resize(290, 300)
    view.show()
    qtbot.waitExposed(view)
    model.put(CARD)  # as after any change: replaced in place
    first = shown(qtbot, view)
    for change in ({"title": "Cold store"}, {"value": Decimal(99)}, {"next_step": "Visit"},
                   {"stage_entered_at": CARD.stage_entered_at - dt.timedelta(days=30)}):
        model.put(dataclasses.replace(CARD, **change))  # type: ignore[arg-type]
        assert shown(qtbot, view) != first, change
    model.put(CARD)
    assert shown(qtbot, view) == first
    view.setCurrentIndex(model.index(0))
    assert shown(qtbot, view) != first  # selected: a blue frame
