"""Contract templates, the signing record, and the marketing-duty checklist.

A template is a body of Chinese text with placeholders that staff reuse for many dealers. Creating a
contract from a template copies the body onto the contract (``Contract.body``): later edits of the
template never change a contract already drafted, and what the dealer signs is frozen at signing.

Placeholders (``{name}``; anything else in braces is left as written):

``{dealer}`` name, ``{dealer_code}``, ``{uscc}``, ``{number}``, ``{version}``, ``{period}`` ("2027年01月01日至
2027年12月31日"), ``{targets}``, ``{rebate_tiers}``, ``{marketing_duties}`` (numbered lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from core.contract_rules import render_contract_text
from core.contracts import Contract, RebateTier, SalesTarget
from core.dealers import Dealer

PLACEHOLDERS = ("dealer", "dealer_code", "uscc", "number", "version", "period", "targets", "rebate_tiers",
                "marketing_duties")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")


@dataclass
class ContractTemplate:
    name: str
    body: str                                   # text with placeholders
    term_months: int = 12
    targets: list[SalesTarget] = field(default_factory=list)        # defaults, period "YEAR" = the start year
    rebate_tiers: list[RebateTier] = field(default_factory=list)
    marketing_duties: list[str] = field(default_factory=list)
    active: bool = True
    created_at: datetime | None = None
    updated_at: datetime | None = None
    id: int | None = None


@dataclass
class ContractSignature:
    """Who signed which version, how, and the frozen PDF (its key in the file store and its SHA-256)."""

    contract_id: int
    number: str
    version: int
    dealer_id: int
    signer: str                  # actor label, e.g. dealer:3:wang
    signer_user_id: int | None
    channel: str                 # telegram | wecom | web | console | admin
    origin: str                  # the chat id, or the IP address for the web
    text_sha256: str
    pdf_sha256: str
    pdf_key: str                 # file store key of the frozen PDF
    signed_at: datetime
    id: int | None = None


@dataclass
class DutyMark:
    """Staff mark a marketing duty of a contract done (index into ``Contract.marketing_duties``)."""

    contract_id: int
    duty_index: int
    done: bool = True
    note: str = ""
    marked_by: str = ""
    marked_at: datetime | None = None
    id: int | None = None


def _sections(text: str) -> dict[str, str]:
    """The pieces of the standard rendering, reused for the placeholders."""
    lines = text.splitlines()
    out: dict[str, list[str]] = {"targets": [], "rebate_tiers": [], "marketing_duties": []}
    current: str | None = None
    for line in lines:
        if line.startswith("二、"):
            current = "targets"
            continue
        if line.startswith("三、"):
            current = "rebate_tiers"
            continue
        if line.startswith("四、"):
            current = "marketing_duties"
            continue
        if line.startswith("五、"):
            current = None
        if current is not None:
            out[current].append(line)
    return {k: "\n".join(v) for k, v in out.items()}


def _date_zh(d: object) -> str:
    return f"{d.year}年{d.month:02d}月{d.day:02d}日"  # type: ignore[attr-defined]


def fill_template(body: str, contract: Contract, dealer: Dealer) -> str:
    """Substitute the placeholders of ``body`` for this contract and dealer."""
    parts = _sections(render_contract_text(contract, dealer))
    values = {
        "dealer": dealer.name, "dealer_code": dealer.code, "uscc": dealer.uscc, "number": contract.number,
        "version": str(contract.version),
        "period": f"{_date_zh(contract.starts_on)}至{_date_zh(contract.ends_on)}",
        **parts,
    }
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], body)


def document_text(contract: Contract, dealer: Dealer) -> str:
    """What the dealer reads and signs: the template body when the contract has one, else the standard text.

    A contract drafted from a template still carries the standard header (number, version, parties), so
    every signed copy names what it is.
    """
    if not contract.body.strip():
        return render_contract_text(contract, dealer)
    head = [
        "经销合同",
        f"合同编号：{contract.number}（第{contract.version}版）",
        f"乙方（经销商）：{dealer.name}",
        f"经销商编码：{dealer.code}",
        "",
    ]
    body = fill_template(contract.body, contract, dealer).rstrip("\n")
    return "\n".join(head) + "\n" + body + "\n"


def template_placeholders_unknown(body: str) -> list[str]:
    """Names in braces that are not placeholders (likely typos), for validation."""
    return sorted({m for m in re.findall(r"\{([a-z_]+)\}", body) if m not in PLACEHOLDERS})


ZERO_RATE = Decimal("0")
