"""Holt-Winters exponential smoothing (statsmodels) as a ``core.forecast_rules.Forecaster``.

Monthly unit demand is seasonal in proportion to its level (dehumidifiers sell three times as much in the
rainy season, whatever the year), so the model is fitted to ``log1p(units)`` with an additive damped trend
and additive seasonality, which is multiplicative seasonality on the original scale and copes with months
of zero sales (plain multiplicative Holt-Winters cannot). Forecasts go back with ``expm1``.

What it needs: two full seasons (24 months) for the seasonal model; with less, Holt's damped trend without
seasonality; with fewer than 4 months, the mean. A series of zeros forecasts zeros. A fit that fails or does
not converge falls back to the seasonal-naive forecast rather than raising.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np

from core.forecast_rules import SEASON, SeasonalNaive


class HoltWinters:
    """ETS(A, Ad, A) on log1p(demand): ``statsmodels.tsa.holtwinters.ExponentialSmoothing``."""

    name = "holt_winters"

    def __init__(self, damped: bool = True, log: bool = True) -> None:
        self.damped = damped
        self.log = log
        self._fallback = SeasonalNaive()

    def forecast(self, history: Sequence[float], horizon: int, season: int = SEASON) -> list[float]:
        values = np.asarray([max(0.0, float(v)) for v in history], dtype=float)
        if horizon <= 0:
            return []
        if len(values) == 0 or not values.any():
            return [0.0] * horizon
        if len(values) < 4:
            return [float(values.mean())] * horizon
        from statsmodels.tools.sm_exceptions import ConvergenceWarning
        from statsmodels.tsa.holtwinters import ExponentialSmoothing

        y = np.log1p(values) if self.log else values
        seasonal = len(values) >= 2 * season
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                warnings.simplefilter("ignore", RuntimeWarning)
                warnings.simplefilter("ignore", UserWarning)
                model = ExponentialSmoothing(
                    y, trend="add", damped_trend=self.damped,
                    seasonal="add" if seasonal else None, seasonal_periods=season if seasonal else None,
                    initialization_method="estimated")
                predicted = np.asarray(model.fit(optimized=True).forecast(horizon), dtype=float)
        except (ValueError, np.linalg.LinAlgError):
            return self._fallback.forecast(list(values), horizon, season)
        if self.log:
            predicted = np.expm1(predicted)
        if not np.all(np.isfinite(predicted)):
            return self._fallback.forecast(list(values), horizon, season)
        # a damped trend on a short series can still run away: cap at three times the largest month seen
        cap = 3.0 * float(values.max())
        return [min(cap, max(0.0, float(v))) for v in predicted]


def rounded_units(values: Sequence[float]) -> list[int]:
    """Forecast units as whole units to plan with (rounded up)."""
    return [int(math.ceil(v - 1e-9)) for v in values]
