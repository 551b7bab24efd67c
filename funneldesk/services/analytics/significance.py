"""p-values of a family of tests, adjusted for their number (Benjamini–Hochberg): twelve
tests at 5% each would find something by chance in half of all funnels; and the
Mann-Whitney test on days kept as histograms."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def adjusted(p_values: Sequence[float]) -> list[float]:
    """Each p-value adjusted for the others tested with it (the false discovery rate)."""
    if len(p_values) < 2:
        return list(p_values)
    from scipy.stats import false_discovery_control

    return [float(p) for p in false_discovery_control(list(p_values), method="bh")]


def greater_days(mine: Mapping[int, int], theirs: Mapping[int, int]) -> float:
    """The one-sided p-value that ``mine`` (days -> how many) tends to be longer than
    ``theirs``: the Mann-Whitney U test, by the normal approximation with the tie and
    continuity corrections, as scipy.stats.mannwhitneyu gives it for samples with ties
    or of more than eight, counted from the histograms (a stage's visits run to tens of
    thousands; listing each would cost more than the whole of the other figures)."""
    n1, n2 = sum(mine.values()), sum(theirs.values())
    if not n1 or not n2:
        return 1.0
    u, below, ties = 0.0, 0, 0
    for days in sorted(set(mine) | set(theirs)):
        a, b = mine.get(days, 0), theirs.get(days, 0)
        u += a * (below + b / 2)  # each of mine beats each of theirs that is shorter
        below += b
        ties += (a + b) ** 3 - (a + b)
    n = n1 + n2
    variance = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)))
    if variance <= 0:
        return 1.0
    z = (u - n1 * n2 / 2 - 0.5) / math.sqrt(variance)
    return 0.5 * math.erfc(z / math.sqrt(2))
