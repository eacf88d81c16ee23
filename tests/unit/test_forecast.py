"""Forecasting rules (seasonal naive, sMAPE, MASE, rolling-origin backtest) on hand-checked numbers, and
Holt-Winters (analytics.forecast) against the baseline on a synthetic seasonal series."""

from __future__ import annotations

import math
import random

import pytest

from analytics.forecast import HoltWinters
from core.forecast_rules import SeasonalNaive, backtest, mase, naive_scale, smape


def test_seasonal_naive_repeats_the_same_month_a_year_ago() -> None:
    history = [float(v) for v in range(1, 25)]            # 24 months: 1..24
    assert SeasonalNaive().forecast(history, 3) == [13.0, 14.0, 15.0]
    assert SeasonalNaive().forecast(history, 14)[12:] == [13.0, 14.0]    # two years ahead: same month again
    assert SeasonalNaive().forecast([5.0, 7.0], 2) == [7.0, 7.0]        # under a season: the last value
    assert SeasonalNaive().forecast([], 2) == [0.0, 0.0]


def test_smape_and_mase_by_hand() -> None:
    # 100/n * sum 2|p-a|/(|a|+|p|) = 50 * (20/210 + 20/190) = 10.025...
    assert smape([100, 100], [110, 90]) == pytest.approx(100 * (10 / 210 + 10 / 190), rel=1e-9)
    assert smape([0, 0], [0, 0]) == 0.0
    assert smape([0], [5]) == 200.0
    # history 2, 4, 6, 8 (season 1 lag since shorter than a season): naive error 2; forecast errors 1 and 3
    assert naive_scale([2, 4, 6, 8], season=12) == 2.0
    assert mase([10, 12], [11, 9], [2, 4, 6, 8]) == pytest.approx(1.0)
    assert mase([1], [1], [5, 5, 5]) is None                      # flat history: no scale


def test_backtest_counts_origins_and_scores_both_methods() -> None:
    history = [10.0 + (i % 12) for i in range(30)]               # a pure seasonal pattern
    result = backtest("pattern", history, SeasonalNaive(), horizon=3, min_train=24)
    assert result is not None
    assert result.origins == 6 and result.model.forecasts == 3 + 3 + 3 + 3 + 2 + 1
    assert result.baseline.smape == 0.0 and result.model.smape == 0.0   # seasonal naive is exact here
    assert backtest("short", history[:24], SeasonalNaive(), min_train=24) is None


def _noisy_seasonal(seed: int, years: int = 4) -> list[float]:
    rng = random.Random(seed)
    season = (1.7, 1.5, 1.1, 0.8, 0.6, 0.5, 0.5, 0.6, 0.8, 1.2, 1.6, 1.9)
    return [max(0.0, round(200 * season[i % 12] * rng.uniform(0.75, 1.25))) for i in range(12 * years)]


def test_holt_winters_beats_seasonal_naive_on_a_noisy_seasonal_series() -> None:
    """Seasonal naive copies last year's noise; the smoothed seasonal states average it out."""
    wins = 0
    for seed in range(5):
        result = backtest(f"s{seed}", _noisy_seasonal(seed), HoltWinters(), horizon=3, min_train=24)
        assert result is not None and math.isfinite(result.model.smape) and result.model.mase is not None
        wins += result.model_wins
    assert wins >= 4


def test_holt_winters_edge_cases() -> None:
    hw = HoltWinters()
    assert hw.forecast([0, 0, 0, 0], 2) == [0.0, 0.0]
    assert hw.forecast([0, 0, 3, 4, 5], 2) == [5.0, 5.0]         # too short after leading zeros: baseline
    assert hw.forecast([10.0] * 30, 0) == []
    values = hw.forecast(_noisy_seasonal(1), 3)
    assert len(values) == 3 and all(0 <= v <= 3 * max(_noisy_seasonal(1)) for v in values)
    # winter months forecast above summer months: the season was learnt
    assert values[0] > 200                                      # January after 4 years ending in December
