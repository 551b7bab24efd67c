"""The KPI charts. Each takes plain values (names, counts, ratios, days, amounts as
floats) and the size to draw at, and returns a ``Figure``; a value that is None has no
data and draws nothing. Labels arrive translated; numbers are formatted for the user's
locale here."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from matplotlib.figure import Figure

from funneldesk import formatting
from funneldesk.charts.style import AMBER, BLUE, FAINT, GREEN, GREY, INK, RED, set_up
from funneldesk.i18n import _

Size = tuple[float, float]  # inches, at ``dpi`` dots per inch


def _figure(size: Size, dpi: float, compact: bool = False,
            labels: Sequence[str] = ()) -> Figure:
    """A figure laid out by matplotlib, or (``compact``) with margins guessed from the
    longest of ``labels`` at the left: half the drawing time, for the pane that is drawn
    again after every move."""
    set_up()
    figure = Figure(figsize=size, dpi=dpi, layout=None if compact else "constrained")
    figure.patch.set_facecolor("white")
    if compact:
        width = size[0] * dpi
        # a CJK character is about twice as wide as a Latin one at 8 points
        longest = max((sum(2 if ord(c) > 0x2E7F else 1 for c in label) for label in labels),
                      default=0)
        left = min(0.5, (longest * 6 * dpi / 96 + 12) / width) if labels else 0.04
        figure.subplots_adjust(left=max(left, 0.04), right=0.97, top=0.86, bottom=0.12)
    return figure


def _empty(figure: Figure, title: str) -> Figure:
    axes = figure.add_subplot()
    axes.set_axis_off()
    axes.set_title(title)
    axes.text(0.5, 0.5, _("No data for this period"), ha="center", va="center", color=GREY,
              transform=axes.transAxes)
    return figure


def funnel(names: Sequence[str], reached: Sequence[int], conversion: Sequence[float | None],
           *, targets: Sequence[float | None] = (), title: str = "", size: Size = (4, 3),
           dpi: float = 100, compact: bool = False) -> Figure:
    """Deals that reached each stage as bars, widest first, each with its conversion to
    the next (red where under its target)."""
    figure = _figure(size, dpi, compact, names)
    if not names or not any(reached):
        return _empty(figure, title)
    axes = figure.add_subplot()
    rows = list(range(len(names)))[::-1]
    colours = []
    for i, rate in enumerate(conversion):
        target = targets[i] if i < len(targets) else None
        colours.append(RED if target is not None and rate is not None and rate < target
                       else BLUE)
    axes.barh(rows, reached, color=colours, height=0.66)
    axes.set_yticks(rows, list(names))
    axes.set_xticks([])
    axes.spines[["bottom", "left"]].set_visible(False)
    axes.tick_params(axis="y", length=0)
    top = max(reached) or 1
    for row, count, rate in zip(rows, reached, conversion, strict=True):
        label = formatting.number(count)
        if rate is not None and not compact:  # compact: the table under it has the rates
            label += f"  → {formatting.percent(rate)}"
        axes.text(count + top * 0.02, row, label, va="center", fontsize=8, color=INK)
    axes.set_xlim(0, top * (1.25 if compact else 1.45))
    axes.set_title(title)
    return figure


def stage_times(names: Sequence[str], medians: Sequence[float | None],
                limits: Sequence[int | None], *, title: str = "", size: Size = (4, 3),
                dpi: float = 100) -> Figure:
    """Median days in each stage as bars, each beside its rot limit (a mark); a bar past
    its limit is red, one within a fifth of it amber."""
    figure = _figure(size, dpi)
    if not names or all(m is None for m in medians):
        return _empty(figure, title)
    axes = figure.add_subplot()
    rows = list(range(len(names)))[::-1]
    values = [m or 0 for m in medians]
    colours = [_against(m, limit) for m, limit in zip(medians, limits, strict=True)]
    axes.barh(rows, values, color=colours, height=0.66)
    for row, limit in zip(rows, limits, strict=True):
        if limit:
            axes.plot([limit, limit], [row - 0.4, row + 0.4], color=INK, linewidth=1.5)
    top = max([*values, *[limit or 0 for limit in limits]]) or 1
    for row, median in zip(rows, medians, strict=True):
        if median is not None:
            axes.text(median + top * 0.02, row, formatting.decimal(median), va="center",
                      fontsize=8)
    axes.set_yticks(rows, list(names))
    axes.tick_params(axis="y", length=0)
    axes.set_xlim(0, top * 1.2)
    axes.set_xlabel(_("Days in stage (median); | the rot limit"))
    axes.set_title(title)
    return figure


def _against(value: float | None, limit: int | None) -> str:
    if value is None or not limit:
        return BLUE
    if value > limit:
        return RED
    return AMBER if value > 0.8 * limit else GREEN


def columns(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *,
            line: tuple[str, Sequence[float | None]] | None = None,
            line_text: Callable[[float], str] = formatting.percent,
            value_text: Callable[[float], str] | None = None, title: str = "",
            size: Size = (4, 3), dpi: float = 100, compact: bool = False) -> Figure:
    """Grouped columns per label (a forecast month, a week): each series one colour; an
    optional ``line`` (a ratio, such as the win rate) on its own axis at the right."""
    figure = _figure(size, dpi, compact)
    if not labels or all(v is None for _name, values in series for v in values):
        return _empty(figure, title)
    axes = figure.add_subplot()
    colours = [BLUE, GREEN, RED, GREY, AMBER]
    width = 0.8 / max(1, len(series))
    for n, (name, values) in enumerate(series):
        xs = [i - 0.4 + width * (n + 0.5) for i in range(len(labels))]
        axes.bar(xs, [v or 0 for v in values], width=width, color=colours[n % len(colours)],
                 label=name)
    axes.set_xticks(range(len(labels)), list(labels))
    axes.tick_params(axis="x", length=0, labelsize=7)
    if len(labels) > 8:
        for text in axes.get_xticklabels():
            text.set_rotation(45)
            text.set_horizontalalignment("right")
    if compact:  # no room for the amounts: the table under the chart has them
        axes.set_yticks([])
        axes.spines["left"].set_visible(False)
    elif value_text is not None:
        axes.yaxis.set_major_formatter(lambda value, _pos: value_text(value))
    axes.grid(axis="y", color=FAINT)
    axes.set_axisbelow(True)
    if line is not None and any(v is not None for v in line[1]):
        right = axes.twinx()
        points = [(i, v) for i, v in enumerate(line[1]) if v is not None]
        right.plot([i for i, _v in points], [v for _i, v in points], color=INK, marker="o",
                   markersize=3, linewidth=1.2, label=line[0])
        right.set_ylim(0, 1)
        right.yaxis.set_major_formatter(lambda value, _pos: line_text(value))
        right.spines["right"].set_visible(True)
        handles = axes.get_legend_handles_labels()
        more = right.get_legend_handles_labels()
        axes.legend(handles[0] + more[0], handles[1] + more[1], fontsize=7, frameon=False,
                    loc="upper left")
    elif len(series) > 1:  # one series needs no legend: the title names it
        axes.legend(fontsize=7, frameon=False, loc="upper left")
    axes.set_title(title)
    return figure


def bars(labels: Sequence[str], values: Sequence[float | None], *,
         value_text: Callable[[float], str] = formatting.decimal, title: str = "",
         highlight: Sequence[bool] = (), size: Size = (4, 3), dpi: float = 100) -> Figure:
    """Horizontal bars, largest first as given, each with its value written beside it;
    those ``highlight`` marks are red."""
    figure = _figure(size, dpi)
    if not labels or all(v is None for v in values):
        return _empty(figure, title)
    axes = figure.add_subplot()
    rows = list(range(len(labels)))[::-1]
    shown = [v or 0 for v in values]
    colours = [RED if i < len(highlight) and highlight[i] else BLUE for i in range(len(labels))]
    axes.barh(rows, shown, color=colours, height=0.66)
    top = max(shown) or 1
    for row, value in zip(rows, values, strict=True):
        axes.text((value or 0) + top * 0.02, row, "–" if value is None else value_text(value),
                  va="center", fontsize=8)
    axes.set_yticks(rows, list(labels))
    axes.tick_params(axis="y", length=0)
    axes.set_xticks([])
    axes.spines[["bottom", "left"]].set_visible(False)
    axes.set_xlim(0, top * 1.35)
    axes.set_title(title)
    return figure
