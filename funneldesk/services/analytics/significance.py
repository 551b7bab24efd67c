"""p-values of a family of tests, adjusted for their number (Benjamini–Hochberg): twelve
tests at 5% each would find something by chance in half of all funnels."""

from __future__ import annotations

from collections.abc import Sequence


def adjusted(p_values: Sequence[float]) -> list[float]:
    """Each p-value adjusted for the others tested with it (the false discovery rate)."""
    if len(p_values) < 2:
        return list(p_values)
    from scipy.stats import false_discovery_control

    return [float(p) for p in false_discovery_control(list(p_values), method="bh")]
