"""Holt-Winters exponential smoothing (statsmodels) as a ``core.forecast_rules.Forecaster``.

Monthly unit demand is seasonal in proportion to its level (dehumidifiers sell three times as much in the
rainy season, whatever the year), so the model is fitted to ``log1p(units)`` with additive seasonality, which is multiplicative seasonality on the original scale and copes with months
of zero sales (plain multiplicative Holt-Winters cannot). Forecasts go back with ``expm1``.

What it needs: two full seasons (24 months, after leading zero months are dropped); with less it answers
with the seasonal-naive forecast (the last value under a year). A series of zeros forecasts zeros. A fit
that fails or gives non-finite values falls back to seasonal naive rather than raising.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np

from core.forecast_rules import SEASON, SeasonalNaive


class HoltWinters:
    """Holt-Winters on log1p(demand): ``statsmodels.tsa.holtwinters.ExponentialSmoothing``.

    Seasonal with no trend by default, ETS(A, N, A) in log space: on the demo history (three years, flat
    year to year) a damped trend forecast no better and took four times as long to fit. Leading zero months
    are dropped first (the product or the dealer did not exist yet): fitted as sales, they drag the level and
    the seasonal states down.
    """

    name = "holt_winters"

    def __init__(self, trend: bool = False, log: bool = True) -> None:
        self.trend = trend
        self.log = log
        self._fallback = SeasonalNaive()

    def forecast(self, history: Sequence[float], horizon: int, season: int = SEASON) -> list[float]:
        values = np.asarray([max(0.0, float(v)) for v in history], dtype=float)
        if horizon <= 0:
            return []
        started = np.nonzero(values)[0]
        if len(started) == 0:
            return [0.0] * horizon
        values = values[started[0]:]
        if len(values) < 2 * season:
            return self._fallback.forecast(list(values), horizon, season)
        from statsmodels.tsa.holtwinters import ExponentialSmoothing

        y = np.log1p(values) if self.log else values
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")     # convergence and overflow chatter of the optimizer
                model = ExponentialSmoothing(y, trend="add" if self.trend else None, damped_trend=self.trend,
                                             seasonal="add", seasonal_periods=season,
                                             initialization_method="estimated")
                predicted = np.asarray(model.fit(optimized=True).forecast(horizon), dtype=float)
        except (ValueError, np.linalg.LinAlgError):
            return self._fallback.forecast(list(values), horizon, season)
        if self.log:
            predicted = np.expm1(predicted)
        if not np.all(np.isfinite(predicted)):
            return self._fallback.forecast(list(values), horizon, season)
        # never more than three times the largest month seen: a bad fit must not order a warehouse full
        cap = 3.0 * float(values.max())
        return [min(cap, max(0.0, float(v))) for v in predicted]


def rounded_units(values: Sequence[float]) -> list[int]:
    """Forecast units as whole units to plan with (rounded up)."""
    return [int(math.ceil(v - 1e-9)) for v in values]
