"""A document's PDF before it goes out (a quote, a contract): its pages as the customer
will see them, printed through the system's print dialog or saved as a file. The PDF is made, and its pages
drawn, off the GUI thread (pypdfium2: Qt's own PDF module is not in the essentials)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.errors import show_error
from funneldesk.ui.common.file_dialogs import save_file_name
from funneldesk.ui.common.page import Workspace

SCREEN_DPI = 96
PRINT_DPI = 200


def page_images(data: bytes, dpi: int) -> list[QImage]:
    """Every page of the PDF drawn at ``dpi`` (call it off the GUI thread: QImage, unlike
    QPixmap, may be made there)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        images = []
        for index in range(len(document)):
            bitmap = document[index].render(scale=dpi / 72)
            picture = bitmap.to_pil().convert("RGB")
            raw = picture.tobytes()
            image = QImage(raw, picture.width, picture.height, picture.width * 3,
                           QImage.Format.Format_RGB888)
            images.append(image.copy())  # the copy owns its pixels; ``raw`` goes away
        return images
    finally:
        document.close()


class PdfPreview(QDialog):
    """A document's pages, made off the GUI thread by ``make``, with Print… and Save as…
    (``save``, when given, writes the file its own way: a contract encrypts it)."""

    def __init__(self, workspace: Workspace, title: str, number: str,
                 make_pdf: Callable[[], bytes], parent: QWidget | None = None,
                 save: Callable[[PdfPreview], None] | None = None,
                 paper_only: bool = False) -> None:
        super().__init__(parent or workspace.window)
        self.workspace, self.number, self._save = workspace, number, save
        # a confidential document is printed on paper, never "printed" to a plain file
        self.paper_only = paper_only
        self.data: bytes | None = None
        self.setWindowTitle(title)
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        self.resize(900, min(1000, screen.height() - 60) if screen is not None else 800)
        self.pages = QVBoxLayout()
        self.pages.setSpacing(12)
        holder = QWidget()
        holder.setLayout(self.pages)
        holder.setStyleSheet("background: palette(dark)")
        scroll = QScrollArea()
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.status = QLabel(_("Making the PDF…"))
        self.pages.addWidget(self.status, 0, Qt.AlignmentFlag.AlignCenter)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = QPushButton(_("Print…"))
        self.save_button = QPushButton(_("Save as…"))
        for button in (self.print_button, self.save_button):
            button.setEnabled(False)
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(self.print_pdf)
        self.save_button.clicked.connect(self.save_pdf)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        def make() -> tuple[bytes, list[QImage]]:
            data = make_pdf()
            return data, page_images(data, SCREEN_DPI)

        run_in_background(make, self._show, self._failed, owner=self)

    def _show(self, made: tuple[bytes, list[QImage]]) -> None:
        self.data, images = made
        self.status.hide()
        for image in images:
            page = QLabel()
            page.setPixmap(QPixmap.fromImage(image))
            page.setAccessibleName(_("Page"))
            self.pages.addWidget(page, 0, Qt.AlignmentFlag.AlignHCenter)
        self.print_button.setEnabled(True)
        self.save_button.setEnabled(True)

    def _failed(self, error: Exception) -> None:
        if not isinstance(error, FunnelDeskError):
            raise error
        self.status.setText(error.message())
        show_error(self, error)

    def save_pdf(self) -> None:
        if self.data is None:
            return
        if self._save is not None:
            self._save(self)
            return
        path, _filter = save_file_name(self, _("Save the quote as"), f"{self.number}.pdf",
                                       _("PDF files (*.pdf)"))
        if not path:
            return
        try:
            Path(path).write_bytes(self.data)
        except OSError as error:
            from funneldesk.errors import InvalidInput

            show_error(self, InvalidInput("path", _("Cannot write {path}: {reason}").format(
                path=path, reason=error.strerror or error)))
            return
        self.workspace.show_message(_("Saved: {path}").format(path=path))

    def print_pdf(self) -> None:
        if self.data is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.number)
        dialog = QPrintDialog(printer, self)
        if self.paper_only:
            dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, False)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if self.paper_only and (printer.outputFormat() is not
                                QPrinter.OutputFormat.NativeFormat or printer.outputFileName()):
            self.workspace.show_message(_(
                "A confidential contract is printed on paper only: save it with Save as…, "
                "which encrypts it."))
            return
        data = self.data
        self.print_button.setEnabled(False)
        self.workspace.show_message(_("Preparing the pages for the printer…"))
        run_in_background(lambda: page_images(data, PRINT_DPI),
                          lambda images: self._print(printer, images), self._failed,
                          owner=self)

    def _print(self, printer: QPrinter, images: list[QImage]) -> None:
        self.print_button.setEnabled(True)
        painter = QPainter()
        if not painter.begin(printer):
            self.workspace.show_message(_("The printer could not be started."))
            return
        try:
            for number, image in enumerate(images):
                if number:
                    printer.newPage()
                area = painter.viewport()
                size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                # the painter scales as it draws: no page-sized copy at printer resolution
                painter.drawImage(QRect(area.topLeft(), size), image)
        finally:
            painter.end()
        self.workspace.show_message(_("{document} sent to the printer.").format(
            document=self.windowTitle()))
