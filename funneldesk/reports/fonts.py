"""The one CJK font every FunnelDesk PDF embeds, so that Chinese shows on any computer.

ReportLab embeds (a subset of) a TrueType font; it cannot use CFF/OpenType-PS fonts such
as Noto Sans CJK, and the viewer-side STSong-Light shows nothing where the viewer lacks
the font. The first TrueType CJK font found among the usual places of Linux, Windows and
macOS is used; ``FUNNELDESK_PDF_FONT`` names another (a .ttf, or a .ttc's first face).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _

FONT = "FunnelDeskCJK"

CANDIDATES = (
    # Debian/Ubuntu: fonts-wqy-microhei (what scripts/setup.sh installs), -zenhei, droid
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    # Fedora and others
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
    # Windows: Microsoft YaHei, SimHei, SimSun
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
    # macOS
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
)

_lock = threading.Lock()
_registered: Path | None = None


@dataclass
class FontMissing(FunnelDeskError):
    def message(self) -> str:
        return _("No font with Chinese characters was found for the PDF. Install one (on "
                 "Debian or Ubuntu: sudo apt-get install fonts-wqy-microhei), or name a "
                 "TrueType font in FUNNELDESK_PDF_FONT.")


def font_path() -> Path:
    chosen = os.environ.get("FUNNELDESK_PDF_FONT")
    for candidate in ((chosen,) if chosen else CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise FontMissing()


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
