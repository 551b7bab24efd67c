"""One look for every chart: the CJK font beside matplotlib's own (glyph by glyph, so
Latin text keeps DejaVu Sans and Chinese falls back to the CJK font), quiet axes, and the
palette the board uses."""

from __future__ import annotations

import threading

_lock = threading.Lock()
_ready = False

BLUE, GREEN, AMBER, RED, GREY = "#3b78c4", "#3f9a5a", "#d99a1e", "#c8463d", "#9aa3ad"
INK, FAINT = "#2b2f33", "#e3e6ea"


def set_up() -> None:
    """Registers the CJK font and the defaults once per process."""
    global _ready
    with _lock:
        if _ready:
            return
        import matplotlib as mpl
        from matplotlib import font_manager

        from funneldesk.cjk_font import find

        families = ["DejaVu Sans"]
        path = find()
        if path is not None:
            font_manager.fontManager.addfont(str(path))
            families.append(font_manager.FontProperties(fname=str(path)).get_name())
        mpl.rcParams.update({
            "font.family": families, "font.size": 9,
            "axes.edgecolor": FAINT, "axes.labelcolor": INK, "axes.titlesize": 10.5,
            "axes.titleweight": "normal", "axes.titlelocation": "left",
            "axes.spines.top": False, "axes.spines.right": False,
            "xtick.color": INK, "ytick.color": INK, "text.color": INK,
            "axes.grid": False, "svg.fonttype": "none",
        })
        _ready = True
