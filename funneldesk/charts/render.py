"""A figure as pixels or as a PNG file, drawn by Agg: no window system is needed, so it
runs on any thread (the window draws its charts off the GUI thread and only shows the
image)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from matplotlib.figure import Figure


@dataclass(frozen=True)
class Pixels:
    rgba: bytes  # 4 bytes a pixel, row after row
    width: int
    height: int


def pixels(figure: Figure) -> Pixels:
    out = io.BytesIO()
    figure.savefig(out, format="rgba", dpi=figure.dpi)
    width, height = (int(v) for v in figure.bbox.size)  # as Agg sizes its canvas
    data = out.getvalue()
    assert len(data) == width * height * 4, "Agg drew another size than asked"
    return Pixels(data, width, height)


def png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=figure.dpi)
    return out.getvalue()
