"""A column's header lines, painted: a rich-text label lays out its text again on every
paint (about a millisecond), and both headers of a move repaint after each drop."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

LINES = 3  # every header has as many, so that the cards of all columns line up


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of one line in one colour, bold or not."""

    text: str
    colour: str
    bold: bool = False


Line = tuple[Run, ...]


class ColumnHeader(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lines: tuple[Line, ...] = ()
        # as wide as the column lets it be; a line too long is cut, and the tooltip says all
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def set_lines(self, lines: tuple[Line, ...]) -> None:
        if lines != self._lines:
            self._lines = lines
            self.setAccessibleName(self.text())
            self.update()

    def text(self) -> str:
        """The header as plain text, one line per line."""
        return "\n".join("".join(run.text for run in line) for line in self._lines)

    def sizeHint(self) -> QSize:
        return QSize(120, QFontMetrics(self.font()).lineSpacing() * LINES + 6)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        plain, bold = self.font(), QFont(self.font())
        bold.setBold(True)
        step = QFontMetrics(plain).lineSpacing()
        width = self.width()
        for n, line in enumerate(self._lines[:LINES]):
            x, y = 0, 3 + n * step
            for run in line:
                font = bold if run.bold else plain
                metrics = QFontMetrics(font)
                room = width - x
                if room <= 0:
                    break
                text = metrics.elidedText(run.text, Qt.TextElideMode.ElideRight, room)
                painter.setFont(font)
                painter.setPen(QColor(run.colour))
                painter.drawText(QRect(x, y, room, step),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
                x += metrics.horizontalAdvance(text)
        painter.end()
