"""How a sell-out report in progress is shown in chat: a sale's line, the problems of the lines not read, the
quantities summed per unit (``handlers.flows.sellout`` holds the conversation)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from core.money import fmt_cny
from core.sellout import CustomerType
from handlers.context import Ctx

PREVIEW_ROWS = 10
PREVIEW_ERRORS = 15

CUSTOMER_TYPE_LABELS: dict[CustomerType, tuple[str, str]] = {
    CustomerType.RETAIL: ("零售", "retail"), CustomerType.PROJECT: ("工程", "project"),
    CustomerType.ONLINE: ("电商", "online"), CustomerType.SUBDEALER: ("分销", "sub-dealer"),
}


def type_label(ctx: Ctx, value: str) -> str:
    zh, en = CUSTOMER_TYPE_LABELS[CustomerType(value)]
    return ctx.pick(zh, en)


def row_text(ctx: Ctx, row: dict[str, Any], units: dict[str, str]) -> str:
    place = " ".join(p for p in (row.get("province"), row.get("city")) if p)
    first, _, last = str(row.get("days") or "").partition("/")
    when = f"{first[5:]}~{last[5:]}?" if last else row["sold_on"][5:]
    parts = [when, row["sku"], f"×{row['qty']}{units.get(row['sku'], '')}", fmt_cny(Decimal(row["amount"])), place,
             type_label(ctx, row["customer_type"])]
    return "• " + " ".join(p for p in parts if p)


def problem_lines(ctx: Ctx, problems: list[dict[str, Any]]) -> list[str]:
    lines = [ctx.t("so.errors", n=len(problems))]
    for o in problems[:PREVIEW_ERRORS]:
        said = ctx.pick(f"（“{o['text'][:30]}”）", f" (\"{o['text'][:30]}\")") if o.get("text") else ""
        lines.append(ctx.t("so.row", line=o["line"], reason=ctx.pick(o["zh"], o["en"])) + said)
    if len(problems) > PREVIEW_ERRORS:
        lines.append(ctx.t("so.more_errors", n=len(problems) - PREVIEW_ERRORS))
    return lines


def total_qty(ctx: Ctx, rows: list[dict[str, Any]], units: dict[str, str]) -> str:
    """"300 个、20 箱": the quantities summed per unit, in the order the units first come (a carton counted with
    bags is no total); "5 台（件）" only where a row's product has no unit."""
    totals: dict[str, int] = {}
    for r in rows:
        unit = units.get(r["sku"]) or ""
        totals[unit] = totals.get(unit, 0) + int(r["qty"])
    if "" in totals:
        return ctx.pick(f"{sum(totals.values())} 台（件）", f"{sum(totals.values())} unit(s)")
    return ctx.pick("、", ", ").join(f"{qty} {unit}" for unit, qty in totals.items())
