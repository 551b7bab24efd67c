"""The Mann-Whitney test counted from histograms gives scipy's p-value on the samples
listed one by one, ties and all."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from scipy.stats import mannwhitneyu

from funneldesk.services.analytics.significance import greater_days


@pytest.mark.parametrize("seed", range(8))
def test_the_histogram_test_agrees_with_scipy_on_the_listed_samples(seed: int) -> None:
    rng = random.Random(seed)
    mine = [rng.randint(0, 40) + rng.choice((0, 0, 3)) for _ in range(rng.randint(10, 300))]
    theirs = [rng.randint(0, 40) for _ in range(rng.randint(10, 900))]
    expected = mannwhitneyu(mine, theirs, alternative="greater").pvalue
    assert greater_days(Counter(mine), Counter(theirs)) == pytest.approx(expected, rel=1e-9)


def test_no_visits_or_no_spread_says_nothing() -> None:
    assert greater_days({}, {3: 10}) == 1.0
    assert greater_days({5: 12}, {5: 30}) == 1.0
