"""Identifier validators (policy-rules.md §3, §4, §5, §11) and the ``validate`` management command.

Everything except the ``test_command_*`` tests is pure Python and needs no Django settings.
"""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from kechuang.core.validators import (
    ID_CHECK_CHARS,
    ID_WEIGHTS,
    PATENT_WEIGHTS,
    USCC_CHARS,
    USCC_WEIGHTS,
    idcard_check_char,
    idcard_error,
    is_valid_idcard,
    is_valid_patent,
    is_valid_uscc,
    mask_idcard,
    normalise_idcard,
    normalise_patent,
    normalise_uscc,
    org_code_check_char,
    patent_check_char,
    patent_error,
    patent_type,
    uscc_check_char,
    uscc_division,
    uscc_error,
    validate_idcard,
    validate_patent,
    validate_uscc,
)

# A fixed "today" keeps year and birth-date limits reproducible; the reference examples go up to 2023.
TODAY = datetime.date(2025, 6, 30)
DIGITS = "0123456789"
CHECK_SYMBOLS = "0123456789X"
SPACES = [" ", "\u3000", "\t", "\u00a0", "\u200b"]

# ---------------------------------------------------------------- §3 unified social credit code


@pytest.mark.parametrize(
    "code", ["91350100M000100Y43", "914403001922038216", "91450223MA5N7B2T5X", "91450200MA5L8K4C73"]
)
def test_uscc_reference_valid(code: str) -> None:
    assert uscc_error(code) is None
    assert is_valid_uscc(code)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91450223MA5N7B2T5Y", "校验码错误：第18位应为“X”，实际为“Y”"),
        ("91450223MA5N7B2I5X", "第16位字符“I”不在允许的字符集内（不含 I、O、Z、S、V）"),
        ("9145022MA5N7B2T5X", "统一社会信用代码应为18位，实际为17位"),
    ],
)
def test_uscc_reference_invalid(code: str, message: str) -> None:
    assert not is_valid_uscc(code)
    assert uscc_error(code) == message


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "统一社会信用代码不能为空"),
        (None, "统一社会信用代码不能为空"),
        (" \u3000 ", "统一社会信用代码不能为空"),
        ("91450223MA5N7B2T5X0", "统一社会信用代码应为18位，实际为19位"),
        ("O1450223MA5N7B2T5X", "第1位字符“O”不在允许的字符集内（不含 I、O、Z、S、V）"),
        # Only ASCII is upper-cased: the ligature must not become "FF" (which would also make 19 characters).
        ("91450223MA5N7B2ﬀ5X", "第16位字符“ﬀ”不在允许的字符集内（不含 I、O、Z、S、V）"),
    ],
)
def test_uscc_other_errors(code: str | None, message: str) -> None:
    assert uscc_error(code) == message


def test_uscc_order_length_before_characters() -> None:
    assert uscc_error("I" * 17) == "统一社会信用代码应为18位，实际为17位"


def test_reference_org_code_example() -> None:
    # §11 "org MA5N7B2T -> 5"; the other reference codes carry a GB 11714-conformant body too.
    assert org_code_check_char("MA5N7B2T") == "5"
    assert org_code_check_char("M000100Y") == "4"
    assert org_code_check_char("19220382") == "1"


def test_uscc_division() -> None:
    assert uscc_division("91450223MA5N7B2T5X") == "450223"
    assert uscc_division(" 91450200ma5l8k4c73") == "450200"
    assert uscc_division("9145") == ""


def test_uscc_weights_are_powers_of_three() -> None:
    assert list(USCC_WEIGHTS) == [pow(3, i, 31) for i in range(17)]
    assert len(USCC_CHARS) == len(set(USCC_CHARS)) == 31
    assert not set("IOZSV") & set(USCC_CHARS)


def test_uscc_check_char_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        uscc_check_char("9145022MA5N7B2T5")
    with pytest.raises(ValueError):
        uscc_check_char("91450223MA5N7B2I5")


# ---------------------------------------------------------------- §4 resident identity number


def test_idcard_reference_examples() -> None:
    assert idcard_error("11010519491231002X", TODAY) is None
    assert is_valid_idcard("11010519491231002x", TODAY)
    assert idcard_error("110105194912310021", TODAY) == "校验码错误：第18位应为“X”，实际为“1”"
    assert not is_valid_idcard("110105194912310021", TODAY)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("", "身份证号码不能为空"),
        ("110105491231002", "身份证号码应为18位，实际为15位"),
        ("1101051949123100X2", "第17位字符“X”无效：前17位应为数字"),
        ("11010519491231002Y", "第18位字符“Y”无效：校验码应为数字或 X"),
        ("110105194902300021", "出生日期“19490230”不是有效日期"),
        ("110105194913010021", "出生日期“19491301”不是有效日期"),
        ("110105202507010021", "出生日期“20250701”晚于今天"),
        # Unicode digits pass str.isdigit() but are not digits in an identity number.
        ("١١0105194912310021", "第1位字符“١”无效：前17位应为数字"),
    ],
)
def test_idcard_errors(number: str, message: str) -> None:
    assert idcard_error(number, TODAY) == message


def test_idcard_birth_date_today_is_allowed() -> None:
    first17 = "45022320250630001"
    assert is_valid_idcard(first17 + idcard_check_char(first17), TODAY)


def test_idcard_defaults_to_real_today() -> None:
    assert idcard_error("11010519491231002X") is None
    assert idcard_error("110105999912310021") == "出生日期“99991231”晚于今天"


def test_id_weights_are_iso7064_mod11_2() -> None:
    assert list(ID_WEIGHTS) == [pow(2, 17 - i, 11) for i in range(17)]


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("11010519491231002X", "1101**********002X"),
        ("4502 2319900101 1234", "4502**********1234"),
        ("11010519491231002x", "1101**********002X"),
        ("110105491231002", "11***********02"),
        ("12345678", "12****78"),
        ("12345", "1***5"),
        ("123", "***"),
        ("", ""),
    ],
)
def test_mask_idcard(value: str, masked: str) -> None:
    assert mask_idcard(value) == masked


# ---------------------------------------------------------------- §5 patent application number

PATENT_VALID = [
    "202010566088.9",
    "201510958772.0",
    "200510096239.4",
    "201811564288.X",
    "201910603565.1",
    "202322865413.3",
    "2022106357271",
    "2023211609569",
    "200710308494.X",
]


@pytest.mark.parametrize("number", PATENT_VALID)
def test_patent_reference_valid(number: str) -> None:
    assert patent_error(number, TODAY) is None
    assert is_valid_patent(number, TODAY)


def test_patent_reference_invalid() -> None:
    assert not is_valid_patent("202010566088.8", TODAY)
    assert patent_error("202010566088.8", TODAY) == "校验码错误：第13位应为“9”，实际为“8”"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("", "专利申请号不能为空"),
        ("ZL", "专利申请号不能为空"),
        ("20201056608.9", "专利申请号去掉前缀和小数点后应为13位（2003年10月起）或9位（1989–2003年），实际为12位"),
        ("2020A0566088.9", "第5位字符“A”无效：校验码之前应全为数字"),
        ("202010566088.Y", "第13位字符“Y”无效：校验码应为数字或 X"),
        ("198410566088.9", "申请年份1984不在1985–2025年之间"),
        ("202610566088.9", "申请年份2026不在1985–2025年之间"),
        (
            "202040566088.9",
            "第5位专利类型“4”无效：应为 1（发明）、2（实用新型）、3（外观设计）、8（PCT 发明）或 9（PCT 实用新型）",
        ),
        ("04100001.1", "申请年份2004不在1985–2003年之间（9位旧格式）"),
        ("93100001.1", "校验码错误：第9位应为“7”，实际为“1”"),
    ],
)
def test_patent_errors(number: str, message: str) -> None:
    assert patent_error(number, TODAY) == message


@pytest.mark.parametrize("number", ["93100001.7", "ZL93100001.7", "85100001.0", "03200001.4"])
def test_patent_old_form_valid(number: str) -> None:
    assert patent_error(number, TODAY) is None


def test_patent_check_char_never_uses_id_card_table() -> None:
    # The reference warns about a public snippet that maps remainders like an ID card ("10X98…").
    assert patent_check_char("201811564288") == "X"
    assert patent_check_char("202010566088") == "9"


def test_patent_check_char_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        patent_check_char("2020105660889")
    with pytest.raises(ValueError):
        patent_check_char("2020A0566088")


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        ("202010566088.9", "invention"),
        ("ZL 2023 2 1160956.9", "utility"),
        ("202330000001.0", "design"),
        ("202080000001.0", "pct_invention"),
        ("202090000001.0", "pct_utility"),
        ("202040566088.9", None),
        ("93100001.7", None),
        ("garbage", None),
    ],
)
def test_patent_type(number: str, kind: str | None) -> None:
    assert patent_type(number) == kind


@pytest.mark.parametrize(
    "spelling",
    [
        "ZL202010566088.9",
        "CN202010566088.9",
        "ZL 2020 1 0566088.9",
        "zl202010566088．9",
        "ＣＮ２０２０１０５６６０８８。９",
        "2020\u300010566088.9",
        "202010566088 . 9",
    ],
)
def test_patent_spellings(spelling: str) -> None:
    assert normalise_patent(spelling) == "2020105660889"
    assert is_valid_patent(spelling, TODAY)


# ---------------------------------------------------------------- Django validator wrappers


@pytest.mark.parametrize(
    ("validator", "value", "message"),
    [
        (validate_uscc, "91450223MA5N7B2T5Y", "校验码错误：第18位应为“X”，实际为“Y”"),
        (validate_idcard, "110105194912310021", "校验码错误：第18位应为“X”，实际为“1”"),
        (validate_patent, "202010566088.8", "校验码错误：第13位应为“9”，实际为“8”"),
    ],
)
def test_django_validators(validator, value: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validator(value)
    assert caught.value.code == "invalid"
    assert caught.value.messages == [message]


def test_django_validators_accept_valid() -> None:
    validate_uscc("91450223MA5N7B2T5X")
    validate_idcard("11010519491231002X")
    validate_patent("202010566088.9")


# ---------------------------------------------------------------- properties

uscc_bodies = st.text(alphabet=USCC_CHARS, min_size=17, max_size=17)


@st.composite
def idcard_numbers(draw: st.DrawFn) -> str:
    """Valid identity numbers: any address and sequence digits, a real birth date not after TODAY."""
    address = draw(st.text(DIGITS, min_size=6, max_size=6))
    born = draw(st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY))
    first17 = address + born.strftime("%Y%m%d") + draw(st.text(DIGITS, min_size=3, max_size=3))
    return first17 + idcard_check_char(first17)


@st.composite
def patent_numbers(draw: st.DrawFn) -> str:
    """Valid 12-digit-form application numbers with year 1985…TODAY and a known type digit."""
    year = draw(st.integers(1985, TODAY.year))
    body = f"{year}{draw(st.sampled_from('12389'))}{draw(st.text(DIGITS, min_size=7, max_size=7))}"
    return body + patent_check_char(body)


@st.composite
def old_patent_numbers(draw: st.DrawFn) -> str:
    """Valid 1989–2003-form numbers (8 digits + check)."""
    year = draw(st.integers(1985, 2003)) % 100
    body = f"{year:02d}{draw(st.text(DIGITS, min_size=6, max_size=6))}"
    return body + patent_check_char(body)


def test_weights_are_units_of_their_modulus() -> None:
    # Why single-character errors are always caught: 31 and 11 are prime and no weight is 0 modulo them,
    # so a change of d (0 < |d| < modulus) at weight w shifts the sum by d·w ≢ 0; the check symbol itself
    # is a bijection of the remainder, so changing it alone is caught too.
    assert all(w % 31 for w in USCC_WEIGHTS)
    assert all(0 < w < 11 for w in ID_WEIGHTS + PATENT_WEIGHTS)
    assert len(set(ID_CHECK_CHARS)) == 11


@given(uscc_bodies)
def test_uscc_check_char_completes_a_valid_code(body: str) -> None:
    assert is_valid_uscc(body + uscc_check_char(body))


@given(uscc_bodies, st.integers(0, 17), st.sampled_from(USCC_CHARS))
def test_uscc_single_character_change_is_detected(body: str, position: int, replacement: str) -> None:
    code = body + uscc_check_char(body)
    assume(code[position] != replacement)
    changed = code[:position] + replacement + code[position + 1 :]
    assert (uscc_error(changed) or "").startswith("校验码错误")


@given(idcard_numbers(), st.integers(0, 17), st.sampled_from(CHECK_SYMBOLS))
def test_idcard_single_character_change_is_detected(number: str, position: int, replacement: str) -> None:
    assert idcard_error(number, TODAY) is None
    assume(number[position] != replacement)
    # X is only allowed as the check character; among the first 17 only digit-for-digit changes are of interest.
    assume(position == 17 or replacement != "X")
    changed = number[:position] + replacement + number[position + 1 :]
    error = idcard_error(changed, TODAY)
    # A changed birth-date digit may instead yield an impossible or future date; either way it is rejected.
    assert error is not None
    assert error.startswith(("校验码错误", "出生日期"))


@given(patent_numbers(), st.integers(0, 12), st.sampled_from(CHECK_SYMBOLS))
def test_patent_single_character_change_is_detected(number: str, position: int, replacement: str) -> None:
    assert patent_error(number, TODAY) is None
    assume(number[position] != replacement)
    assume(position == 12 or replacement != "X")
    changed = number[:position] + replacement + number[position + 1 :]
    error = patent_error(changed, TODAY)
    # Year and type digits are part of the weighted sum, but may first fail their own range checks.
    assert error is not None
    assert error.startswith(("校验码错误", "申请年份", "第5位专利类型"))


@given(old_patent_numbers(), st.integers(0, 8), st.sampled_from(CHECK_SYMBOLS))
def test_old_patent_single_character_change_is_detected(number: str, position: int, replacement: str) -> None:
    assert patent_error(number, TODAY) is None
    assume(number[position] != replacement)
    assume(position == 8 or replacement != "X")
    changed = number[:position] + replacement + number[position + 1 :]
    error = patent_error(changed, TODAY)
    assert error is not None
    assert error.startswith(("校验码错误", "申请年份"))


def _fullwidth(char: str) -> str:
    return chr(ord(char) + 0xFEE0)


@st.composite
def disguised(draw: st.DrawFn, canonical: str) -> str:
    """canonical written the way people paste it: mixed case, full-width characters, stray spaces."""
    chars = [draw(st.sampled_from([c, c.lower(), _fullwidth(c), _fullwidth(c.lower())])) for c in canonical]
    for _ in range(draw(st.integers(0, 4))):
        chars.insert(draw(st.integers(0, len(chars))), draw(st.sampled_from(SPACES)))
    return "".join(chars)


def _mutated(alphabet: str, lengths: tuple[int, int]) -> st.SearchStrategy[str]:
    """Canonical strings that are mostly invalid, to check that errors are preserved as well as validity."""
    return st.text(alphabet, min_size=lengths[0], max_size=lengths[1])


uscc_codes = uscc_bodies.map(lambda body: body + uscc_check_char(body))


@given(st.data(), st.one_of(uscc_codes, _mutated(USCC_CHARS + "IOZSV", (16, 19))))
def test_uscc_normalisation_keeps_verdict(data: st.DataObject, canonical: str) -> None:
    spelling = data.draw(disguised(canonical))
    assert normalise_uscc(spelling) == canonical
    assert uscc_error(spelling) == uscc_error(canonical)


@given(st.data(), st.one_of(idcard_numbers(), _mutated(CHECK_SYMBOLS, (17, 19))))
def test_idcard_normalisation_keeps_verdict(data: st.DataObject, canonical: str) -> None:
    spelling = data.draw(disguised(canonical))
    assert normalise_idcard(spelling) == canonical
    assert idcard_error(spelling, TODAY) == idcard_error(canonical, TODAY)


@given(
    st.data(),
    st.one_of(patent_numbers(), old_patent_numbers(), _mutated(CHECK_SYMBOLS, (8, 14))),
    st.sampled_from(["", "ZL", "CN"]),
    st.sampled_from(["", ".", "．", "。"]),
)
def test_patent_normalisation_keeps_verdict(data: st.DataObject, canonical: str, prefix: str, dot: str) -> None:
    body, check = canonical[:-1], canonical[-1:]
    spelling = data.draw(disguised(prefix)) + data.draw(disguised(body)) + dot + data.draw(disguised(check))
    assert normalise_patent(spelling) == canonical
    assert patent_error(spelling, TODAY) == patent_error(canonical, TODAY)


# ---------------------------------------------------------------- the ``validate`` command (needs settings)


def _run_validate(*args: str) -> tuple[int, list[str]]:
    """Exit status and output lines of ``validate`` run through call_command."""
    from django.core.management import call_command

    out = io.StringIO()
    try:
        call_command("validate", *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue().splitlines()
    return 0, out.getvalue().splitlines()


def test_command_all_valid() -> None:
    status, lines = _run_validate("uscc", "91350100M000100Y43", "9135 0100 m000 100y43")
    assert status == 0
    assert lines == ["91350100M000100Y43\t有效", "9135 0100 m000 100y43\t有效"]


def test_command_reports_every_value_and_fails_if_any_invalid() -> None:
    status, lines = _run_validate("uscc", "91450223MA5N7B2T5Y", "91450223MA5N7B2T5X", "9145022MA5N7B2T5X")
    assert status == 1
    assert lines == [
        "91450223MA5N7B2T5Y\t无效：校验码错误：第18位应为“X”，实际为“Y”",
        "91450223MA5N7B2T5X\t有效",
        "9145022MA5N7B2T5X\t无效：统一社会信用代码应为18位，实际为17位",
    ]


def test_command_idcard() -> None:
    status, lines = _run_validate("idcard", "11010519491231002x", "110105194912310021")
    assert status == 1
    assert lines == ["11010519491231002x\t有效", "110105194912310021\t无效：校验码错误：第18位应为“X”，实际为“1”"]


def test_command_patent() -> None:
    status, lines = _run_validate("patent", "ZL 202010566088.9", "202010566088.8")
    assert status == 1
    assert lines == ["ZL 202010566088.9\t有效", "202010566088.8\t无效：校验码错误：第13位应为“9”，实际为“8”"]


def test_command_rejects_unknown_kind_and_missing_values() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="invalid choice"):
        _run_validate("isbn", "9787111213826")
    with pytest.raises(CommandError, match="required"):
        _run_validate("uscc")


def test_command_exit_status_from_console_script(capsys: pytest.CaptureFixture[str]) -> None:
    from kechuang.cli import main

    main(["validate", "patent", "202010566088.9"])
    assert capsys.readouterr().out == "202010566088.9\t有效\n"
    with pytest.raises(SystemExit) as caught:
        main(["validate", "patent", "202010566088.8"])
    assert caught.value.code == 1
    captured = capsys.readouterr()
    assert captured.out == "202010566088.8\t无效：校验码错误：第13位应为“9”，实际为“8”\n"
    assert captured.err == ""
