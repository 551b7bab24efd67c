"""A stage column: header with count and totals, a sort choice, and the card list."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from funneldesk import formatting
from funneldesk.i18n import _, ngettext
from funneldesk.services.dto import StageInfo, StageKind
from funneldesk.ui.board.card_model import SORT_KEYS, CardListModel
from funneldesk.ui.board.column_view import ColumnView

COLUMN_WIDTH = 290
ACCENT = {StageKind.OPEN: "#1a73e8", StageKind.WON: "#2e7d32", StageKind.LOST: "#8d6e63"}


class StageColumn(QWidget):
    def __init__(self, stage: StageInfo, model: CardListModel, base_currency: str,
                 to_base: Callable[[Decimal, str], Decimal], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage, self.model = stage, model
        self.base_currency, self.to_base = base_currency, to_base
        self.setFixedWidth(COLUMN_WIDTH)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setToolTip(stage.guidance)
        self.sort = QComboBox()
        self.sort.setAccessibleName(_("Sort {stage} by").format(stage=stage.name))
        for key, label in SORT_KEYS.items():
            self.sort.addItem(_(label), key)
        self.sort.currentIndexChanged.connect(
            lambda _i: self.model.set_sort(str(self.sort.currentData())))
        self.view = ColumnView(model, self)
        self.view.setAccessibleName(stage.name)
        sort_row = QHBoxLayout()
        sort_row.addStretch(1)
        sort_row.addWidget(QLabel(_("Sort:")))
        sort_row.addWidget(self.sort)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addLayout(sort_row)
        layout.addWidget(self.view, 1)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self.refresh_header)
        self.setStyleSheet(f"StageColumn {{ border-top: 3px solid {ACCENT[stage.kind]}; }}")
        self.refresh_header()

    def set_sort(self, key: str) -> None:
        position = self.sort.findData(key)
        self.sort.setCurrentIndex(max(position, 0))

    def refresh_header(self) -> None:
        count, total, weighted = self.model.totals(self.to_base)
        money = formatting.money_short
        deals = ngettext("{n} deal", "{n} deals", count).format(n=formatting.number(count))
        line = f"{deals} · {money(total, self.base_currency)}"
        if self.stage.is_open:
            line += "<br/>" + _("weighted {amount}").format(
                amount=money(weighted, self.base_currency))
        self.title.setText(f"<b>{self.stage.name}</b> <span style='color:#5f6b7a'>"
                           f"{self.stage.probability}%</span><br/>"
                           f"<span style='color:#5f6b7a'>{line}</span>")
        self.title.setToolTip(_("Weighted value = value × stage probability.") + "\n"
                              + self.stage.guidance)
