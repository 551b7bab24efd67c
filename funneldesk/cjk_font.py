"""Where the TrueType CJK font is that the PDFs embed and the charts draw with, so that
Chinese shows the same in both: the first found among the usual places of Linux, Windows
and macOS, or the one ``FUNNELDESK_PDF_FONT`` names (a .ttf, or a .ttc's first face).
ReportLab cannot use CFF/OpenType-PS fonts such as Noto Sans CJK, hence TrueType only."""

from __future__ import annotations

import os
from pathlib import Path

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


def find() -> Path | None:
    chosen = os.environ.get("FUNNELDESK_PDF_FONT")
    for candidate in ((chosen,) if chosen else CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None
