"""统一社会信用代码 (Unified Social Credit Code, USCC), GB 32100-2015.

Eighteen characters::

    9 1 350100 M000100Y4 3
    | | |      |         └ check character over the first 17 (this module)
    | | |      └ organization code, GB 11714 (its own check character is the 9th)
    | | └ administrative division code of the registering authority
    | └ entity type (1 = enterprise for authority 9)
    └ registering authority (9 = market regulation / 工商)

The character set leaves out I, O, Z, S and V so that codes survive being read aloud and retyped.
"""

from __future__ import annotations

from core.errors import ValidationFailed

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18

_VALUE = {ch: i for i, ch in enumerate(CHARSET)}

# GB 11714 organization code check (positions 9-17 of a USCC): used only to make realistic demo codes.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def normalize_uscc(code: str) -> str:
    """Upper-case and drop spaces and hyphens people type or paste from scans."""
    return "".join(ch for ch in code.strip().upper() if ch not in " -\u3000\t")


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters (already normalized)."""
    if len(first17) != LENGTH - 1:
        raise ValueError("need exactly 17 characters")
    total = sum(_VALUE[ch] * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> tuple[str, str] | None:
    """Why ``code`` is not a valid USCC as (zh, en), or None when it is valid."""
    norm = normalize_uscc(code)
    if len(norm) != LENGTH:
        return (f"统一社会信用代码应为18位，当前为{len(norm)}位",
                f"a unified social credit code has 18 characters, got {len(norm)}")
    bad = sorted({ch for ch in norm if ch not in _VALUE})
    if bad:
        shown = "、".join(bad)
        return (f"统一社会信用代码含有无效字符：{shown}",
                f"the unified social credit code contains invalid characters: {', '.join(bad)}")
    if uscc_check_char(norm[:17]) != norm[17]:
        return ("统一社会信用代码校验位不正确，请核对营业执照",
                "the check character of the unified social credit code is wrong; please check the licence")
    return None


def is_valid_uscc(code: str) -> bool:
    return uscc_problem(code) is None


def validate_uscc(code: str) -> str:
    """The normalized code; raises ValidationFailed (zh/en) when it is not valid."""
    problem = uscc_problem(code)
    if problem is not None:
        zh, en = problem
        raise ValidationFailed(zh=f"输入有误：{zh}", en=f"Invalid input: {en}", reason=en)
    return normalize_uscc(code)


def _org_check_char(first8: str) -> str:
    total = sum(int(ch, 36) * weight for ch, weight in zip(first8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def make_uscc(seed_digits: str | int, region: str = "310115") -> str:
    """A valid enterprise USCC built from ``seed_digits`` (demo data and tests).

    The last 8 digits of the seed become the organization code body (zero-padded), with its
    GB 11714 check character and the GB 32100 check character appended, so the result looks
    like a real code. The same seed always gives the same code.
    """
    digits = "".join(ch for ch in str(seed_digits) if ch.isdigit())
    if not digits:
        raise ValueError("seed_digits must contain at least one digit")
    if len(region) != 6 or not region.isdigit():
        raise ValueError("region must be a 6-digit administrative division code")
    org_body = digits[-8:].rjust(8, "0")
    first17 = "91" + region + org_body + _org_check_char(org_body)
    return first17 + uscc_check_char(first17)
