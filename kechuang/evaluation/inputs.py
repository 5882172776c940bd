"""Input files of the standalone evaluation (``kechuang evaluate hte|tsme --input FILE``), read without a database.

A file is JSON (a list of objects with the fixed keys of issue #5 item 7) or the xlsx template written by
``kechuang template evaluation-hte|evaluation-tsme`` (one enterprise per row, read by the import kit). Either way
``read_inputs`` returns one dict per enterprise, in the file's order, with exactly the fixed keys and typed values,
or raises ``InputRefused`` with every problem of the file at once.

Absent values: a key that is absent or null (an empty cell) is ``None`` — the engine lists it as missing — except
``uscc`` and ``name`` (required), ``years`` (absent: ``[]``), ``rd_management`` (absent: ``None``, otherwise four
booleans) and ``expert_scores`` (absent: ``{}``). A year that is given must be given whole: its six values.
"""

import datetime
import difflib
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.importkit import Column, Reader, Schema, register_template, template_schema
from kechuang.core.tabular import RowErrors, TableError, check_size, iter_rows
from kechuang.core.validators import normalise_uscc, uscc_error
from kechuang.orgs.choices import HitechDomain

__all__ = ["EXPERT_ITEMS", "HTE_SCHEMA", "TSME_SCHEMA", "InputRefused", "read_inputs"]

# Score item code -> maximum points of the items an expert may score (policy-rules §1.4).
EXPERT_ITEMS = {
    "ip_advancement": 8, "ip_core_support": 8, "ip_quantity": 8, "ip_acquisition": 6, "ip_standards_bonus": 2,
    "conversion": 30, "rd_management": 20, "growth_net_assets": 10, "growth_sales": 10,
}  # fmt: skip

# The fixed keys of each kind, in the order, and how each is typed.
HTE_FIELDS = {
    "uscc": "uscc", "name": "text", "registration_date": "date", "application_date": "date", "domain": "domain",
    "staff_total": "people", "st_staff": "people", "years": "years", "hitech_revenue_last_year": "money",
    "class1_ip": "count", "class2_ip": "count", "own_rd_ip": "bool", "conversions_3y": "count",
    "standards_drafted": "bool", "rd_management": "flags", "violation_last_year": "bool", "expert_scores": "scores",
}  # fmt: skip
TSME_FIELDS = {
    "uscc": "uscc", "name": "text", "resident": "bool", "audit_taxation": "bool", "excluded_industry": "bool",
    "violation": "bool", "staff_total": "people", "st_staff": "people", "sales_revenue": "money",
    "total_assets": "money", "rd_expense": "money", "total_costs": "money", "class1_ip": "count",
    "class2_ip": "count", "hte_valid": "bool", "national_award_top3_5y": "bool", "provincial_rd_institution": "bool",
    "led_standard_5y": "bool",
}  # fmt: skip
# Net assets (total assets − total liabilities) may be negative (policy-rules §1.4.4); no other amount may.
YEAR_FIELDS = {
    "year": "year", "sales_revenue": "money", "total_income": "money", "rd_expense": "money",
    "rd_domestic": "money", "net_assets": "signed_money",
}  # fmt: skip
REQUIRED = ("uscc", "name")
MAX_YEARS = 3
RD_FLAGS = 4
NUMBERS = ("money", "signed_money", "people", "count")
# Integer digits of any number: far above any real enterprise, and within an int64 and Decimal's 28 digits.
MAX_DIGITS = 15
LIMIT = Decimal(10) ** MAX_DIGITS
CENT = Decimal("0.01")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DOMAINS = dict(HitechDomain.choices)


class InputRefused(Exception):
    """The input file cannot be evaluated; ``messages`` lists every problem of the file at once."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = list(messages)


# --- what both formats check on typed values --------------------------------------------------------------------


def _value_problem(kind: str, value) -> str | None:
    """What is wrong with a typed value whatever file it came from (range, sign, size), or None."""
    if value is None or kind not in NUMBERS:
        return None
    if abs(value) >= LIMIT:
        return gettext("数值过大，整数部分不能超过 {n} 位").format(n=MAX_DIGITS)
    if value < 0 and kind != "signed_money":
        return gettext("不能为负数")
    return None


def _enterprise_problems(values: dict) -> list[tuple[str, str]]:
    """(key, problem) pairs of rules between an enterprise's values."""
    problems = []
    staff, st_staff = values.get("staff_total"), values.get("st_staff")
    if staff is not None and st_staff is not None and st_staff > staff:
        reason = gettext("科技人员数 {st} 多于职工总数 {total}：科技人员包含在职工总数之内")
        problems.append(("st_staff", reason.format(st=_show(st_staff), total=_show(staff))))
    registered, applied = values.get("registration_date"), values.get("application_date")
    if registered is not None and applied is not None and applied < registered:
        reason = gettext("申请认定日期 {applied} 早于注册成立日期 {registered}")
        problems.append(("application_date", reason.format(applied=applied, registered=registered)))
    return problems


def _year_problem(year: dict) -> str | None:
    """The problem between one year's values (domestic R&D is part of R&D), or None."""
    if year["rd_domestic"] > year["rd_expense"]:
        reason = gettext(
            "境内研发费用 {domestic} 元大于研发费用 {total} 元：境内研发费用是研发费用的一部分，不能超过它"
        )
        return reason.format(domestic=_show(year["rd_domestic"]), total=_show(year["rd_expense"]))
    return None


def _order_problem(previous: int | None, year: int) -> str | None:
    if previous is not None and year <= previous:
        reason = gettext("年份 {year} 应晚于前一年的 {previous}：三年按从早到晚填写，年份不能重复")
        return reason.format(year=year, previous=previous)
    return None


def _show(number) -> str:
    """A Decimal as a message shows it: 50.01, 50, 10.5 (no trailing zeros, no exponent)."""
    return f"{number.normalize():f}"


def _money(number: Decimal) -> Decimal:
    return number.quantize(CENT, rounding=ROUND_HALF_UP) if abs(number) < LIMIT else number


# --- JSON ---------------------------------------------------------------------------------------------------------


class _JsonProblems:
    """Problems of a JSON file: 第n家企业 key：problem, in the order found (enterprise by enterprise)."""

    def __init__(self):
        self.messages: list[str] = []

    def add(self, n: int, key: str, problem: str) -> None:
        self.messages.append(gettext("第{n}家企业 {key}：{problem}").format(n=n, key=key, problem=problem))


def _what(value) -> str:
    """A JSON value as an error message names it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return gettext("文本“{text}”").format(text=value if len(value) <= 40 else value[:40] + "…")
    if isinstance(value, list):
        return gettext("列表")
    if isinstance(value, dict):
        return pgettext("JSON value", "对象")
    return str(value)


def _is_number(value) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def _json_value(kind: str, value):
    """The typed value of one JSON value, or raises ValueError with the reason (null is handled by the caller)."""
    if kind in ("text", "uscc"):
        if not isinstance(value, str):
            raise ValueError(gettext("应为文本，实际为{what}").format(what=_what(value)))
        if kind == "uscc":
            if error := uscc_error(value):
                raise ValueError(error)
            return normalise_uscc(value)
        return value.strip()
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(gettext("应为 true 或 false，实际为{what}").format(what=_what(value)))
        return value
    if kind == "date":
        if isinstance(value, str) and ISO_DATE.match(value):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        raise ValueError(gettext("应为 ISO 格式的日期（如 2021-03-15），实际为{what}").format(what=_what(value)))
    if kind in ("money", "signed_money", "people"):
        if not _is_number(value) or not Decimal(value).is_finite():
            unit = gettext("元") if kind != "people" else gettext("人，可带小数")
            raise ValueError(gettext("应为数字（{unit}），实际为{what}").format(unit=unit, what=_what(value)))
        return _money(Decimal(value)) if kind != "people" else Decimal(value)
    # count, year, domain: integers (3.0 is 3)
    if not _is_number(value) or not Decimal(value).is_finite() or Decimal(value) != Decimal(value).to_integral():
        if kind == "domain":
            reason = gettext("应为 1–8 的整数（国家重点支持的高新技术领域代码），实际为{what}")
        elif kind == "year":
            reason = gettext("应为四位数的年份，实际为{what}")
        else:
            reason = gettext("应为整数，实际为{what}")
        raise ValueError(reason.format(what=_what(value)))
    number = int(value)
    if kind == "domain" and number not in DOMAINS:
        raise ValueError(gettext("应为 1–8 的整数（国家重点支持的高新技术领域代码），实际为{what}").format(what=number))
    if kind == "year" and not 1949 <= number <= 2100:
        raise ValueError(gettext("年份“{value}”无效").format(value=number))
    return number


def _json_field(kind: str, value, n: int, key: str, problems: _JsonProblems):
    """A typed scalar, or None after reporting why not (absent or null is None: missing data, not an error)."""
    if value is None:
        if key in REQUIRED:
            problems.add(n, key, gettext("必填项不能为空"))
        return None
    try:
        typed = _json_value(kind, value)
    except ValueError as exc:
        problems.add(n, key, str(exc))
        return None
    if key in REQUIRED and typed == "":
        problems.add(n, key, gettext("必填项不能为空"))
        return None
    if problem := _value_problem(kind, typed):
        problems.add(n, key, problem)
        return None
    return typed


def _unknown_key(key: str, known) -> str:
    if close := difflib.get_close_matches(key, list(known), n=1):
        return gettext("未知的键，是否应为“{key}”？").format(key=close[0])
    return gettext("未知的键，可用的键：{keys}").format(keys=", ".join(known))


def _json_years(value, n: int, problems: _JsonProblems) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add(n, "years", gettext("应为列表 [{{…}}, …]，实际为{what}").format(what=_what(value)))
        return []
    if len(value) > MAX_YEARS:
        reason = gettext("最多 {max} 年（申请前的三个会计年度，从早到晚），实际为 {n} 年")
        problems.add(n, "years", reason.format(max=MAX_YEARS, n=len(value)))
        return []
    years, previous = [], None
    for i, item in enumerate(value):
        where = f"years[{i}]"
        if not isinstance(item, dict):
            problems.add(n, where, gettext("应为对象 {{…}}，实际为{what}").format(what=_what(item)))
            continue
        before = len(problems.messages)
        for key in item:
            if key not in YEAR_FIELDS:
                problems.add(n, f"{where}.{key}", _unknown_key(key, YEAR_FIELDS))
        year = {}
        for key, kind in YEAR_FIELDS.items():
            if item.get(key) is None:
                reason = gettext("不能为空：一年的数据应全部填写（{keys}）")
                problems.add(n, f"{where}.{key}", reason.format(keys=", ".join(YEAR_FIELDS)))
            else:
                year[key] = _json_field(kind, item[key], n, f"{where}.{key}", problems)
        if len(problems.messages) > before:
            continue
        if problem := _year_problem(year):
            problems.add(n, f"{where}.rd_domestic", problem)
        if problem := _order_problem(previous, year["year"]):
            problems.add(n, f"{where}.year", problem)
        previous = year["year"]
        years.append(year)
    return years


def _json_flags(value, n: int, problems: _JsonProblems) -> list[bool] | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != RD_FLAGS or not all(isinstance(v, bool) for v in value):
        reason = gettext("应为 4 个 true/false 的列表（研究开发组织管理水平的四个子项，依次），实际为{what}")
        what = "[" + ", ".join(_what(v) for v in value) + "]" if isinstance(value, list) else _what(value)
        problems.add(n, "rd_management", reason.format(what=what))
        return None
    return list(value)


def _json_scores(value, n: int, problems: _JsonProblems) -> dict[str, int]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.add(n, "expert_scores", gettext("应为对象 {{评分项: 分数}}，实际为{what}").format(what=_what(value)))
        return {}
    scores = {}
    for code, score in value.items():
        where = f"expert_scores.{code}"
        if code not in EXPERT_ITEMS:
            problems.add(n, where, _unknown_key(code, EXPERT_ITEMS))
            continue
        try:
            typed = _json_value("count", score) if score is not None else None
        except ValueError:
            typed = None
        if typed is None:
            reason = gettext("应为 0 到 {max} 的整数，实际为{what}")
            problems.add(n, where, reason.format(max=EXPERT_ITEMS[code], what=_what(score)))
        elif problem := _score_problem(code, typed):
            problems.add(n, where, problem)
        else:
            scores[code] = typed
    return scores


def _score_problem(code: str, score: int) -> str | None:
    if not 0 <= score <= EXPERT_ITEMS[code]:
        reason = gettext("专家评分应在 0 到 {max} 分之间，实际为 {score}")
        return reason.format(max=EXPERT_ITEMS[code], score=score)
    return None


def _json_enterprise(fields: dict, item: dict, n: int, problems: _JsonProblems) -> dict:
    for key in item:
        if key not in fields:
            problems.add(n, key, _unknown_key(key, fields))
    values = {}
    for key, kind in fields.items():
        value = item.get(key)
        if kind == "years":
            values[key] = _json_years(value, n, problems)
        elif kind == "flags":
            values[key] = _json_flags(value, n, problems)
        elif kind == "scores":
            values[key] = _json_scores(value, n, problems)
        else:
            values[key] = _json_field(kind, value, n, key, problems)
    for key, problem in _enterprise_problems(values):
        problems.add(n, key, problem)
    return values


def _read_json(fields: dict, raw: bytes) -> list[dict]:
    try:
        check_size(raw)
        text = raw.decode("utf-8-sig")
    except TableError as exc:
        raise InputRefused([str(exc)]) from None
    except UnicodeDecodeError:
        raise InputRefused([gettext("JSON 文件应为 UTF-8 编码")]) from None
    try:
        data = json.loads(text, parse_float=Decimal, parse_constant=Decimal)
    except json.JSONDecodeError as exc:
        reason = gettext("不是有效的 JSON（第{line}行第{column}列：{reason}）：请检查括号、逗号和引号")
        raise InputRefused([reason.format(line=exc.lineno, column=exc.colno, reason=exc.msg)]) from None
    except (ValueError, RecursionError):
        raise InputRefused([gettext("不是有效的 JSON：请检查括号、逗号和引号")]) from None
    if not isinstance(data, list):
        reason = gettext("JSON 文件应为企业的列表 [{{…}}, {{…}}]，每家企业一个对象；实际为{what}")
        raise InputRefused([reason.format(what=_what(data))])
    if not data:
        raise InputRefused([gettext("文件中没有企业：列表是空的")])
    problems, enterprises, seen = _JsonProblems(), [], {}
    for n, item in enumerate(data, 1):
        if not isinstance(item, dict):
            problems.messages.append(gettext("第{n}家企业：应为对象 {{…}}，实际为{what}").format(n=n, what=_what(item)))
            continue
        values = _json_enterprise(fields, item, n, problems)
        if values["uscc"] is not None:
            first = seen.setdefault(values["uscc"], n)
            if first != n:
                problems.add(n, "uscc", gettext("与第{n}家企业重复").format(n=first))
        enterprises.append(values)
    if problems.messages:
        raise InputRefused(problems.messages)
    return enterprises


# --- xlsx ---------------------------------------------------------------------------------------------------------

YEAR_LABELS = {
    "year": _("年份"), "sales_revenue": _("销售收入"), "total_income": _("总收入"), "rd_expense": _("研发费用"),
    "rd_domestic": _("境内研发费用"), "net_assets": _("净资产"),
}  # fmt: skip
YEAR_HELP = {
    "year": _("会计年度，如 2023"),
    "sales_revenue": _("主营业务收入 + 其他业务收入"),
    "total_income": _("收入总额 − 不征税收入"),
    "rd_expense": _("按《工作指引》归集的研究开发费用总额"),
    "rd_domestic": _("在中国境内发生的研究开发费用，不能大于研发费用"),
    "net_assets": _("年末资产总额 − 负债总额（经鉴证的年末数），可以为负数"),
}
RD_LABELS = (
    _("研发管理1：研发组织管理制度、研发投入核算体系、研发费用辅助账"),
    _("研发管理2：内部研发机构及产学研合作"),
    _("研发管理3：成果转化组织实施与激励奖励制度、开放式创新创业平台"),
    _("研发管理4：科技人员培养进修、职工技能培训、人才引进及绩效评价奖励制度"),
)
EXPERT_LABELS = {
    "ip_advancement": _("技术的先进程度"),
    "ip_core_support": _("对主要产品（服务）在技术上发挥核心支持作用"),
    "ip_quantity": _("知识产权数量"),
    "ip_acquisition": _("知识产权获得方式"),
    "ip_standards_bonus": _("参与标准制定加分"),
    "conversion": _("科技成果转化能力"),
    "rd_management": _("研究开发组织管理水平"),
    "growth_net_assets": _("净资产增长率"),
    "growth_sales": _("销售收入增长率"),
}
EXAMPLE_YEARS = (
    ("2021", "32000000", "32500000", "1650000", "1650000", "18000000"),
    ("2022", "38000000", "38600000", "1900000", "1850000", "22000000"),
    ("2023", "45000000", "45800000", "2300000", "2300000", "27000000"),
)
COLUMN_KINDS = {"year": "year", "money": "money", "signed_money": "money", "people": "decimal", "count": "int"}

USCC = Column("uscc", _("统一社会信用代码"), required=True, example="91450223MA5N7B2T5X")
NAME = Column("name", _("企业名称"), required=True, max_length=200, example="鹿寨县恒达汽车配件有限公司")
STAFF_HELP = _("全年月平均人数的平均：每月（月初人数 + 月末人数）÷ 2，12 个月相加 ÷ 12，可带小数")
STAFF = Column("staff_total", _("年平均职工总数"), kind="decimal", unit="人", help=STAFF_HELP, example="86.5")
ST_STAFF = Column(
    "st_staff", _("年平均科技人员数"), kind="decimal", unit="人",
    help=_("从事研发和相关技术创新活动、全年累计实际工作满 183 天的人员，按月平均人数计算，不能多于职工总数"),
    example="15",
)  # fmt: skip
CLASS1 = Column(
    "class1_ip", _("Ⅰ类知识产权数量"), kind="int", unit="件", example="1",
    help=_("有效的发明专利、植物新品种、国家级农作物品种、国家新药、国家一级中药保护品种、集成电路布图设计专有权"),
)  # fmt: skip
CLASS2 = Column(
    "class2_ip", _("Ⅱ类知识产权数量"), kind="int", unit="件", example="6",
    help=_("有效的实用新型专利、外观设计专利、软件著作权等（不含商标）"),
)  # fmt: skip


def _money_column(name: str, label, help, example: str) -> Column:
    return Column(name, label, kind="money", unit="元", help=help, example=example)


def _year_columns() -> tuple[Column, ...]:
    columns = []
    for slot, example in enumerate(EXAMPLE_YEARS, 1):
        for (key, kind), value in zip(YEAR_FIELDS.items(), example, strict=True):
            label = format_lazy(_("第{slot}年{label}"), slot=slot, label=YEAR_LABELS[key])
            columns.append(
                Column(f"y{slot}_{key}", label, kind=COLUMN_KINDS[kind], unit="" if kind == "year" else "元",
                       help=YEAR_HELP[key], example=value)
            )  # fmt: skip
    return tuple(columns)


def _bool_column(name: str, label, help, example: str = "否") -> Column:
    return Column(name, label, kind="bool", help=help, example=example)


class EvaluationSchema(Schema):
    """An evaluation's xlsx input: one enterprise per row; read by ``read_inputs``, never imported."""

    fields: dict = {}
    key = ()  # repeated credit codes are found after normalising them (lower case, full width)

    def enterprise(self, row, mapped: set[str], errors: RowErrors) -> dict:
        """One row's enterprise, the problems of its cells reported against the row."""
        values = {}
        for key, kind in self.fields.items():
            if kind == "years":
                values[key] = self._years(row, mapped, errors)
            elif kind == "flags":
                values[key] = self._flags(row, mapped, errors)
            elif kind == "scores":
                values[key] = self._scores(row, errors)
            else:
                values[key] = self._value(key, kind, row, errors)
        for key, problem in _enterprise_problems(values):
            errors.add(row.line, self.label_of(key), problem)
        return values

    def _value(self, name: str, kind: str, row, errors: RowErrors):
        value = row.values.get(name)
        if value is None:
            return None
        if kind == "uscc":
            if error := uscc_error(value):
                errors.add(row.line, self.label_of(name), error)
                return None
            return normalise_uscc(value)
        if problem := _value_problem(kind, value):
            errors.add(row.line, self.label_of(name), problem)
            return None
        return value

    @staticmethod
    def _state(name: str, row, mapped: set[str]) -> str:
        """How a cell is filled: "empty", "bad" (the reader refused it and reported why) or "filled"."""
        if name not in mapped or (name in row.values and row.values[name] is None):
            return "empty"
        return "bad" if name not in row.values else "filled"

    def _years(self, row, mapped: set[str], errors: RowErrors) -> list[dict]:
        years, previous = [], None
        for slot in range(1, MAX_YEARS + 1):
            names = {key: f"y{slot}_{key}" for key in YEAR_FIELDS}
            states = {key: self._state(name, row, mapped) for key, name in names.items()}
            if all(state == "empty" for state in states.values()):
                continue
            empty = [key for key, state in states.items() if state == "empty"]
            reason = gettext("第{slot}年的其他项已填写，这一项不能为空：一年的数据应全部填写，或整组留空表示没有这一年")
            for key in empty:
                errors.add(row.line, self.label_of(names[key]), reason.format(slot=slot))
            if empty or "bad" in states.values():
                continue
            year = {key: self._value(names[key], kind, row, errors) for key, kind in YEAR_FIELDS.items()}
            if None in year.values():
                continue
            if problem := _year_problem(year):
                errors.add(row.line, self.label_of(names["rd_domestic"]), problem)
            if problem := _order_problem(previous, year["year"]):
                errors.add(row.line, self.label_of(names["year"]), problem)
            previous = year["year"]
            years.append(year)
        return years

    def _flags(self, row, mapped: set[str], errors: RowErrors) -> list[bool] | None:
        names = [f"rd_management_{i}" for i in range(1, RD_FLAGS + 1)]
        states = [self._state(name, row, mapped) for name in names]
        if all(state == "empty" for state in states):
            return None
        reason = gettext("研发管理的四项应全部填写“是”或“否”，或全部留空表示未提供")
        for name, state in zip(names, states, strict=True):
            if state == "empty":
                errors.add(row.line, self.label_of(name), reason)
        if "empty" in states or "bad" in states:
            return None
        return [row.values[name] for name in names]

    def _scores(self, row, errors: RowErrors) -> dict[str, int]:
        scores = {}
        for code in EXPERT_ITEMS:
            name = f"expert_{code}"
            score = row.values.get(name)
            if score is None:
                continue
            if problem := _score_problem(code, score):
                errors.add(row.line, self.label_of(name), problem)
            else:
                scores[code] = score
        return scores


COMMON_INSTRUCTIONS = (
    _("每行填写一家企业；未填写的项目在评价结果中列为缺失数据（missing），不影响其他项目的计算。"),
    _("金额单位为元；如把表头中的“（元）”改为“（万元）”，该列按万元读取。"),
    _("年平均职工总数、年平均科技人员数：每月平均人数 =（月初人数 + 月末人数）÷ 2，"
      "全年平均 = 12 个月的月平均人数之和 ÷ 12，可带小数；年中成立的企业按实际经营月份计算。"),
    _("Ⅰ类知识产权：发明专利、植物新品种、国家级农作物品种、国家新药、国家一级中药保护品种、集成电路布图设计专有权等；"
      "Ⅱ类：实用新型专利、外观设计专利、软件著作权等（不含商标）。只计有效、归本企业所有的。"),
    _("“是/否”列可从下拉列表选择。整个文件没有任何错误才会评价，有错误时列出全部错误（第N行 列名：问题）。"),
)  # fmt: skip


@register_template
class HteInputSchema(EvaluationSchema):
    kind = "evaluation-hte"
    title = _("高新技术企业认定自评")
    fields = HTE_FIELDS
    instructions = (
        *COMMON_INSTRUCTIONS,
        _("第1年、第2年、第3年：申请认定前的三个会计年度，从早到晚填写（第1年最早）；每年六项（年份、销售收入、总收入、"
          "研发费用、境内研发费用、净资产）应全部填写，不满三年的企业整组留空未经营的年份。"),
        _("研发管理1–4：《高新技术企业认定管理工作指引》研究开发组织管理水平的四个子项，具备相应制度或条件的填“是”，"
          "四项全部留空表示未提供。"),
        _("专家评分各列可不填：填写专家给出的整数分（0 到该项满分）；不填时按该项分值区间的最低分到最高分评价。"),
    )  # fmt: skip
    columns = (
        USCC,
        NAME,
        Column(
            "registration_date", _("注册成立日期"), kind="date", help=_("营业执照上的成立日期"), example="2015-06-18"
        ),
        Column(
            "application_date", _("申请认定日期"), kind="date", help=_("计划提交认定申请的日期"), example="2024-06-30"
        ),
        Column(
            "domain",
            _("技术领域"),
            kind="choice",
            choices=tuple(HitechDomain.choices),
            example="先进制造与自动化",
            help=_(
                "国家重点支持的高新技术领域：可填代码 1–8 或名称（电子信息、生物与新医药、航空航天、新材料、"
                "高技术服务、新能源与节能、资源与环境、先进制造与自动化）"
            ),
        ),
        STAFF,
        ST_STAFF,
        *_year_columns(),
        _money_column(
            "hitech_revenue_last_year",
            _("近一年高新技术产品（服务）收入"),
            _("技术性收入与核心技术属于八大领域的产品（服务）收入之和"),
            "30000000",
        ),
        CLASS1,
        CLASS2,
        _bool_column(
            "own_rd_ip",
            _("有自主研发的知识产权"),
            _("有自主研发取得的知识产权填“是”；全部为受让、受赠、并购等填“否”"),
            "是",
        ),
        Column(
            "conversions_3y",
            _("近三年科技成果转化项数"),
            kind="int",
            example="9",
            help=_("近三年科技成果转化的总项数；同一成果转化为多个产品、服务或工艺只计一项"),
        ),
        _bool_column(
            "standards_drafted", _("参与制定国家或行业标准"), _("参与编制国家标准、行业标准、检测方法、技术规范")
        ),
        *(
            _bool_column(f"rd_management_{i}", label, _("具备相应制度或条件填“是”，否则填“否”"), example)
            for i, (label, example) in enumerate(zip(RD_LABELS, ("是", "是", "否", "是"), strict=True), 1)
        ),
        _bool_column(
            "violation_last_year",
            _("申请前一年内有重大安全、质量事故或严重环境违法行为"),
            _("申请前 365 天内，有则填“是”"),
        ),
        *(
            Column(
                f"expert_{code}",
                format_lazy(_("专家评分：{item}"), item=EXPERT_LABELS[code]),
                kind="int",
                help=format_lazy(_("可不填；0 到 {max} 的整数"), max=maximum),
            )
            for code, maximum in EXPERT_ITEMS.items()
        ),
    )


@register_template
class TsmeInputSchema(EvaluationSchema):
    kind = "evaluation-tsme"
    title = _("科技型中小企业评价自评")
    fields = TSME_FIELDS
    instructions = (
        *COMMON_INSTRUCTIONS,
        _("职工总数、销售收入、资产总额、研发费用、成本费用支出总额：取上一会计年度的数据。"),
        _("成本费用支出总额：主营业务成本、其他业务成本、税金及附加、销售费用、管理费用、财务费用等之和，"
          "以企业所得税年度纳税申报表为准。"),
        _("持有有效期内的高新技术企业证书、近五年获国家级科技奖励并排名前三、拥有省部级以上研发机构、"
          "近五年主导制定国际、国家或行业标准：满足任何一项且基本条件满足，可直接确认符合条件。"),
    )  # fmt: skip
    columns = (
        USCC,
        NAME,
        _bool_column("resident", _("居民企业"), _("在中国境内（不含港澳台）注册的居民企业"), "是"),
        _bool_column("audit_taxation", _("企业所得税查账征收"), _("企业所得税实行查账征收（不是核定征收）"), "是"),
        _bool_column(
            "excluded_industry",
            _("属于不适用研发费用加计扣除的行业"),
            _("烟草制造、住宿和餐饮、批发和零售、房地产、租赁和商务服务、娱乐业等负面清单行业"),
        ),
        _bool_column(
            "violation",
            _("上年及当年有重大事故、严重违法或失信记录"),
            _("重大安全、重大质量事故，严重环境违法，科研严重失信，列入经营异常名录或严重违法失信名单"),
        ),
        Column("staff_total", _("年平均职工总数"), kind="decimal", unit="人", help=STAFF_HELP, example="120"),
        Column(
            "st_staff",
            _("年平均科技人员数"),
            kind="decimal",
            unit="人",
            example="26.5",
            help=_(
                "直接从事研发和相关技术创新活动以及专门从事上述活动管理和提供直接服务的人员，"
                "兼职、临时聘用人员全年须工作 6 个月以上"
            ),
        ),
        _money_column("sales_revenue", _("销售收入"), _("主营业务收入 + 其他业务收入"), "58000000"),
        _money_column("total_assets", _("资产总额"), _("上一会计年度末资产总额"), "76000000"),
        _money_column("rd_expense", _("研发费用"), _("按研发费用加计扣除口径归集的研究开发费用"), "3100000"),
        _money_column("total_costs", _("成本费用支出总额"), _("见“填写说明”"), "52000000"),
        Column("class1_ip", CLASS1.label, kind="int", unit="件", help=CLASS1.help, example="0"),
        Column("class2_ip", CLASS2.label, kind="int", unit="件", help=CLASS2.help, example="5"),
        _bool_column("hte_valid", _("持有有效期内的高新技术企业证书"), _("证书自颁发之日起三年内有效")),
        _bool_column("national_award_top3_5y", _("近五年获国家级科技奖励且排名前三"), _("按获奖单位排名")),
        _bool_column("provincial_rd_institution", _("拥有省部级以上研发机构"), _("经认定的省部级以上研发机构")),
        _bool_column("led_standard_5y", _("近五年主导制定国际、国家或行业标准"), _("主导制定，不含仅参与")),
    )


HTE_SCHEMA = template_schema(HteInputSchema.kind)
TSME_SCHEMA = template_schema(TsmeInputSchema.kind)
SCHEMAS = {"hte": HTE_SCHEMA, "tsme": TSME_SCHEMA}


def _read_xlsx(schema: EvaluationSchema, raw: bytes, filename: str) -> list[dict]:
    try:
        reader = Reader(schema, iter_rows(raw, filename))
        rows = [row for chunk in reader.chunks(None) for row in chunk]
    except TableError as exc:
        raise InputRefused([str(exc)]) from None
    errors = reader.errors
    if not rows and not errors:
        raise InputRefused([gettext("文件中没有企业：请在“数据”工作表第 2 行起每行填写一家企业")])
    mapped = {column.name for _, column, *_ in reader.columns}
    enterprises, seen = [], {}
    for row in rows:
        values = schema.enterprise(row, mapped, errors)
        if values["uscc"] is not None:
            first = seen.setdefault(values["uscc"], row.line)
            if first != row.line:
                errors.add(row.line, schema.label_of("uscc"), gettext("与第{line}行重复").format(line=first))
        enterprises.append(values)
    if errors:
        raise InputRefused(errors.messages)
    return enterprises


def read_inputs(kind: str, raw: bytes, filename: str) -> list[dict]:
    """The enterprises of an evaluation's input file (``kind`` "hte" or "tsme"; a .json or .xlsx file), one dict
    per enterprise in the file's order with exactly the kind's fixed keys; raises InputRefused with every problem.
    Touches no database."""
    schema = SCHEMAS[kind]
    suffix = Path(filename).suffix.lower()
    if suffix == ".json":
        return _read_json(schema.fields, raw)
    if suffix == ".xlsx":
        return _read_xlsx(schema, raw, filename)
    reason = gettext("不支持的文件类型“{suffix}”：请使用 .json 文件或 .xlsx 模板（kechuang template {kind} 生成）")
    raise InputRefused([reason.format(suffix=suffix or filename, kind=schema.kind)])
