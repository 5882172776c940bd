"""Identifier checks: unified social credit code (统一社会信用代码, GB 32100-2015), resident identity number
(公民身份号码, GB 11643-1999) and Chinese patent application number (专利申请号).

Pure functions, so forms, the API, Excel import and the ``validate`` command give the same verdict and the
same Chinese message. Each ``*_error`` function normalises first, then checks in the order that gives the
most useful message: empty → length → characters → structure (date, year, type) → check character.
"""

import datetime
import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

__all__ = [
    "ID_CHECK_CHARS",
    "ID_WEIGHTS",
    "PATENT_TYPES",
    "PATENT_WEIGHTS",
    "USCC_CHARS",
    "USCC_WEIGHTS",
    "idcard_check_char",
    "idcard_error",
    "is_valid_idcard",
    "is_valid_patent",
    "is_valid_uscc",
    "mask_idcard",
    "normalise_idcard",
    "normalise_patent",
    "normalise_uscc",
    "org_code_check_char",
    "patent_check_char",
    "patent_error",
    "patent_type",
    "uscc_check_char",
    "uscc_division",
    "uscc_error",
    "validate_idcard",
    "validate_patent",
    "validate_uscc",
]

# GB 32100: digits and upper-case letters without I, O, Z, S, V; a symbol's value is its index (A=10 … Y=30).
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# 3^(i−1) mod 31: every weight is a unit mod the prime 31, so any single-character error changes the sum.
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# ISO 7064 MOD 11-2: 2^(18−i) mod 11.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
PATENT_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
PATENT_TYPES = {"1": "invention", "2": "utility", "3": "design", "8": "pct_invention", "9": "pct_utility"}
PATENT_FIRST_YEAR = 1985
# The 8-digit body (YY T NNNNN) was replaced by the 12-digit one on 1 October 2003.
PATENT_OLD_FORM_LAST_YEAR = 2003

_DIGITS = "0123456789"
_CHECK_DIGITS = "0123456789X"
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CODE_CHARS = string.digits + string.ascii_uppercase


def _fold_table() -> dict[int, str | None]:
    """Translation table: full-width ASCII → half-width, ASCII lower → upper, zero-width characters dropped."""
    table: dict[int, str | None] = {cp: chr(cp - 0xFEE0).upper() for cp in range(0xFF01, 0xFF5F)}
    table.update({ord(c): c.upper() for c in string.ascii_lowercase})
    # Values pasted from web pages and Word often carry these; str.split() does not treat them as whitespace.
    table.update(dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff")))
    return table


# Only ASCII is upper-cased: str.upper() would turn "ﬀ" into "FF" or "ı" into "I" and smuggle in characters.
_FOLD = _fold_table()
_PATENT_DOTS = str.maketrans("", "", ".。｡")  # the full-width "．" is already folded to "."


def _fold(value: object) -> str:
    """Value as text without any whitespace, full-width ASCII folded, ASCII upper-cased."""
    if value is None:
        return ""
    return "".join(str(value).translate(_FOLD).split())


def normalise_uscc(value: object) -> str:
    """Unified social credit code in canonical form (no spaces, half-width, upper-case)."""
    return _fold(value)


def normalise_idcard(value: object) -> str:
    """Resident identity number in canonical form (no spaces, half-width, upper-case X)."""
    return _fold(value)


def normalise_patent(value: object) -> str:
    """Patent application number as bare digits plus check character, without ZL/CN prefix or dot."""
    text = _fold(value)
    if text.startswith(("ZL", "CN")):
        text = text[2:]
    return text.translate(_PATENT_DOTS)


def uscc_check_char(first17: str) -> str:
    """GB 32100 check character (position 18) for the first 17 characters of a credit code."""
    if len(first17) != 17 or any(c not in USCC_CHARS for c in first17):
        raise ValueError(f"expected 17 characters from USCC_CHARS, got {first17!r}")
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def idcard_check_char(first17: str) -> str:
    """GB 11643 (ISO 7064 MOD 11-2) check character for the first 17 digits of an identity number."""
    if len(first17) != 17 or any(c not in _DIGITS for c in first17):
        raise ValueError(f"expected 17 digits, got {first17!r}")
    return ID_CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def patent_check_char(body: str) -> str:
    """Check character of a patent application number body of 12 (since 2003) or 8 (1989–2003) digits."""
    if len(body) not in (12, 8) or any(c not in _DIGITS for c in body):
        raise ValueError(f"expected 12 or 8 digits, got {body!r}")
    # The old form's weights 2…9 are the first eight of the new form's.
    remainder = sum(int(c) * w for c, w in zip(body, PATENT_WEIGHTS[: len(body)], strict=True)) % 11
    return "X" if remainder == 10 else str(remainder)


def org_code_check_char(first8: str) -> str:
    """GB 11714 check character of an organisation code (positions 9–16 of a credit code)."""
    if len(first8) != 8 or any(c not in _ORG_CODE_CHARS for c in first8):
        raise ValueError(f"expected 8 digits or upper-case letters, got {first8!r}")
    check = 11 - sum(_ORG_CODE_CHARS.index(c) * w for c, w in zip(first8, _ORG_CODE_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _bad_char(text: str, allowed: str, offset: int = 0) -> tuple[int, str] | None:
    """1-based position and character of the first character of text not in allowed."""
    return next(((offset + i, c) for i, c in enumerate(text, 1) if c not in allowed), None)


def _check_char_error(position: int, expected: str, actual: str) -> str | None:
    if expected == actual:
        return None
    return gettext("校验码错误：第{position}位应为“{expected}”，实际为“{actual}”").format(
        position=position, expected=expected, actual=actual
    )


def uscc_error(value: object) -> str | None:
    """Chinese message saying why value is not a valid unified social credit code, or None if it is."""
    code = normalise_uscc(value)
    if not code:
        return gettext("统一社会信用代码不能为空")
    if len(code) != 18:
        return gettext("统一社会信用代码应为18位，实际为{length}位").format(length=len(code))
    if bad := _bad_char(code, USCC_CHARS):
        return gettext("第{position}位字符“{char}”不在允许的字符集内（不含 I、O、Z、S、V）").format(
            position=bad[0], char=bad[1]
        )
    return _check_char_error(18, uscc_check_char(code[:17]), code[17])


def _birth_date_error(digits: str, today: datetime.date) -> str | None:
    try:
        born = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return gettext("出生日期“{digits}”不是有效日期").format(digits=digits)
    if born > today:
        return gettext("出生日期“{digits}”晚于今天").format(digits=digits)
    return None


def idcard_error(value: object, today: datetime.date | None = None) -> str | None:
    """Chinese message saying why value is not a valid resident identity number, or None if it is."""
    number = normalise_idcard(value)
    if not number:
        return gettext("身份证号码不能为空")
    if len(number) != 18:
        return gettext("身份证号码应为18位，实际为{length}位").format(length=len(number))
    if bad := _bad_char(number[:17], _DIGITS):
        return gettext("第{position}位字符“{char}”无效：前17位应为数字").format(position=bad[0], char=bad[1])
    if bad := _bad_char(number[17], _CHECK_DIGITS, offset=17):
        return gettext("第{position}位字符“{char}”无效：校验码应为数字或 X").format(position=bad[0], char=bad[1])
    # date.today() follows TIME_ZONE inside Django, which exports it as TZ when settings load.
    if error := _birth_date_error(number[6:14], today or datetime.date.today()):
        return error
    return _check_char_error(18, idcard_check_char(number[:17]), number[17])


def _patent_year(body: str) -> int:
    """Filing year: four digits in the 12-digit form, two in the old form (85–99 → 19xx, else 20xx)."""
    if len(body) == 12:
        return int(body[:4])
    two_digits = int(body[:2])
    return 1900 + two_digits if two_digits >= PATENT_FIRST_YEAR % 100 else 2000 + two_digits


def _patent_structure_error(body: str, today: datetime.date) -> str | None:
    year = _patent_year(body)
    last_year = today.year if len(body) == 12 else PATENT_OLD_FORM_LAST_YEAR
    if not PATENT_FIRST_YEAR <= year <= last_year:
        form = "" if len(body) == 12 else gettext("（9位旧格式）")
        return gettext("申请年份{year}不在{first}–{last}年之间{form}").format(
            year=year, first=PATENT_FIRST_YEAR, last=last_year, form=form
        )
    if len(body) == 12 and body[4] not in PATENT_TYPES:
        return gettext(
            "第5位专利类型“{type}”无效：应为 1（发明）、2（实用新型）、3（外观设计）、8（PCT 发明）或 9（PCT 实用新型）"
        ).format(type=body[4])
    return None


def patent_error(value: object, today: datetime.date | None = None) -> str | None:
    """Chinese message saying why value is not a valid patent application number, or None if it is."""
    number = normalise_patent(value)
    if not number:
        return gettext("专利申请号不能为空")
    if len(number) not in (13, 9):
        return gettext(
            "专利申请号去掉前缀和小数点后应为13位（2003年10月起）或9位（1989–2003年），实际为{length}位"
        ).format(length=len(number))
    body, check = number[:-1], number[-1]
    if bad := _bad_char(body, _DIGITS):
        return gettext("第{position}位字符“{char}”无效：校验码之前应全为数字").format(position=bad[0], char=bad[1])
    if bad := _bad_char(check, _CHECK_DIGITS, offset=len(body)):
        return gettext("第{position}位字符“{char}”无效：校验码应为数字或 X").format(position=bad[0], char=bad[1])
    if error := _patent_structure_error(body, today or datetime.date.today()):
        return error
    return _check_char_error(len(number), patent_check_char(body), check)


def is_valid_uscc(value: object) -> bool:
    """Whether value is a valid unified social credit code."""
    return uscc_error(value) is None


def is_valid_idcard(value: object, today: datetime.date | None = None) -> bool:
    """Whether value is a valid resident identity number."""
    return idcard_error(value, today) is None


def is_valid_patent(value: object, today: datetime.date | None = None) -> bool:
    """Whether value is a valid patent application number."""
    return patent_error(value, today) is None


def mask_idcard(value: object) -> str:
    """Identity number safe to log or display: 4502**********1234; other lengths keep at most 2 + 2."""
    number = normalise_idcard(value)
    # Never reveal more than half of a malformed value: it may still be most of a real number.
    keep = 4 if len(number) == 18 else min(2, len(number) // 4)
    if keep == 0:
        return "*" * len(number)
    return number[:keep] + "*" * (len(number) - 2 * keep) + number[-keep:]


def patent_type(value: object) -> str | None:
    """Type of a 12-digit-form application number (invention, utility, design, pct_…), else None."""
    number = normalise_patent(value)
    if len(number) != 13 or _bad_char(number[:12], _DIGITS):
        return None
    return PATENT_TYPES.get(number[4])


def uscc_division(value: object) -> str:
    """Administrative-division code (positions 3–8) of a credit code, or "" if it is too short."""
    code = normalise_uscc(value)
    return code[2:8] if len(code) >= 8 else ""


def _raise_if(message: str | None) -> None:
    if message is not None:
        raise ValidationError(message, code="invalid")


def validate_uscc(value: object) -> None:
    """Django validator for unified social credit codes."""
    _raise_if(uscc_error(value))


def validate_idcard(value: object) -> None:
    """Django validator for resident identity numbers."""
    _raise_if(idcard_error(value))


def validate_patent(value: object) -> None:
    """Django validator for patent application numbers."""
    _raise_if(patent_error(value))
