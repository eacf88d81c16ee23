"""Charts: PNG with Chinese labels drawn in the bundled CJK font, with no missing-glyph warnings."""

from __future__ import annotations

import logging
import warnings
from datetime import date
from decimal import Decimal

import pytest
from matplotlib import font_manager

from analytics.charts import CJK_FAMILY, cjk_font_path, forecast_chart, production_chart, report_chart
from core.reports import MonthPoint, Report, ReportFilter, ReportKind, Share, TargetRow

PNG = b"\x89PNG\r\n\x1a\n"
F = ReportFilter(date(2026, 11, 1), date(2026, 11, 26), region="华东", tier="A")


def _reports() -> list[Report]:
    trend = tuple(MonthPoint(f"2026-{m:02d}", m, m * 3, Decimal(m * 12345)) for m in range(1, 12))
    shares = (Share("AP300", "空气净化器 AP300 除甲醛", 3, 13, Decimal("130000.00"), Decimal("0.6633")),
              Share("DH20", "除湿机DH20 家用20升", 2, 8, Decimal("66000.00"), Decimal("0.3367")))
    targets = (TargetRow(1, "D1", "上海恒信电器有限公司", Decimal("1000000.00"), Decimal("850000.00"), Decimal("0")),)
    return [Report(ReportKind.ORDER_SUMMARY, F, trend=trend), Report(ReportKind.SELLOUT_REGIONS, F, shares=shares),
            Report(ReportKind.TARGETS, F, targets=targets)]


def test_the_cjk_font_is_bundled_and_first_choice() -> None:
    path = cjk_font_path()
    assert path is not None and path.name == "NotoSansCJKsc-Regular.otf"
    found = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]), fallback_to_default=False)
    assert found.endswith("NotoSansCJKsc-Regular.otf"), found
    assert CJK_FAMILY == "Noto Sans CJK SC"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_charts_render_without_missing_glyphs(lang: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="matplotlib")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        images = [report_chart(r, lang) for r in _reports()]
        images.append(forecast_chart(["2026-09", "2026-10"], [5, 7], ["2026-11"], [6.5], "需求预测：空气净化器", lang))
        images.append(production_chart(["AP300", "除湿机"], [30, 12], [10, 40], "未来3个月预测需求 vs 可用库存", lang))
    problems = [str(w.message) for w in caught if "Glyph" in str(w.message) or "font" in str(w.message).lower()]
    problems += [r.getMessage() for r in caplog.records if "Glyph" in r.getMessage() or "findfont" in r.getMessage()]
    assert problems == []
    assert all(img is not None and img.startswith(PNG) and len(img) > 5000 for img in images)


def test_an_empty_breakdown_still_draws() -> None:
    png = report_chart(Report(ReportKind.SELLOUT_PRODUCTS, F))
    assert png is not None and png.startswith(PNG)
    assert report_chart(Report(ReportKind.TARGETS, F)) is None
