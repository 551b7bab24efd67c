"""A chart drawn off the GUI thread at the size it is shown, then painted as an image: the
GUI thread never waits for matplotlib. It is drawn again when its data changes or, once
the resizing has settled, at its new size; "Save as PNG…" writes it at print quality."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QImage, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from funneldesk.i18n import _
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.errors import show_bug, show_error

# (size in inches, dots per inch) -> the figure; run off the GUI thread
Draw = Callable[[tuple[float, float], float], object]
RESIZE_SETTLE_MS = 150
SCREEN_DPI = 96.0
SAVED_SIZE, SAVED_DPI = (8.0, 5.0), 150.0


class ChartView(QWidget):
    drawn = Signal()  # the chart asked for last is painted
    saved = Signal(str)  # the chart was written to this file

    def __init__(self, height: int = 200, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._height = height
        self._draw: Draw | None = None
        self._image: QImage | None = None
        self._asked = 0  # which drawing is wanted: an older one that ends later is dropped
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(RESIZE_SETTLE_MS)
        self._settle.timeout.connect(self._render)
        self.title = ""
        save = QAction(_("Save as PNG…"), self)
        save.triggered.connect(self.save_png)
        self.addAction(save)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def sizeHint(self) -> QSize:
        return QSize(200, self._height)

    def minimumSizeHint(self) -> QSize:
        return QSize(120, self._height)

    def show_chart(self, draw: Draw, title: str = "") -> None:
        """Draws ``draw``'s figure at this view's size (off the GUI thread)."""
        self._draw, self.title = draw, title
        self.setAccessibleName(title)
        self._render()

    def show_drawn(self, draw: Draw, drawn: object, title: str = "") -> None:
        """Shows ``drawn`` (what ``pixels`` gave for ``draw`` at ``size_now()``, drawn by
        the caller's own background job), keeping ``draw`` for a new size and saving."""
        self._draw, self.title = draw, title
        self.setAccessibleName(title)
        self._asked += 1
        self._show((self._asked, drawn), self.devicePixelRatioF())

    def size_now(self) -> tuple[tuple[float, float], float]:
        """The size (inches) and dots per inch to draw at for this view."""
        return self._size()

    def render_now(self) -> object:
        """The figure at the view's size (for tests and the saved file)."""
        assert self._draw is not None
        return self._draw(*self._size())

    def _size(self) -> tuple[tuple[float, float], float]:
        ratio = self.devicePixelRatioF()
        width, height = max(self.width(), 120), max(self.height(), 80)
        return (width / SCREEN_DPI, height / SCREEN_DPI), SCREEN_DPI * ratio

    def _render(self) -> None:
        if self._draw is None:
            return
        from funneldesk.charts.render import pixels

        self._asked += 1
        asked, draw, (size, dpi) = self._asked, self._draw, self._size()
        ratio = self.devicePixelRatioF()
        run_in_background(lambda: (asked, pixels(draw(size, dpi))),  # type: ignore[arg-type]
                          lambda done: self._show(done, ratio), self._failed, owner=self)

    def _show(self, done: tuple[int, object], ratio: float) -> None:
        asked, drawn = done
        if asked != self._asked:
            return  # a newer drawing is on its way
        width, height = drawn.width, drawn.height  # type: ignore[attr-defined]
        image = QImage(drawn.rgba, width, height, width * 4,  # type: ignore[attr-defined]
                       QImage.Format.Format_RGBA8888).copy()
        image.setDevicePixelRatio(ratio)
        self._image = image
        self.update()
        if abs(width - self._size()[0][0] * SCREEN_DPI * ratio) > 2:
            # drawn for the size the view had when asked (a pane read before its first
            # layout): drawn again at the size it has now
            self._settle.start()
        self.drawn.emit()

    def _failed(self, error: Exception) -> None:
        show_bug(self, error)

    def has_image(self) -> bool:
        return self._image is not None

    def image_width(self) -> int:
        """The width of the image painted, in device pixels (0: none yet)."""
        return self._image.width() if self._image is not None else 0

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._image is None:
            return
        painter = QPainter(self)
        painter.drawImage(0, 0, self._image)
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._settle.start()

    def save_png(self) -> None:
        from funneldesk.ui.common.file_dialogs import save_file_name

        if self._draw is None:
            return
        start = _("{name}.png").format(name=(self.title or _("Chart")).split(" – ")[0]
                                       .replace("/", "-"))
        chosen, _filter = save_file_name(self, _("Save the chart"), start,
                                         _("PNG images (*.png)"))
        if chosen and self.write_png(Path(chosen)):
            self.saved.emit(chosen)

    def write_png(self, path: Path) -> bool:
        from funneldesk.charts.render import png
        from funneldesk.errors import InvalidInput

        assert self._draw is not None
        figure = self._draw(SAVED_SIZE, SAVED_DPI)
        if self.title and not figure.axes[0].get_title():  # type: ignore[attr-defined]
            figure.suptitle(self.title, x=0.01, ha="left")  # type: ignore[attr-defined]
        try:
            path.write_bytes(png(figure))  # type: ignore[arg-type]
        except OSError as error:
            show_error(self, InvalidInput("file", _("Cannot write {path}: {reason}").format(
                path=path, reason=error.strerror or error)))
            return False
        return True
