"""统一社会信用代码 check character (GB 32100-2015)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import ValidationFailed
from core.uscc import (
    CHARSET,
    is_valid_uscc,
    make_uscc,
    normalize_uscc,
    uscc_check_char,
    uscc_problem,
    validate_uscc,
)

KNOWN_VALID = ("91350100M000100Y43", "91110000600037341L")


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_known_real_codes_are_valid(code: str) -> None:
    assert is_valid_uscc(code)
    assert uscc_check_char(code[:17]) == code[17]


def test_check_character_computed_by_hand() -> None:
    # non-zero terms: 9*1 + 1*3 + 3*9 + 5*27 + 1*26 + M(21)*20 + 1*8 + Y(30)*30 + 4*28 = 1640
    # 1640 % 31 = 28; 31 - 28 = 3 -> "3"
    assert uscc_check_char("91350100M000100Y4") == "3"
    # a sum divisible by 31 gives 31 -> 0
    assert uscc_check_char("0" * 17) == "0"


def test_normalize_accepts_lower_case_spaces_and_hyphens() -> None:
    assert normalize_uscc(" 9135 0100-m000100y43 ") == "91350100M000100Y43"
    assert validate_uscc("91350100m000100y43") == "91350100M000100Y43"


@pytest.mark.parametrize(("code", "zh_part", "en_part"), [
    ("91350100M000100Y4", "18位", "18 characters"),
    ("91350100M000100Y431", "当前为19位", "got 19"),
    ("91350100M000100I43", "无效字符：I", "invalid characters: I"),
    ("91350100M000100Y44", "校验位不正确", "check character"),
])
def test_invalid_codes_say_why_in_both_languages(code: str, zh_part: str, en_part: str) -> None:
    assert not is_valid_uscc(code)
    with pytest.raises(ValidationFailed) as exc:
        validate_uscc(code)
    assert zh_part in exc.value.message("zh")
    assert en_part in exc.value.message("en")


def test_make_uscc_is_deterministic_and_valid() -> None:
    assert make_uscc(1) == make_uscc("1")
    assert make_uscc(1) != make_uscc(2)
    code = make_uscc("12345678", region="110105")
    assert code.startswith("91110105123456788")     # organization code 12345678-8 (GB 11714)
    assert len(code) == 18 and is_valid_uscc(code)
    with pytest.raises(ValueError):
        make_uscc("abc")
    with pytest.raises(ValueError):
        make_uscc(1, region="11")


@given(st.integers(min_value=0, max_value=99_999_999))
def test_every_made_code_is_valid(seed: int) -> None:
    assert uscc_problem(make_uscc(seed)) is None


@given(st.text(alphabet=CHARSET, min_size=17, max_size=17))
def test_appending_the_check_character_always_validates(first17: str) -> None:
    assert is_valid_uscc(first17 + uscc_check_char(first17))


@given(st.text(alphabet=CHARSET, min_size=17, max_size=17), st.integers(min_value=0, max_value=17),
       st.sampled_from(CHARSET))
def test_any_single_character_change_is_caught(first17: str, position: int, replacement: str) -> None:
    code = first17 + uscc_check_char(first17)
    if code[position] == replacement:
        replacement = CHARSET[(CHARSET.index(replacement) + 1) % len(CHARSET)]
    changed = code[:position] + replacement + code[position + 1:]
    assert not is_valid_uscc(changed)
