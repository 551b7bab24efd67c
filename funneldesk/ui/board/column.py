"""A stage column: header with count and totals, a sort choice, and the card list."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.i18n import _, ngettext
from funneldesk.services.dto import StageInfo, StageKind, Total
from funneldesk.ui.board.card_model import SORT_KEYS, CardListModel
from funneldesk.ui.board.column_header import ColumnHeader, Run
from funneldesk.ui.board.column_view import ColumnView

MISSING_COLOUR = "#b45309"  # amber: a total that is only partly known
MUTED = "#5f6b7a"
TEXT = "#1f2933"
# Columns share the board's width between these bounds; below the minimum the board
# scrolls sideways. 220 px still shows a card's title and value on one line.
MIN_WIDTH = 220
MAX_WIDTH = 420
ACCENT = {StageKind.OPEN: "#1a73e8", StageKind.WON: "#2e7d32", StageKind.LOST: "#8d6e63"}


def total_lines(count: int, total: Total, base_currency: str) -> tuple[str, str]:
    """"12 deals · ¥1.2M" and "weighted ¥300K", each marked with the deals left out for
    want of a rate (which ones and why: the tooltip). The forecast's months say it too."""
    money = formatting.money_short
    missing = total.missing_deals
    if missing:
        amounts = ngettext("{n} deal · {total} + {m} without a rate",
                           "{n} deals · {total} + {m} without a rate", count)
        weighted_text = _("weighted {amount} + {m} without a rate")
    else:
        amounts = ngettext("{n} deal · {total}", "{n} deals · {total}", count)
        weighted_text = _("weighted {amount}")
    return (amounts.format(n=formatting.number(count), total=money(total.known, base_currency),
                           m=formatting.number(missing)),
            weighted_text.format(amount=money(total.weighted, base_currency),
                                 m=formatting.number(missing)))


class StageColumn(QWidget):
    def __init__(self, stage: StageInfo, model: CardListModel, base_currency: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage, self.model, self.base_currency = stage, model, base_currency
        self.setMinimumWidth(MIN_WIDTH)
        self.setMaximumWidth(MAX_WIDTH)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        accent = QFrame()
        accent.setFixedHeight(3)
        accent.setAutoFillBackground(True)
        palette = accent.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(ACCENT[stage.kind]))
        accent.setPalette(palette)
        self.title = ColumnHeader()
        self.title.setToolTip(stage.guidance)
        self.sort = QComboBox()
        self.sort.setAccessibleName(_("Sort {stage} by").format(stage=stage.name))
        for key, label in SORT_KEYS.items():
            self.sort.addItem(_(label), key)
        self.sort.setCurrentIndex(max(self.sort.findData(model.sort_key()), 0))
        self.sort.currentIndexChanged.connect(lambda _i: self._sort_by(str(self.sort.currentData())))
        self.view = ColumnView(model, self)
        self._sort_by(model.sort_key())
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

    def _sort_by(self, key: str) -> None:
        self.model.set_sort(key)
        # only board order has places between cards; a sorted column shows none
        self.view.setDropIndicatorShown(self.model.sort_key() == "position")

    def refresh_header(self) -> None:
        count, stage_total = self.model.totals()
        rates_missing = stage_total.missing_deals
        amounts, weighted_line = total_lines(count, stage_total, self.base_currency)
        if not self.stage.is_open:
            weighted_line = ""
        colour = MISSING_COLOUR if rates_missing else MUTED
        self.title.set_lines(((Run(self.stage.name, TEXT, bold=True),
                               Run(f" {self.stage.probability}%", MUTED)),
                              (Run(amounts, colour),),
                              (Run(weighted_line, colour),)))
        tips = [_("Weighted value = value × stage probability."), self.stage.guidance]
        if rates_missing:
            tips.insert(0, self._missing_tip(stage_total))
        self.title.setToolTip("\n".join(t for t in tips if t))

    def _missing_tip(self, total: Total) -> str:
        n = total.missing_deals
        return ngettext(
            "No exchange rate from {currencies} to {base} is set, so {n} deal is left out of "
            "these totals. A manager adds rates under {menu}.",
            "No exchange rate from {currencies} to {base} is set, so {n} deals are left out of "
            "these totals. A manager adds rates under {menu}.", n,
        ).format(currencies=formatting.listing(total.missing_currencies), base=self.base_currency,
                 n=formatting.number(n), menu=" ▸ ".join((_("Pipeline"), _("Exchange rates…"))))
