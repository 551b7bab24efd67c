"""A quote's PDF before it goes out, in the shared preview (ui/common/pdf_preview.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from funneldesk.i18n import _
from funneldesk.ui.common.page import Workspace
from funneldesk.ui.common.pdf_preview import PdfPreview


def preview_quote(workspace: Workspace, quote_id: int, revision: int | None, number: str,
                  parent: QWidget | None = None) -> None:
    quotes = workspace.services.quotes
    PdfPreview(workspace, _("Quote {number}").format(number=number), number,
               lambda: quotes.pdf(quote_id, revision), parent).exec()
