"""A layout that sets its items in a row and wraps them onto more rows where the row is
too narrow (Qt's FlowLayout example): a filter bar stays whole beside a docked pane
instead of making the window wider than the screen."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLayout, QLayoutItem, QWidget, QWidgetItem


def group(*widgets: QWidget) -> QWidget:
    """Widgets that wrap together (a label and its field)."""
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        row.addWidget(widget)
    return holder


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        # widgets that take the rest of their row (a search field): wider than their hint
        self._stretched: set[QWidget] = set()

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def add(self, widget: QWidget, *, stretch: bool = False) -> None:
        self.addChildWidget(widget)
        self.addItem(QWidgetItem(widget))
        if stretch:
            self._stretched.add(widget)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        """All in one row."""
        width = sum(i.sizeHint().width() for i in self._shown()) + self._gap * max(
            0, len(self._shown()) - 1)
        height = max((i.sizeHint().height() for i in self._shown()), default=0)
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:
        """The widest item alone: the rest wraps."""
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _shown(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        m: QMargins = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        rows: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._shown():
            width = item.sizeHint().width()
            if rows[-1] and used + self._gap + width > area.width():
                rows.append([])
                used = 0
            used += (self._gap if rows[-1] else 0) + width
            rows[-1].append(item)
        y = area.y()
        for row in rows:
            height = max((i.sizeHint().height() for i in row), default=0)
            if move:
                self._place(row, area, y, height)
            y += height + self._gap
        return y - self._gap - rect.y() + m.bottom()

    def _place(self, row: list[QLayoutItem], area: QRect, y: int, height: int) -> None:
        widths = [min(i.sizeHint().width(), area.width()) for i in row]
        spare = area.width() - sum(widths) - self._gap * (len(row) - 1)
        stretched = [n for n, i in enumerate(row) if i.widget() in self._stretched]
        for n in stretched:  # the row's spare room goes to its stretched items
            widths[n] += max(0, spare) // len(stretched)
        x = area.x()
        for item, width in zip(row, widths, strict=True):
            top = y + (height - item.sizeHint().height()) // 2
            item.setGeometry(QRect(QPoint(x, top), QSize(width, item.sizeHint().height())))
            x += width + self._gap
