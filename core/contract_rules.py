"""Contract rules: the status machine, terms validation, the signed text, and execution math.

Status machine::

    draft ──send──> sent ──sign──> signed ──activate──> active ──expire──> expired
      │               │               │                    │
      └───────────────┴──terminate────┴────────────────────┴──> terminated

Editing: a draft is edited in place. Editing a sent, signed or active contract never changes it;
it creates a new draft version (``version + 1``, ``previous_id``). A sent contract is superseded at
once (the dealer must not sign stale terms); a signed or active one keeps running until its successor
is activated, which then supersedes it.

Execution math (all Decimal): achievement = actual / target; elapsed share = days elapsed / days in the
period; pace = achievement / elapsed share (1 = on track); the rebate rate is the rate of the highest
tier whose ``min_achievement`` is reached; accrued rebate = rate x achieved amount, in money.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from core.contracts import (
    SKU_SCOPE,
    Contract,
    ContractStatus,
    RebateTier,
    SalesTarget,
    TargetMetric,
    scope_sku,
)
from core.dealers import Dealer
from core.errors import InvalidTransition, ValidationFailed
from core.money import ZERO, fmt_cny, money

C = ContractStatus
RATIO = Decimal("0.0001")
ONE = Decimal("1")


class ContractAction(StrEnum):
    EDIT = "edit"
    SEND = "send"
    SIGN = "sign"
    ACTIVATE = "activate"
    EXPIRE = "expire"
    TERMINATE = "terminate"
    SUPERSEDE = "supersede"


TRANSITIONS: dict[ContractAction, tuple[frozenset[ContractStatus], ContractStatus]] = {
    ContractAction.SEND: (frozenset({C.DRAFT}), C.SENT),
    ContractAction.SIGN: (frozenset({C.SENT}), C.SIGNED),
    ContractAction.ACTIVATE: (frozenset({C.SIGNED}), C.ACTIVE),
    ContractAction.EXPIRE: (frozenset({C.SIGNED, C.ACTIVE}), C.EXPIRED),
    ContractAction.TERMINATE: (frozenset({C.DRAFT, C.SENT, C.SIGNED, C.ACTIVE}), C.TERMINATED),
    ContractAction.SUPERSEDE: (frozenset({C.SENT, C.SIGNED, C.ACTIVE}), C.SUPERSEDED),
}

EDITABLE_IN_PLACE = frozenset({C.DRAFT})
REVISABLE = frozenset({C.SENT, C.SIGNED, C.ACTIVE})
"""Editing one of these creates a new version."""
TERMS_FROZEN = frozenset({C.SIGNED, C.ACTIVE, C.EXPIRED, C.TERMINATED, C.SUPERSEDED})

STATUS_LABELS: dict[ContractStatus, tuple[str, str]] = {
    C.DRAFT: ("草稿", "draft"),
    C.SENT: ("待签署", "sent"),
    C.SIGNED: ("已签署", "signed"),
    C.ACTIVE: ("执行中", "active"),
    C.EXPIRED: ("已到期", "expired"),
    C.TERMINATED: ("已终止", "terminated"),
    C.SUPERSEDED: ("已被新版本替代", "superseded"),
}

ACTION_LABELS: dict[ContractAction, tuple[str, str]] = {
    ContractAction.EDIT: ("修改合同", "edit the contract"),
    ContractAction.SEND: ("发送合同", "send the contract"),
    ContractAction.SIGN: ("签署合同", "sign the contract"),
    ContractAction.ACTIVATE: ("生效", "activate the contract"),
    ContractAction.EXPIRE: ("到期", "expire the contract"),
    ContractAction.TERMINATE: ("终止合同", "terminate the contract"),
    ContractAction.SUPERSEDE: ("替换为新版本", "supersede the contract"),
}


def transition_refused(current: ContractStatus, action: ContractAction) -> InvalidTransition:
    cur_zh, cur_en = STATUS_LABELS[current]
    act_zh, act_en = ACTION_LABELS[action]
    return InvalidTransition(zh=f"合同当前状态“{cur_zh}”不能执行“{act_zh}”",
                             en=f"Cannot {act_en} while it is {cur_en}",
                             current=current.value, action=action.value)


def next_status(current: ContractStatus, action: ContractAction) -> ContractStatus:
    allowed_from, target = TRANSITIONS[action]
    if current not in allowed_from:
        raise transition_refused(current, action)
    return target


# --- terms ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ContractTerms:
    """What the dealer signs. Changing any of it after sending means a new version."""

    starts_on: date
    ends_on: date
    targets: tuple[SalesTarget, ...] = ()
    rebate_tiers: tuple[RebateTier, ...] = ()
    marketing_duties: tuple[str, ...] = ()

    @classmethod
    def of(cls, contract: Contract) -> ContractTerms:
        return cls(contract.starts_on, contract.ends_on, tuple(contract.targets), tuple(contract.rebate_tiers),
                   tuple(contract.marketing_duties))



_PERIOD_RE = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(\d{1,2})))?$")


def period_range(period: str) -> tuple[date, date]:
    """First and last day of ``"2026"``, ``"2026-Q3"`` or ``"2026-10"`` (inclusive)."""
    m = _PERIOD_RE.match(period.strip().upper())
    if not m:
        raise ValidationFailed.because(f"目标期间格式应为 2026、2026-Q3 或 2026-10：{period}",
                       f"a target period looks like 2026, 2026-Q3 or 2026-10: {period}")
    year = int(m.group(1))
    if m.group(2):
        q = int(m.group(2))
        first_month, last_month = 3 * q - 2, 3 * q
    elif m.group(3):
        first_month = last_month = int(m.group(3))
        if not 1 <= first_month <= 12:
            raise ValidationFailed.because(f"月份无效：{period}", f"no such month: {period}")
    else:
        first_month, last_month = 1, 12
    return date(year, first_month, 1), date(year, last_month, calendar.monthrange(year, last_month)[1])


def target_window(contract_start: date, contract_end: date, target: SalesTarget) -> tuple[date, date]:
    """The target's period clipped to the contract period."""
    start, end = period_range(target.period)
    start, end = max(start, contract_start), min(end, contract_end)
    if start > end:
        raise ValidationFailed.because(f"目标期间 {target.period} 不在合同期限内", f"target period {target.period} lies outside the contract")
    return start, end


def validate_terms(terms: ContractTerms) -> ContractTerms:
    """Raise ValidationFailed on nonsense; return the terms with amounts normalized."""
    if terms.ends_on < terms.starts_on:
        raise ValidationFailed.because("合同结束日早于开始日", "the contract ends before it starts")
    targets = []
    for t in terms.targets:
        if t.value <= 0:
            raise ValidationFailed.because("销售目标必须大于0", "a sales target must be greater than zero")
        value = money(t.value) if t.metric == TargetMetric.AMOUNT else t.value
        if t.metric == TargetMetric.QUANTITY and value != value.to_integral_value():
            raise ValidationFailed.because("数量目标必须是整数", "a quantity target must be a whole number")
        group = (t.product_group or "").strip() or None
        target = SalesTarget(period=t.period.strip().upper(), metric=t.metric, value=value, product_group=group)
        target_window(terms.starts_on, terms.ends_on, target)
        targets.append(target)
    seen: set[Decimal] = set()
    tiers = []
    for tier in terms.rebate_tiers:
        if tier.min_achievement < 0:
            raise ValidationFailed.because("返利档位的达成率不能为负", "a rebate tier threshold cannot be negative")
        if not ZERO <= tier.rate <= ONE:
            raise ValidationFailed.because("返利比例须在0到100%之间", "a rebate rate must be between 0 and 100 %")
        if tier.min_achievement in seen:
            raise ValidationFailed.because("返利档位重复", "two rebate tiers have the same threshold")
        seen.add(tier.min_achievement)
        tiers.append(RebateTier(min_achievement=tier.min_achievement, rate=tier.rate))
    tiers.sort(key=lambda t: t.min_achievement)
    duties = tuple(d.strip() for d in terms.marketing_duties if d.strip())
    return ContractTerms(terms.starts_on, terms.ends_on, tuple(targets), tuple(tiers), duties)


def ensure_terms_editable(contract: Contract) -> None:
    """Signed, active and closed contracts never change: raise InvalidTransition."""
    if contract.status not in EDITABLE_IN_PLACE:
        raise transition_refused(contract.status, ContractAction.EDIT)


def apply_terms(contract: Contract, terms: ContractTerms) -> None:
    """Write ``terms`` into a draft; any other status raises."""
    ensure_terms_editable(contract)
    contract.starts_on, contract.ends_on = terms.starts_on, terms.ends_on
    contract.targets = list(terms.targets)
    contract.rebate_tiers = list(terms.rebate_tiers)
    contract.marketing_duties = list(terms.marketing_duties)


# --- the signed text -----------------------------------------------------------------------------------

def _plain(value: Decimal) -> str:
    """``Decimal('80.00')`` -> ``80``, ``Decimal('1.50')`` -> ``1.5``; never exponent notation."""
    return format(value.normalize(), "f")


def _percent(ratio: Decimal) -> str:
    return _plain(ratio * 100) + "%"


def _period_zh(period: str) -> str:
    m = _PERIOD_RE.match(period)
    if not m:
        return period
    if m.group(2):
        return f"{m.group(1)}年第{m.group(2)}季度"
    if m.group(3):
        return f"{m.group(1)}年{int(m.group(3))}月"
    return f"{m.group(1)}年度"


def _date_zh(d: date) -> str:
    return f"{d.year}年{d.month:02d}月{d.day:02d}日"


def render_contract_text(contract: Contract, dealer: Dealer) -> str:
    """The contract as the dealer reads and signs it (Chinese). Same terms, same text, same hash."""
    lines = [
        "经销合同",
        f"合同编号：{contract.number}（第{contract.version}版）",
        f"乙方（经销商）：{dealer.name}",
        f"经销商编码：{dealer.code}",
        f"统一社会信用代码：{dealer.uscc}",
        "",
        f"一、合同期限：自{_date_zh(contract.starts_on)}起至{_date_zh(contract.ends_on)}止。",
        "二、销售目标：",
    ]
    if contract.targets:
        for i, t in enumerate(contract.targets, 1):
            sku = scope_sku(t.product_group)
            if sku is not None:
                scope = f"产品“{sku}”"
            else:
                scope = f"“{t.product_group}”类产品" if t.product_group else "全部产品"
            if t.metric == TargetMetric.AMOUNT:
                goal = f"进货金额不低于{fmt_cny(t.value)}"
            else:
                goal = f"进货数量不低于{_plain(t.value)}件"
            lines.append(f"  {i}. {_period_zh(t.period)}，{scope}{goal}。")
    else:
        lines.append("  无。")
    lines.append("三、返利政策（按目标达成率计算，适用已达到的最高档位，返利 = 返利比例 × 达成金额）：")
    if contract.rebate_tiers:
        for i, tier in enumerate(sorted(contract.rebate_tiers, key=lambda t: t.min_achievement), 1):
            lines.append(f"  {i}. 达成率达到{_percent(tier.min_achievement)}，返利比例{_percent(tier.rate)}。")
    else:
        lines.append("  无。")
    lines.append("四、市场推广义务：")
    if contract.marketing_duties:
        for i, duty in enumerate(contract.marketing_duties, 1):
            lines.append(f"  {i}. {duty}")
    else:
        lines.append("  无。")
    lines.append("五、本合同经乙方在线签署后生效，签署文本及其SHA-256摘要存档备查。")
    return "\n".join(lines) + "\n"


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- execution math ------------------------------------------------------------------------------------

def achievement(target: Decimal, actual: Decimal) -> Decimal:
    """actual / target as a ratio with 4 decimals (0.8125 = 81.25 %)."""
    if target <= 0:
        raise ValidationFailed.because("销售目标必须大于0", "a sales target must be greater than zero")
    return (Decimal(actual) / Decimal(target)).quantize(RATIO, rounding=ROUND_HALF_UP)


def elapsed_share(starts_on: date, ends_on: date, on: date) -> Decimal:
    """Share of the period's days that have begun by ``on`` (inclusive): 0 before, 1 after."""
    if ends_on < starts_on:
        raise ValidationFailed.because("结束日早于开始日", "the period ends before it starts")
    if on < starts_on:
        return Decimal("0.0000")
    total = (ends_on - starts_on).days + 1
    elapsed = min((on - starts_on).days + 1, total)
    return (Decimal(elapsed) / Decimal(total)).quantize(RATIO, rounding=ROUND_HALF_UP)


def pace(achieved: Decimal, elapsed: Decimal) -> Decimal | None:
    """achievement / elapsed share: 1.0 is on track, below 1 behind. None before the period starts."""
    if elapsed <= 0:
        return None
    return (achieved / elapsed).quantize(RATIO, rounding=ROUND_HALF_UP)


def behind_pace(current_pace: Decimal | None, margin: Decimal = Decimal("0.10")) -> bool:
    """True when the pace is more than ``margin`` below on-track (pace < 1 - margin)."""
    return current_pace is not None and current_pace < ONE - margin


def rebate_rate(tiers: list[RebateTier] | tuple[RebateTier, ...], achieved: Decimal) -> Decimal:
    """The rate of the highest tier whose threshold ``achieved`` reaches; 0 when none is reached."""
    reached = [t for t in tiers if achieved >= t.min_achievement]
    if not reached:
        return Decimal("0")
    return max(reached, key=lambda t: t.min_achievement).rate


def tier_reached(tiers: list[RebateTier] | tuple[RebateTier, ...], achieved: Decimal) -> Decimal | None:
    """The threshold of the tier whose rate ``rebate_rate`` pays (the highest reached); None below the first."""
    reached = [t.min_achievement for t in tiers if achieved >= t.min_achievement]
    return max(reached) if reached else None


def accrued_rebate(rate: Decimal, achieved_amount: Decimal) -> Decimal:
    return money(rate * achieved_amount)


@dataclass(frozen=True)
class TargetExecution:
    target: SalesTarget
    starts_on: date                   # the target's window (period clipped to the contract)
    ends_on: date
    actual: Decimal                   # in the target's metric: CNY or units, from orders (sell-in)
    actual_amount: Decimal            # CNY ordered in the window and product group
    actual_quantity: int              # units ordered
    sell_out_amount: Decimal          # CNY the dealer reported selling on
    sell_out_quantity: int
    achievement: Decimal
    elapsed_share: Decimal
    pace: Decimal | None
    rebate_rate: Decimal
    accrued_rebate: Decimal

    def behind_pace(self, margin: Decimal = Decimal("0.10")) -> bool:
        return behind_pace(self.pace, margin)


@dataclass(frozen=True)
class ContractExecution:
    contract_id: int
    number: str
    version: int
    dealer_id: int
    status: ContractStatus
    as_of: date
    targets: tuple[TargetExecution, ...]


def evaluate_target(target: SalesTarget, window: tuple[date, date], tiers: list[RebateTier],
                    actual_amount: Decimal, actual_quantity: int, sell_out_amount: Decimal,
                    sell_out_quantity: int, on: date) -> TargetExecution:
    actual = money(actual_amount) if target.metric == TargetMetric.AMOUNT else Decimal(actual_quantity)
    achieved = achievement(target.value, actual)
    share = elapsed_share(window[0], window[1], on)
    rate = rebate_rate(tiers, achieved)
    return TargetExecution(
        target=target, starts_on=window[0], ends_on=window[1], actual=actual,
        actual_amount=money(actual_amount), actual_quantity=actual_quantity,
        sell_out_amount=money(sell_out_amount), sell_out_quantity=sell_out_quantity,
        achievement=achieved, elapsed_share=share, pace=pace(achieved, share),
        rebate_rate=rate, accrued_rebate=accrued_rebate(rate, actual_amount),
    )


# --- terms typed in a form, row by row -----------------------------------------------------------------

class TargetScope(StrEnum):
    ALL = "all"              # every product
    CATEGORY = "category"    # a product category
    SKU = "sku"              # one product


@dataclass(frozen=True)
class TargetRow:
    """One target as typed in the back-office draft form (strings, as they came)."""

    period: str              # 2027, 2027-Q1, 2027-03; or Y, Q1, M03 of the contract's start year
    metric: str              # amount | quantity
    value: str               # 300000, 300,000, 30万
    scope: str = TargetScope.ALL.value
    scope_value: str = ""    # the category or the SKU


@dataclass(frozen=True)
class TierRow:
    """One step of the rebate ladder as typed: percents (80 = 80 % of target, 2 = 2 % rebate)."""

    min_achievement: str
    rate: str


def _row_invalid(kind_zh: str, kind_en: str, n: int, zh: str, en: str) -> ValidationFailed:
    return ValidationFailed.because(f"第 {n} 行{kind_zh}：{zh}", f"{kind_en} row {n}: {en}")


def _number(text: str) -> Decimal | None:
    cleaned = text.strip().replace(",", "").replace("，", "").replace("¥", "").replace("%", "").replace(" ", "")
    scale = Decimal(1)
    if cleaned.endswith("万"):
        cleaned, scale = cleaned[:-1], Decimal(10000)
    try:
        value = Decimal(cleaned) * scale
    except ArithmeticError:
        return None
    return value if value.is_finite() else None


def target_from_row(row: TargetRow, n: int, start_year: int) -> SalesTarget:
    """A row of the form as a target, or ValidationFailed naming the row and what is wrong (zh and en).

    ``start_year`` resolves the template tokens Y / Q1 / M03. The scope's existence (is there such a
    category or product?) is the use case's to check; here only its shape."""
    if not row.period.strip():
        raise _row_invalid("目标", "Target", n, "请填写期间，如 2027、2027-Q1 或 2027-03",
                           "give the period, e.g. 2027, 2027-Q1 or 2027-03")
    token = row.period.strip().upper()
    if token == "Y":
        period = str(start_year)
    elif len(token) == 2 and token[0] == "Q" and token[1] in "1234":
        period = f"{start_year}-{token}"
    elif len(token) == 3 and token[0] == "M" and token[1:].isdigit():
        period = f"{start_year}-{token[1:]}"
    else:
        period = token
    try:
        period_range(period)
    except ValidationFailed:
        raise _row_invalid("目标", "Target", n, f"期间“{row.period.strip()}”格式应为 2027、2027-Q1 或 2027-03",
                           f"the period '{row.period.strip()}' should look like 2027, 2027-Q1 or 2027-03") from None
    try:
        metric = TargetMetric(row.metric.strip().lower())
    except ValueError:
        raise _row_invalid("目标", "Target", n, "请选择按金额或按数量", "choose amount or quantity") from None
    value = _number(row.value)
    if value is None or not row.value.strip():
        raise _row_invalid("目标", "Target", n, f"目标值“{row.value.strip()}”不是数字",
                           f"the target '{row.value.strip()}' is not a number")
    if value <= 0:
        raise _row_invalid("目标", "Target", n, "目标值必须大于 0", "the target must be greater than zero")
    if metric == TargetMetric.QUANTITY and value != value.to_integral_value():
        raise _row_invalid("目标", "Target", n, "数量目标必须是整数", "a quantity target must be a whole number")
    try:
        scope = TargetScope(row.scope.strip().lower() or TargetScope.ALL.value)
    except ValueError:
        raise _row_invalid("目标", "Target", n, "请选择全部产品、品类或单个产品",
                           "choose all products, a category or one product") from None
    named = row.scope_value.strip()
    if scope != TargetScope.ALL and not named:
        what_zh, what_en = ("品类名称", "category") if scope == TargetScope.CATEGORY else ("产品编码", "product code")
        raise _row_invalid("目标", "Target", n, f"请填写{what_zh}", f"give the {what_en}")
    group = None if scope == TargetScope.ALL else (named if scope == TargetScope.CATEGORY else SKU_SCOPE + named)
    if group is not None and len(group) > 64:
        raise _row_invalid("目标", "Target", n, "品类或产品编码过长", "the category or product code is too long")
    value = money(value) if metric == TargetMetric.AMOUNT else value.quantize(ONE)
    return SalesTarget(period=period, metric=metric, value=value, product_group=group)


def tier_from_row(row: TierRow, n: int) -> RebateTier:
    """A step of the ladder from percents; ValidationFailed names the row."""
    threshold, rate = _number(row.min_achievement), _number(row.rate)
    if threshold is None or not row.min_achievement.strip():
        raise _row_invalid("返利档位", "Rebate tier", n, "达成率须为百分数，如 80", "the achievement is a percent, e.g. 80")
    if rate is None or not row.rate.strip():
        raise _row_invalid("返利档位", "Rebate tier", n, "返利比例须为百分数，如 2", "the rebate rate is a percent, e.g. 2")
    if threshold < 0 or threshold > 1000:
        raise _row_invalid("返利档位", "Rebate tier", n, "达成率须在 0 到 1000% 之间",
                           "the achievement must be between 0 and 1000 %")
    if not 0 <= rate <= 100:
        raise _row_invalid("返利档位", "Rebate tier", n, "返利比例须在 0 到 100% 之间",
                           "the rebate rate must be between 0 and 100 %")
    return RebateTier(min_achievement=(threshold / 100).quantize(RATIO, rounding=ROUND_HALF_UP),
                      rate=(rate / 100).quantize(RATIO, rounding=ROUND_HALF_UP))


def terms_from_rows(starts_on: date, ends_on: date, targets: tuple[TargetRow, ...], tiers: tuple[TierRow, ...],
                    duties: tuple[str, ...]) -> ContractTerms:
    """The terms a draft form describes, validated; rows left wholly blank are skipped, messages name the row."""
    parsed_targets: list[SalesTarget] = []
    for n, row in enumerate(targets, 1):
        if not (row.period.strip() or row.value.strip() or row.scope_value.strip()):
            continue
        target = target_from_row(row, n, starts_on.year)
        try:
            target_window(starts_on, ends_on, target)
        except ValidationFailed:
            raise _row_invalid("目标", "Target", n, f"期间 {target.period} 不在合同期限 {starts_on} ~ {ends_on} 内",
                               f"the period {target.period} lies outside the contract term {starts_on} ~ {ends_on}"
                               ) from None
        key = (target.period, target.metric, target.product_group)
        if any((t.period, t.metric, t.product_group) == key for t in parsed_targets):
            raise _row_invalid("目标", "Target", n, "与前面一行的期间、范围和口径相同", "repeats an earlier row's period, "
                               "scope and measure")
        parsed_targets.append(target)
    parsed_tiers: list[RebateTier] = []
    for n, tier_row in enumerate(tiers, 1):
        if not (tier_row.min_achievement.strip() or tier_row.rate.strip()):
            continue
        tier = tier_from_row(tier_row, n)
        if any(t.min_achievement == tier.min_achievement for t in parsed_tiers):
            raise _row_invalid("返利档位", "Rebate tier", n, "与前面一档的达成率相同",
                               "has the same achievement as an earlier tier")
        parsed_tiers.append(tier)
    return validate_terms(ContractTerms(starts_on, ends_on, tuple(parsed_targets), tuple(parsed_tiers), duties))
