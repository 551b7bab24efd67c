"""A stage column: header with count and totals, a sort choice, and the card list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.i18n import _, ngettext
from funneldesk.services.dto import StageInfo, StageKind, Total
from funneldesk.ui.board.card_model import SORT_KEYS, CardListModel
from funneldesk.ui.board.column_view import ColumnView

COLUMN_WIDTH = 290
MISSING_COLOUR = "#b45309"  # amber: a total that is only partly known
ACCENT = {StageKind.OPEN: "#1a73e8", StageKind.WON: "#2e7d32", StageKind.LOST: "#8d6e63"}


class StageColumn(QWidget):
    def __init__(self, stage: StageInfo, model: CardListModel, base_currency: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage, self.model, self.base_currency = stage, model, base_currency
        self.setFixedWidth(COLUMN_WIDTH)
        accent = QFrame()
        accent.setFixedHeight(3)
        accent.setAutoFillBackground(True)
        palette = accent.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(ACCENT[stage.kind]))
        accent.setPalette(palette)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.title.setToolTip(stage.guidance)
        self.sort = QComboBox()
        self.sort.setAccessibleName(_("Sort {stage} by").format(stage=stage.name))
        for key, label in SORT_KEYS.items():
            self.sort.addItem(_(label), key)
        self.sort.setCurrentIndex(max(self.sort.findData(model.sort_key()), 0))
        self.sort.currentIndexChanged.connect(
            lambda _i: self.model.set_sort(str(self.sort.currentData())))
        self.view = ColumnView(model, self)
        self.view.setAccessibleName(stage.name)
        self.add_button = QToolButton(self)
        self.add_button.setText("+")
        self.add_button.setToolTip(_("New deal in {stage}").format(stage=stage.name))
        sort_row = QHBoxLayout()
        sort_row.addWidget(self.add_button)
        self.add_button.setHidden(not stage.is_open)
        sort_row.addStretch(1)
        sort_row.addWidget(QLabel(_("Sort:")))
        sort_row.addWidget(self.sort)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 4)
        layout.addWidget(accent)
        layout.addWidget(self.title)
        layout.addLayout(sort_row)
        layout.addWidget(self.view, 1)
        model.totalsChanged.connect(self.refresh_header)
        self.refresh_header()

    def refresh_header(self) -> None:
        count, total = self.model.totals()
        money = formatting.money_short
        deals = ngettext("{n} deal", "{n} deals", count).format(n=formatting.number(count))
        line = f"{deals} · {self._known_part(money(total.known, self.base_currency), total, False)}"
        # every header has three lines, so that the cards of all columns line up
        line += "<br/>" + (self._known_part(money(total.weighted, self.base_currency), total, True)
                           if self.stage.is_open else "&nbsp;")
        self.title.setText(f"<b>{self.stage.name}</b> <span style='color:#5f6b7a'>"
                           f"{self.stage.probability}%</span><br/>"
                           f"<span style='color:#5f6b7a'>{line}</span>")
        tips = [_("Weighted value = value × stage probability."), self.stage.guidance]
        if total.missing:
            tips.insert(0, self._missing_tip(total))
        self.title.setToolTip("\n".join(t for t in tips if t))

    def _known_part(self, amount: str, total: Total, weighted: bool) -> str:
        """The total, or, when deals lack a rate, the part that is known and what is not."""
        if not total.missing:
            return _("weighted {amount}").format(amount=amount) if weighted else amount
        n = total.missing_deals
        if weighted:
            text = ngettext("weighted {amount} + {n} deal in {currencies} without a rate",
                            "weighted {amount} + {n} deals in {currencies} without a rate", n)
        else:
            text = ngettext("{amount} + {n} deal in {currencies} without a rate",
                            "{amount} + {n} deals in {currencies} without a rate", n)
        text = text.format(amount=amount, n=formatting.number(n),
                           currencies=formatting.listing(total.missing_currencies))
        return f"<span style='color:{MISSING_COLOUR}'>{text}</span>"

    def _missing_tip(self, total: Total) -> str:
        n = total.missing_deals
        return ngettext(
            "No exchange rate from {currencies} to {base} is set, so {n} deal is left out of "
            "these totals. A manager adds rates under {menu}.",
            "No exchange rate from {currencies} to {base} is set, so {n} deals are left out of "
            "these totals. A manager adds rates under {menu}.", n,
        ).format(currencies=formatting.listing(total.missing_currencies), base=self.base_currency,
                 n=formatting.number(n), menu=" ▸ ".join((_("Pipeline"), _("Exchange rates…"))))
