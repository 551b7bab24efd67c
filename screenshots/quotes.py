"""Screenshots of the Quotes area (called by dialogs.py): the Quotes page, the quote editor
with a line below its floor, the revision comparison, and the PDF preview."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget


def take_quotes(app: QApplication, window: QWidget, services: object, me: object, lang: str,
                out: Path, when_open: Callable[[QApplication, Callable[[QWidget], None]], None],
                shoot: Callable[[QApplication, QWidget, Path], None]) -> None:
    from funneldesk.services import Services
    from funneldesk.ui.quotes.editor import open_quote
    from funneldesk.ui.quotes.page import QuotesPage

    assert isinstance(services, Services)
    window.show_page("quotes")  # type: ignore[attr-defined]
    page = window.pages["quotes"]  # type: ignore[attr-defined]
    assert isinstance(page, QuotesPage)
    page.state.setCurrentIndex(0)
    while page.status_text() == "":
        app.processEvents()
    shoot(app, window, out / f"quotes-{lang}.png")
    workspace = page.workspace
    # the quote waiting for approval with the most options, and one in a second revision
    waiting = next(q for q in sorted(page.model.rows, key=lambda q: -len(q.options))
                   if q.needs_approval and not q.revision_sent)
    revised = next(q for q in page.model.rows if q.revision == 2)

    def editor(dialog: QWidget) -> None:
        shoot(app, dialog, out / f"quote-editor-{lang}.png")
        dialog.done(0)  # type: ignore[attr-defined]

    when_open(app, editor)
    open_quote(workspace, waiting.id, window)

    def compared(dialog: QWidget) -> None:
        def comparison(compare: QWidget) -> None:
            shoot(app, compare, out / f"quote-compare-{lang}.png")
            compare.done(0)  # type: ignore[attr-defined]
            dialog.done(0)  # type: ignore[attr-defined]

        when_open(app, comparison)
        dialog.compare()  # type: ignore[attr-defined]

    when_open(app, compared)
    open_quote(workspace, revised.id, window)

    def preview(dialog: QWidget) -> None:
        while dialog.data is None:  # type: ignore[attr-defined]
            app.processEvents()
        for _ in range(5):
            app.processEvents()
        shoot(app, dialog, out / f"quote-preview-{lang}.png")
        dialog.done(0)  # type: ignore[attr-defined]

    page.table.selectRow(0)
    when_open(app, preview)
    page.preview()
