"""A plan as a file: the YAML form (an external interface with fixed keys) and the same content as xlsx.

``read_plan(raw, filename)`` parses either form into a ``PlanData`` dict with the YAML's keys, checks every key
and value, and raises ``PlanFileError`` listing every problem in Chinese with where it is (indicator code and
key, or sheet, row and column). ``plan_to_data`` and ``write_yaml`` / ``write_xlsx`` go the other way.
"""

import datetime
import io
from decimal import Decimal, InvalidOperation

import yaml
from django.utils.translation import gettext

from kechuang.core.i18n import join_list

from .choices import Attribute, Direction, Kind

__all__ = [
    "INDICATOR_KEYS",
    "PLAN_KEYS",
    "PlanFileError",
    "definition_problems",
    "plan_to_data",
    "read_plan",
    "write_xlsx",
    "write_yaml",
]

PLAN_KEYS = ("code", "name", "region", "baseline_year", "target_year", "thresholds", "indicators")
THRESHOLD_KEYS = ("ahead", "on_track", "on_track_binding", "lagging")
INDICATOR_KEYS = (
    "code",
    "group",
    "name",
    "unit",
    "precision",
    "growth_precision",
    "kind",
    "direction",
    "attribute",
    "baseline",
    "target",
    "show_cagr",
    "annual_targets",
    "metric",
    "definition",
    "source",
    "department",
    "frequency",
    "revisions",
)
REQUIRED_INDICATOR_KEYS = ("code", "name", "unit", "kind", "target")
TEXT_DEFAULTS = {"group": "", "definition": "", "source": "", "department": "", "frequency": "", "metric": ""}
MAX_BYTES = 2 * 1024 * 1024


class PlanFileError(ValueError):
    """A plan file that cannot be imported; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class _Loader(yaml.SafeLoader):
    """YAML with decimals kept exact (31.7 is Decimal("31.7"), never a float)."""


def _exact(loader, node):
    text = loader.construct_scalar(node)
    try:
        return Decimal(text.replace("_", ""))
    except InvalidOperation:
        return text  # .inf, .nan: reported as not a number by the checks


_Loader.add_constructor("tag:yaml.org,2002:float", _exact)
# Dates stay text until checked, so 2023-13-45 is reported with where it is rather than failing the parser.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


class _Dumper(yaml.SafeDumper):
    pass


def _represent_decimal(dumper, value: Decimal):
    text = f"{value.normalize():f}"
    tag = "tag:yaml.org,2002:int" if "." not in text else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _represent_decimal)


# reading


def read_plan(raw: bytes, filename: str) -> dict:
    """Parse and check a plan file (.yaml/.yml or .xlsx); return the plan with every key filled in."""
    if len(raw) > MAX_BYTES:
        raise PlanFileError([gettext("文件超过 2 MB，规划文件不应这么大，请检查是否选错了文件")])
    name = filename.lower()
    if name.endswith((".yaml", ".yml")):
        data = _read_yaml(raw)
    elif name.endswith(".xlsx"):
        data = _read_xlsx(raw)
    else:
        message = gettext("规划文件须为 YAML（.yaml/.yml）或 Excel（.xlsx）文件：{name}")
        raise PlanFileError([message.format(name=filename)])
    return _checked(data)


def _read_yaml(raw: bytes) -> dict:
    try:
        data = yaml.load(raw.decode("utf-8-sig"), Loader=_Loader)
    except UnicodeDecodeError:
        raise PlanFileError([gettext("YAML 文件须为 UTF-8 编码")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = gettext("第{line}行第{column}列").format(line=mark.line + 1, column=mark.column + 1) if mark else ""
        raise PlanFileError([gettext("YAML 格式错误{where}：{problem}").format(where=where, problem=exc)]) from None
    if not isinstance(data, dict):
        raise PlanFileError([gettext("YAML 文件的最外层须为键值对（code、name、region……）")])
    return data


def _decimal(value, where: str, problems: list[str], *, required: bool = False) -> Decimal | None:
    if value is None or value == "":
        if required:
            problems.append(gettext("{where}：不能为空").format(where=where))
        return None
    if isinstance(value, bool):
        problems.append(gettext("{where}：应为数值，不能是 {value}").format(where=where, value=value))
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        problems.append(gettext("{where}：“{value}”不是数值").format(where=where, value=value))
        return None
    if not number.is_finite():
        problems.append(gettext("{where}：“{value}”不是有限数值").format(where=where, value=value))
        return None
    return number


def _integer(value, where: str, problems: list[str], *, low: int, high: int) -> int | None:
    number = _decimal(value, where, problems, required=True)
    if number is None:
        return None
    if number != number.to_integral_value() or not low <= number <= high:
        problems.append(gettext("{where}：应为 {low}～{high} 的整数").format(where=where, low=low, high=high))
        return None
    return int(number)


def _boolean(value, where: str, problems: list[str]) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1", "是", "显示"):
        return True
    if text in ("false", "no", "0", "否", "不显示"):
        return False
    problems.append(gettext("{where}：应为 true 或 false（是/否），不能是“{value}”").format(where=where, value=value))
    return True


def _date(value, where: str, problems: list[str]) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        message = gettext("{where}：“{value}”不是日期（应为 2023-06-30 这样的格式）")
        problems.append(message.format(where=where, value=value))
        return None


def _choice(value, choices, where: str, problems: list[str], default: str) -> str:
    if value is None or value == "":
        return default
    text = str(value).strip()
    by_label = {str(label): code for code, label in choices.choices}
    if text in choices.values:
        return text
    if text in by_label:
        return by_label[text]
    problems.append(
        gettext("{where}：“{value}”不是可选值（可选：{options}）").format(
            where=where, value=value, options=join_list(choices.values)
        )
    )
    return default


def _unknown(data: dict, allowed: tuple, where: str, problems: list[str]) -> None:
    for key in data:
        if key not in allowed:
            problems.append(
                gettext("{where}：不认识的键“{key}”（可用的键：{keys}）").format(
                    where=where, key=key, keys=", ".join(allowed)
                )
            )


def _checked(data: dict) -> dict:
    """Check every key and value of a parsed plan; fill defaults; raise PlanFileError with every problem."""
    problems: list[str] = []
    _unknown(data, PLAN_KEYS, gettext("规划"), problems)
    for key in ("code", "name", "region"):
        if not str(data.get(key) or "").strip():
            problems.append(gettext("规划：缺少“{key}”").format(key=key))
    plan = {
        "code": str(data.get("code") or "").strip(),
        "name": str(data.get("name") or "").strip(),
        "region": str(data.get("region") or "").strip(),
        "baseline_year": _integer(data.get("baseline_year"), "baseline_year", problems, low=1949, high=2100),
        "target_year": _integer(data.get("target_year"), "target_year", problems, low=1949, high=2100),
        "thresholds": _thresholds(data.get("thresholds"), problems),
        "indicators": [],
    }
    if plan["baseline_year"] and plan["target_year"] and plan["target_year"] <= plan["baseline_year"]:
        problems.append(gettext("规划：target_year 必须晚于 baseline_year"))
    indicators = data.get("indicators")
    if not isinstance(indicators, list) or not indicators:
        problems.append(gettext("规划：indicators 须为非空的指标列表"))
        indicators = []
    seen: set[str] = set()
    for number, item in enumerate(indicators, start=1):
        indicator = _indicator(item, number, plan, problems)
        if indicator is None:
            continue
        if indicator["code"] in seen:
            problems.append(gettext("指标 {code}：指标代码重复").format(code=indicator["code"]))
        seen.add(indicator["code"])
        plan["indicators"].append(indicator)
    if problems:
        raise PlanFileError(problems)
    return plan


def _thresholds(value, problems: list[str]) -> dict[str, Decimal]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(gettext("thresholds：须为键值对，如 {{ahead: 1.10, on_track: 0.90}}"))
        return {}
    _unknown(value, THRESHOLD_KEYS, "thresholds", problems)
    result = {}
    for key in THRESHOLD_KEYS:
        if key in value:
            number = _decimal(value[key], f"thresholds.{key}", problems, required=True)
            if number is not None:
                result[key] = number
    return result


def _indicator(item, number: int, plan: dict, problems: list[str]) -> dict | None:
    if not isinstance(item, dict):
        problems.append(gettext("第{number}个指标：须为键值对").format(number=number))
        return None
    code = str(item.get("code") or "").strip()
    where = gettext("指标 {code}").format(code=code) if code else gettext("第{number}个指标").format(number=number)
    _unknown(item, INDICATOR_KEYS, where, problems)
    for key in REQUIRED_INDICATOR_KEYS:
        if item.get(key) in (None, ""):
            problems.append(gettext("{where}：缺少“{key}”").format(where=where, key=key))
    result = {key: str(item.get(key) or default).strip() for key, default in TEXT_DEFAULTS.items()}
    result |= {
        "code": code,
        "name": str(item.get("name") or "").strip(),
        "unit": str(item.get("unit") or "").strip(),
        "precision": _integer(item.get("precision", 2), f"{where} precision", problems, low=0, high=6),
        "growth_precision": _integer(
            item.get("growth_precision", 2), f"{where} growth_precision", problems, low=0, high=6
        ),
        "kind": _choice(item.get("kind"), Kind, f"{where} kind", problems, Kind.LEVEL),
        "direction": _choice(item.get("direction"), Direction, f"{where} direction", problems, Direction.INCREASE),
        "attribute": _choice(item.get("attribute"), Attribute, f"{where} attribute", problems, Attribute.EXPECTED),
        "baseline": _decimal(item.get("baseline"), f"{where} baseline", problems),
        "target": _decimal(item.get("target"), f"{where} target", problems),
        "show_cagr": _boolean(item.get("show_cagr", True), f"{where} show_cagr", problems),
        "annual_targets": _annual_targets(item.get("annual_targets"), where, plan, problems),
        "revisions": _revisions(item.get("revisions"), where, problems),
    }
    if code and not _is_slug(code):
        problems.append(gettext("{where}：代码只能由字母、数字、下划线和连字符组成").format(where=where))
    _check_metric(result, where, problems)
    return result


def _is_slug(text: str) -> bool:
    return all(c.isascii() and (c.isalnum() or c in "-_") for c in text)


def _check_metric(indicator: dict, where: str, problems: list[str]) -> None:
    problems.extend(
        gettext("{where}：{problem}").format(where=where, problem=problem)
        for problem in definition_problems(
            kind=indicator["kind"], direction=indicator["direction"], unit=indicator["unit"], metric=indicator["metric"]
        )
    )


def definition_problems(*, kind: str, direction: str, unit: str, metric: str) -> list[str]:
    """What is wrong with an indicator's kind, direction, unit and metric together: the one check of the plan file
    and the indicator form."""
    problems = []
    if kind == Kind.CUMULATIVE and direction == Direction.DECREASE:
        # A running total only grows, so "smaller is better" would be met in the first year (plan-monitoring.md
        # defines cumulative indicators in the increasing sense).
        problems.append(gettext("累计值指标只能是“越大越好”（increase）"))
    if not metric:
        return problems
    from .metrics import METRICS, convert

    found = METRICS.get(metric)
    if found is None:
        problems.append(gettext("没有名为“{metric}”的计算指标（可用的见 kechuang plan metrics）").format(metric=metric))
        return problems
    if kind == Kind.CUMULATIVE and found.nature != "flow":
        problems.append(gettext("累计值指标须用按年发生的计算指标，“{metric}”是时点数").format(metric=found.code))
    try:
        convert(Decimal(1), found.unit, unit)
    except ValueError as exc:
        problems.append(str(exc))
    return problems


def _annual_targets(value, where: str, plan: dict, problems: list[str]) -> dict[int, Decimal]:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        problems.append(gettext("{where} annual_targets：须为 {{年份: 目标值}}，如 {{2021: 31.7}}").format(where=where))
        return {}
    low, high = (plan["baseline_year"] or 1949) + 1, plan["target_year"] or 2100
    result = {}
    for year, target in value.items():
        y = _integer(year, f"{where} annual_targets", problems, low=low, high=high)
        number = _decimal(target, f"{where} annual_targets.{year}", problems, required=True)
        if y is not None and number is not None:
            result[y] = number
    return result


def _revisions(value, where: str, problems: list[str]) -> list[dict]:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        problems.append(gettext("{where} revisions：须为列表，每项有 date、target、document").format(where=where))
        return []
    result = []
    for number, item in enumerate(value, start=1):
        at = gettext("{where} revisions 第{number}项").format(where=where, number=number)
        if not isinstance(item, dict):
            problems.append(gettext("{where}：须为键值对").format(where=at))
            continue
        _unknown(item, ("date", "target", "document"), at, problems)
        document = str(item.get("document") or "").strip()
        if not document:
            problems.append(gettext("{where}：缺少批准文件 document").format(where=at))
        revision = {
            "date": _date(item.get("date"), f"{at} date", problems),
            "target": _decimal(item.get("target"), f"{at} target", problems, required=True),
            "document": document,
        }
        result.append(revision)
    return result


# xlsx

SHEET_PLAN, SHEET_INDICATORS, SHEET_TARGETS, SHEET_REVISIONS = "规划", "指标", "年度目标", "目标调整"
PLAN_LABELS = {
    "code": "规划代码",
    "name": "规划名称",
    "region": "区划代码",
    "baseline_year": "基期年",
    "target_year": "目标年",
    "ahead": "快于预期阈值",
    "on_track": "符合预期阈值",
    "on_track_binding": "约束性指标符合预期阈值",
    "lagging": "滞后阈值",
}
INDICATOR_LABELS = {
    "code": "指标代码",
    "group": "分组",
    "name": "指标名称",
    "unit": "单位",
    "precision": "数值小数位",
    "growth_precision": "年均增长小数位",
    "kind": "指标类型",
    "direction": "方向",
    "attribute": "指标属性",
    "baseline": "基期值",
    "target": "目标值",
    "show_cagr": "显示年均增长",
    "metric": "计算指标",
    "definition": "指标口径",
    "source": "数据来源",
    "department": "责任部门",
    "frequency": "更新频率",
}
TARGET_LABELS = {"indicator": "指标代码", "year": "年份", "value": "年度目标值"}
REVISION_LABELS = {"indicator": "指标代码", "date": "调整日期", "target": "调整后目标值", "document": "批准文件"}


def _sheet_rows(book, name: str, labels: dict, problems: list[str]) -> list[tuple[int, dict]]:
    """Rows of a sheet as dicts keyed by the YAML key; headers may be the Chinese label or the key itself."""
    if name not in book.sheet_names:
        return []
    rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    if not rows:
        return []
    by_header = {label: key for key, label in labels.items()} | {key: key for key in labels}
    header = [by_header.get(str(cell).strip()) for cell in rows[0]]
    for index, cell in enumerate(rows[0]):
        if str(cell).strip() and header[index] is None:
            problems.append(
                gettext("“{sheet}”表第1行第{column}列：不认识的表头“{header}”").format(
                    sheet=name, column=index + 1, header=cell
                )
            )
    result = []
    for number, row in enumerate(rows[1:], start=2):
        values = {key: cell for key, cell in zip(header, row, strict=False) if key and cell not in ("", None)}
        if values:
            result.append((number, values))
    return result


def _read_xlsx(raw: bytes) -> dict:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
    except Exception:
        raise PlanFileError([gettext("无法读取该 Excel 文件，请用 WPS 或 Excel 另存为 .xlsx 后重试")]) from None
    problems: list[str] = []
    if SHEET_PLAN not in book.sheet_names or SHEET_INDICATORS not in book.sheet_names:
        raise PlanFileError([gettext("Excel 规划文件须有“规划”和“指标”两张表（可先导出一个规划作为模板）")])
    plan: dict = {"thresholds": {}}
    by_label = {label: key for key, label in PLAN_LABELS.items()} | {key: key for key in PLAN_LABELS}
    for number, row in enumerate(book.get_sheet_by_name(SHEET_PLAN).to_python(), start=1):
        if len(row) < 2 or not str(row[0]).strip():
            continue
        key = by_label.get(str(row[0]).strip())
        if key is None:
            if number > 1:  # the first row may be a header (项目 / 内容)
                problems.append(gettext("“规划”表第{row}行：不认识的项目“{label}”").format(row=number, label=row[0]))
            continue
        value = row[1]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        (plan["thresholds"] if key in THRESHOLD_KEYS else plan)[key] = value if value != "" else None
    indicators = []
    for number, values in _sheet_rows(book, SHEET_INDICATORS, INDICATOR_LABELS, problems):
        if not str(values.get("code") or "").strip():
            problems.append(gettext("“指标”表第{row}行：缺少指标代码").format(row=number))
            continue
        indicators.append({key: _cell(value) for key, value in values.items()})
    by_code = {str(i["code"]).strip(): i for i in indicators}
    for sheet, labels, attach in (
        (SHEET_TARGETS, TARGET_LABELS, _attach_target),
        (SHEET_REVISIONS, REVISION_LABELS, _attach_revision),
    ):
        for number, values in _sheet_rows(book, sheet, labels, problems):
            code = str(values.pop("indicator", "")).strip()
            if code not in by_code:
                message = gettext("“{sheet}”表第{row}行：指标代码“{code}”不在“指标”表中")
                problems.append(message.format(sheet=sheet, row=number, code=code))
                continue
            attach(by_code[code], {key: _cell(value) for key, value in values.items()})
    if problems:
        raise PlanFileError(problems)
    plan["indicators"] = indicators
    if not plan["thresholds"]:
        plan.pop("thresholds")
    return plan


def _cell(value):
    """A cell as YAML would have read it: floats become exact decimals, whole floats integers."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else Decimal(repr(value))
    return value


def _attach_target(indicator: dict, values: dict) -> None:
    indicator.setdefault("annual_targets", {})[values.get("year")] = values.get("value")


def _attach_revision(indicator: dict, values: dict) -> None:
    indicator.setdefault("revisions", []).append(values)


# writing


def plan_to_data(plan) -> dict:
    """A stored plan in the YAML form's keys and order."""
    data = {
        "code": plan.code,
        "name": plan.name,
        "region": plan.region.code,
        "baseline_year": plan.baseline_year,
        "target_year": plan.target_year,
        "thresholds": {key: value.normalize() for key, value in plan.thresholds.as_dict().items()},
        "indicators": [],
    }
    for indicator in plan.indicators.prefetch_related("annual_targets", "revisions"):
        item = {key: getattr(indicator, key) for key in INDICATOR_KEYS if key not in ("annual_targets", "revisions")}
        item["baseline"] = indicator.baseline.normalize() if indicator.baseline is not None else None
        item["target"] = indicator.target.normalize()
        item["metric"] = indicator.metric or None
        for key in ("group", "definition", "source", "department", "frequency"):
            if not item[key]:
                del item[key]
        targets = {t.year: t.value.normalize() for t in indicator.annual_targets.all()}
        if targets:
            item["annual_targets"] = targets
        revisions = [
            {"date": r.date, "target": r.target.normalize(), "document": r.document} for r in indicator.revisions.all()
        ]
        if revisions:
            item["revisions"] = revisions
        data["indicators"].append(item)
    return data


def write_yaml(data: dict) -> bytes:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120).encode()


def write_xlsx(data: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_PLAN
    sheet.append(["项目", "内容"])
    for key in ("code", "name", "region", "baseline_year", "target_year"):
        sheet.append([PLAN_LABELS[key], data[key]])
    for key, value in data.get("thresholds", {}).items():
        sheet.append([PLAN_LABELS[key], value])
    indicators = book.create_sheet(SHEET_INDICATORS)
    indicators.append(list(INDICATOR_LABELS.values()))
    targets = book.create_sheet(SHEET_TARGETS)
    targets.append(list(TARGET_LABELS.values()))
    revisions = book.create_sheet(SHEET_REVISIONS)
    revisions.append(list(REVISION_LABELS.values()))
    for item in data["indicators"]:
        indicators.append([_out(item.get(key)) for key in INDICATOR_LABELS])
        for year, value in item.get("annual_targets", {}).items():
            targets.append([item["code"], year, value])
        for revision in item.get("revisions", []):
            revisions.append([item["code"], revision["date"], revision["target"], revision["document"]])
    for ws in book.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for column in ws.columns:
            ws.column_dimensions[column[0].column_letter].width = 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _out(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value
