"""PNG charts of reports and forecasts, with Chinese labels that render on a fresh machine.

The CJK font is Noto Sans CJK SC, shipped by the ``mplfonts`` wheel (a PyPI dependency, so no system font
package is needed); it is registered with matplotlib's font manager on import and put first in the font
family list, DejaVu Sans (bundled with matplotlib) second. Rendering uses ``Figure`` objects and the Agg
canvas directly (no ``pyplot`` global state), so charts can be drawn in worker threads.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from core.reports import MonthPoint, Report, ReportKind, Share, TargetRow  # noqa: E402

CJK_FAMILY = "Noto Sans CJK SC"
COLORS = ("#2F6FB3", "#E08A2E", "#4E9F5D", "#C44E52", "#8172B3", "#937860")
DPI = 110


def cjk_font_path() -> Path | None:
    """The bundled Noto Sans CJK SC file, or None when the ``mplfonts`` package is missing."""
    try:
        import mplfonts
    except ImportError:
        return None
    path = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    return path if path.exists() else None


def register_cjk_font() -> str | None:
    """Register the CJK font and make it matplotlib's first choice; its family name, or None."""
    path = cjk_font_path()
    if path is None:
        return None
    if CJK_FAMILY not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(path))
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [CJK_FAMILY, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return CJK_FAMILY


FONT_FAMILY = register_cjk_font()


def _en(lang: str) -> bool:
    return lang.lower().startswith("en")


def _money_axis(lang: str, top: float) -> FuncFormatter:
    """Amounts as 万元 in Chinese (12,345万) and k in English when they are large."""
    big = top >= 100_000

    def fmt(value: float, _pos: int) -> str:
        if not big:
            return f"¥{value:,.0f}"
        return f"{value / 1000:,.0f}k" if _en(lang) else f"{value / 10000:,.0f}万"

    return FuncFormatter(fmt)


def _figure(width: float = 7.2, height: float = 4.0) -> tuple[Figure, Any]:
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", alpha=0.3)
    return fig, ax


def _png(fig: Figure) -> bytes:
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _f(value: Decimal | int | float) -> float:
    return float(value)


def trend_chart(points: Sequence[MonthPoint], title: str, lang: str = "zh") -> bytes:
    """Monthly amounts as bars, units as a line on the right axis."""
    fig, ax = _figure()
    labels = [p.month[2:] for p in points]
    amounts = [_f(p.amount) for p in points]
    ax.bar(labels, amounts, color=COLORS[0], label="金额" if not _en(lang) else "Amount")
    ax.yaxis.set_major_formatter(_money_axis(lang, max(amounts, default=0)))
    ax.set_ylabel("金额" if not _en(lang) else "Amount (CNY)")
    right = ax.twinx()
    right.plot(labels, [p.qty for p in points], color=COLORS[1], marker="o", label="数量" if not _en(lang) else "Units")
    right.set_ylabel("数量" if not _en(lang) else "Units")
    right.spines[["top"]].set_visible(False)
    ax.set_title(title)
    ax.tick_params(axis="x", labelrotation=45 if len(labels) > 8 else 0)
    handles = ax.get_legend_handles_labels()
    extra = right.get_legend_handles_labels()
    ax.legend(handles[0] + extra[0], handles[1] + extra[1], loc="upper left", frameon=False)
    return _png(fig)


def share_chart(shares: Sequence[Share], title: str, lang: str = "zh", top: int = 10) -> bytes:
    """The ``top`` groups by amount as horizontal bars (largest on top), with their share."""
    rows = list(shares[:top])[::-1]
    fig, ax = _figure(7.2, max(2.6, 0.42 * len(rows) + 1.4))
    ax.grid(axis="y", alpha=0)
    ax.grid(axis="x", alpha=0.3)
    amounts = [_f(s.amount) for s in rows]
    bars = ax.barh([_short(s.label) for s in rows], amounts, color=COLORS[0])
    for bar, s in zip(bars, rows, strict=True):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {_f(s.share) * 100:.1f}%",
                va="center", fontsize=8)
    ax.xaxis.set_major_formatter(_money_axis(lang, max(amounts, default=0)))
    ax.set_title(title)
    if not rows:
        ax.text(0.5, 0.5, "暂无数据" if not _en(lang) else "No data", ha="center", va="center",
                transform=ax.transAxes)
    return _png(fig)


def target_chart(rows: Sequence[TargetRow], title: str, lang: str = "zh", top: int = 12) -> bytes:
    """Achievement per dealer as horizontal bars with the 100 % line."""
    shown = list(rows[:top])[::-1]
    fig, ax = _figure(7.2, max(2.6, 0.42 * len(shown) + 1.4))
    ax.grid(axis="y", alpha=0)
    values = [_f(r.achievement) * 100 for r in shown]
    colors = [COLORS[2] if v >= 100 else COLORS[1] if v >= 80 else COLORS[3] for v in values]
    ax.barh([_short(r.name) for r in shown], values, color=colors)
    ax.axvline(100, color="#555555", linestyle="--", linewidth=1)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0f}%"))
    ax.set_title(title)
    return _png(fig)


def forecast_chart(months: Sequence[str], history: Sequence[int | float], forecast_months: Sequence[str],
                   forecast: Sequence[float | Decimal], title: str, lang: str = "zh") -> bytes:
    """History as a solid line, the forecast dashed after it."""
    fig, ax = _figure()
    x_hist = list(range(len(history)))
    ax.plot(x_hist, [_f(v) for v in history], color=COLORS[0], marker=".",
            label="历史" if not _en(lang) else "History")
    x_fc = [len(history) - 1 + i for i in range(len(forecast) + 1)]
    start = [_f(history[-1])] if history else [0.0]
    ax.plot(x_fc, start + [_f(v) for v in forecast], color=COLORS[1], linestyle="--", marker="o",
            label="预测" if not _en(lang) else "Forecast")
    labels = [m[2:] for m in [*months, *forecast_months]]
    step = max(1, len(labels) // 12)
    ax.set_xticks(range(0, len(labels), step), labels[::step], rotation=45)
    ax.set_ylabel("数量" if not _en(lang) else "Units")
    ax.set_title(title)
    ax.legend(frameon=False, loc="upper left")
    return _png(fig)


def production_chart(skus: Sequence[str], demand: Sequence[int], available: Sequence[int], title: str,
                     lang: str = "zh") -> bytes:
    """Forecast demand next to available maker stock per SKU."""
    fig, ax = _figure(7.6, 4.0)
    x = range(len(skus))
    ax.bar([i - 0.2 for i in x], demand, width=0.4, color=COLORS[1], label="预测需求" if not _en(lang) else "Forecast")
    ax.bar([i + 0.2 for i in x], available, width=0.4, color=COLORS[0],
           label="可用库存" if not _en(lang) else "Available stock")
    ax.set_xticks(list(x), list(skus), rotation=45, ha="right")
    ax.set_ylabel("数量" if not _en(lang) else "Units")
    ax.set_title(title)
    ax.legend(frameon=False)
    return _png(fig)


def _short(label: str, width: int = 16) -> str:
    return label if len(label) <= width else label[:width - 1] + "…"


def report_chart(report: Report, lang: str = "zh") -> bytes | None:
    """The chart that goes with ``report``: the trend for summaries, bars for breakdowns and targets."""
    title = f"{report.title(lang)}  {report.filter.describe(lang)}"
    if report.kind in (ReportKind.ORDER_SUMMARY, ReportKind.SELLOUT_SUMMARY):
        return trend_chart(report.trend, title, lang)
    if report.kind == ReportKind.TARGETS:
        return target_chart(report.targets, title, lang) if report.targets else None
    if report.kind == ReportKind.ORDER_FREQUENCY:
        shares = [Share(f.code, f.name, f.orders, 0, f.amount) for f in report.frequency]
        total = sum((s.amount for s in shares), Decimal("0"))
        shares = [Share(s.key, s.label, s.count, s.qty, s.amount,
                        (s.amount / total) if total else Decimal("0")) for s in shares]
        return share_chart(shares, title, lang)
    return share_chart(report.shares, title, lang)


def cover_chart(labels: Sequence[str], cover_days: Sequence[Decimal | float], below: Sequence[bool], title: str,
                lang: str = "zh", warn_days: float = 15.0) -> bytes:
    """Days of cover per dealer and product as horizontal bars, fewest on top: red at or below the reorder
    point, orange under ``warn_days``, the ``warn_days`` line dashed."""
    rows = list(zip(labels, (_f(v) for v in cover_days), below, strict=True))[::-1]
    fig, ax = _figure(7.2, max(2.6, 0.38 * len(rows) + 1.4))
    ax.grid(axis="y", alpha=0)
    ax.grid(axis="x", alpha=0.3)
    colors = [COLORS[3] if low else COLORS[1] if days < warn_days else COLORS[0] for _, days, low in rows]
    bars = ax.barh([_short(label, 22) for label, _, _ in rows], [days for _, days, _ in rows], color=colors)
    for bar, (_, days, _) in zip(bars, rows, strict=True):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {days:.1f}", va="center", fontsize=8)
    ax.axvline(warn_days, color="#555555", linestyle="--", linewidth=1)
    ax.set_xlabel("可售天数" if not _en(lang) else "Days of cover")
    ax.set_title(title)
    if not rows:
        ax.text(0.5, 0.5, "暂无数据" if not _en(lang) else "No data", ha="center", va="center",
                transform=ax.transAxes)
    return _png(fig)
