"""Monthly demand forecasting: the seasonal-naive baseline, the error measures and the rolling-origin
backtest, in plain Python (the fitted models live in ``analytics.forecast``).

- ``Forecaster``: anything that turns a monthly history into ``horizon`` future values. ``SeasonalNaive``
  repeats the value of the same month a season ago (the baseline every model must beat); with less than a
  season of history it repeats the last value.
- Errors: sMAPE (symmetric mean absolute percentage error, 0..200 %; a month where both actual and forecast
  are 0 counts as 0) and MASE (mean absolute error divided by the in-sample mean absolute error of the
  seasonal-naive forecast; below 1 beats that naive method on the history it was given). MASE is None when
  the scale is 0 (a flat history).
- ``backtest``: rolling origin. For each origin from ``min_train`` on, fit on the months before it and
  forecast the next ``horizon`` months; errors are pooled over every origin and month.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

SEASON = 12


class Forecaster(Protocol):
    name: str

    def forecast(self, history: Sequence[float], horizon: int, season: int = SEASON) -> list[float]:
        """``horizon`` values following ``history`` (oldest first, one value per month), never negative."""
        ...


class SeasonalNaive:
    """y[t + h] = y[t + h - season * k] (the latest same month); the last value without a full season."""

    name = "seasonal_naive"

    def forecast(self, history: Sequence[float], horizon: int, season: int = SEASON) -> list[float]:
        if not history:
            return [0.0] * horizon
        n = len(history)
        if n < season:
            return [max(0.0, float(history[-1]))] * horizon
        out = []
        for h in range(1, horizon + 1):
            k = math.ceil(h / season)
            out.append(max(0.0, float(history[n - 1 + h - season * k])))
        return out


def smape(actual: Sequence[float], predicted: Sequence[float]) -> float:
    """Symmetric MAPE in percent (0..200)."""
    if len(actual) != len(predicted) or not actual:
        raise ValueError("smape needs two series of the same, non-zero length")
    total = 0.0
    for a, p in zip(actual, predicted, strict=True):
        denominator = abs(a) + abs(p)
        total += 0.0 if denominator == 0 else 2.0 * abs(p - a) / denominator
    return 100.0 * total / len(actual)


def naive_scale(history: Sequence[float], season: int = SEASON) -> float | None:
    """In-sample mean absolute error of the seasonal-naive forecast (lag ``season``, or 1 when the
    history is shorter than two seasons' worth of pairs); None when it cannot be computed or is 0."""
    lag = season if len(history) > season else 1
    diffs = [abs(history[i] - history[i - lag]) for i in range(lag, len(history))]
    if not diffs:
        return None
    scale = sum(diffs) / len(diffs)
    return scale if scale > 0 else None


def mase(actual: Sequence[float], predicted: Sequence[float], history: Sequence[float],
         season: int = SEASON) -> float | None:
    if len(actual) != len(predicted) or not actual:
        raise ValueError("mase needs two series of the same, non-zero length")
    scale = naive_scale(history, season)
    if scale is None:
        return None
    mae = sum(abs(a - p) for a, p in zip(actual, predicted, strict=True)) / len(actual)
    return mae / scale


@dataclass(frozen=True)
class Accuracy:
    """Pooled errors of one method over every origin and month of a backtest."""

    method: str
    smape: float
    mase: float | None
    forecasts: int                  # forecast months scored


@dataclass(frozen=True)
class Backtest:
    series: str                     # what was forecast ("AP300", "D0001/AP300", "all")
    origins: int
    horizon: int
    model: Accuracy
    baseline: Accuracy

    @property
    def model_wins(self) -> bool:
        """The model's sMAPE is lower than the baseline's (and its MASE too, where both exist)."""
        if self.model.smape >= self.baseline.smape:
            return False
        if self.model.mase is not None and self.baseline.mase is not None:
            return self.model.mase < self.baseline.mase
        return True


def _pool(method: str, actual: list[float], predicted: list[float], scaled_errors: list[float]) -> Accuracy:
    return Accuracy(method=method, smape=smape(actual, predicted),
                    mase=(sum(scaled_errors) / len(scaled_errors)) if scaled_errors else None,
                    forecasts=len(actual))


def backtest(series: str, history: Sequence[float], model: Forecaster, *, horizon: int = 3,
             min_train: int = 24, season: int = SEASON, baseline: Forecaster | None = None) -> Backtest | None:
    """Rolling-origin evaluation of ``model`` against ``baseline`` (seasonal naive by default).

    Origins run from ``min_train`` to ``len(history) - 1``; near the end fewer than ``horizon`` months are
    left and only those are scored. None when the history is too short for a single origin.
    MASE scales every origin's absolute errors by the seasonal-naive error of its own training data.
    """
    baseline = baseline or SeasonalNaive()
    values = [float(v) for v in history]
    if len(values) <= min_train:
        return None
    actual: list[float] = []
    got: dict[str, list[float]] = {"model": [], "baseline": []}
    scaled: dict[str, list[float]] = {"model": [], "baseline": []}
    origins = 0
    for origin in range(min_train, len(values)):
        train = values[:origin]
        truth = values[origin:origin + horizon]
        scale = naive_scale(train, season)
        origins += 1
        for key, method in (("model", model), ("baseline", baseline)):
            predicted = method.forecast(train, len(truth), season)
            got[key].extend(predicted)
            if scale is not None:
                scaled[key].extend(abs(a - p) / scale for a, p in zip(truth, predicted, strict=True))
        actual.extend(truth)
    return Backtest(series=series, origins=origins, horizon=horizon,
                    model=_pool(model.name, actual, got["model"], scaled["model"]),
                    baseline=_pool(baseline.name, actual, got["baseline"], scaled["baseline"]))
