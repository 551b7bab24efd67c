"""The one CJK font every FunnelDesk PDF embeds, so that Chinese shows on any computer.

ReportLab embeds (a subset of) a TrueType font; it cannot use CFF/OpenType-PS fonts such
as Noto Sans CJK, and the viewer-side STSong-Light shows nothing where the viewer lacks
the font. The first TrueType CJK font found among the usual places of Linux, Windows and
macOS is used; ``FUNNELDESK_PDF_FONT`` names another (a .ttf, or a .ttc's first face).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from funneldesk import cjk_font
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _

FONT = "FunnelDeskCJK"

_lock = threading.Lock()
_registered: Path | None = None


@dataclass
class FontMissing(FunnelDeskError):
    def message(self) -> str:
        return _("No font with Chinese characters was found for the PDF. Install one (on "
                 "Debian or Ubuntu: sudo apt-get install fonts-wqy-microhei), or name a "
                 "TrueType font in FUNNELDESK_PDF_FONT.")


def font_path() -> Path:
    found = cjk_font.find()
    if found is None:
        raise FontMissing()
    return found


def register() -> str:
    """Registers the CJK font with ReportLab once per process; its name for styles."""
    global _registered
    with _lock:
        if _registered is None:
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            path = font_path()
            pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
            _registered = path
    return FONT
