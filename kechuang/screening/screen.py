"""The criteria of a pool applied to every organisation in scope at once (年度筛选), column-wise.

The inputs are the columns the national evaluations load (``kechuang.evaluation.selectors``: a handful of set-based
queries whatever the number of organisations), evaluated by their engines as a whole; every criterion is then one
vector operation, with the rows that lie on a bound decided again exactly (``kechuang.evaluation.columns``). Only the
reasons, which are text for each organisation, are written row by row.

What a criterion means:
- ``tsme``: the tech-SME evaluation qualifies; or no basic condition the master file records fails and the score
  route or a direct-qualification route holds (the reason names the basic conditions the master file does not
  record, e.g. tax assessed on the books when the yearly figures do not say, to be checked); or the organisation
  holds a tech-SME registration number (入库登记编号) of the data year or the next.
- ``tsme_or_hte``: ``tsme``, or the high-tech evaluation's verdict is not ``fails``.
- ``no_valid_hte``: no high-tech certificate valid on 31 December of the data year.
- ``registered_years``: whole years from the registration date to 31 December of the data year (``min``/``max``).
- ``revenue_growth``: sales revenue of the data year over the year before, minus 1 (both approved, consecutive).
- ``revenue_cagr_2y``: (revenue of the data year / revenue two years before)^½ − 1; compared as the ratio against
  (1 + bound)², which is exact.
- ``rd_ratio``: R&D expense over sales revenue of the data year.
- ``revenue``: sales revenue of the data year.
A figure that is missing fails the criterion that needs it, and the reason says which figure.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import numpy as np
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.dates import add_years
from kechuang.core.i18n import join_list
from kechuang.core.units import to_wan
from kechuang.evaluation import hte, tsme
from kechuang.evaluation.columns import Frame, Quantity
from kechuang.evaluation.labels import CONDITIONS, ROUTES, VERDICTS
from kechuang.evaluation.selectors import hte_columns, tsme_columns
from kechuang.orgs.choices import CertificateKind
from kechuang.orgs.models import Certificate

from .rules import bound

HUNDRED = Decimal(100)


@dataclass
class Assessment:
    """A pool's criteria over the organisations with approved figures of a year: by organisation id, whether every
    criterion holds, the reasons (one per criterion, in the file's order), the key figures and the ranking values."""

    year: int
    passed: dict[int, bool] = field(default_factory=dict)
    reasons: dict[int, list[dict]] = field(default_factory=dict)
    figures: dict[int, dict] = field(default_factory=dict)
    rank_values: dict[int, tuple] = field(default_factory=dict)

    def missing_reason(self) -> dict:
        text = gettext("无{year}年度已审核的年度数据").format(year=self.year)
        return {"code": "figures", "passed": False, "text": text}


def assess(*, user, year: int, pool: dict, organisations=None) -> Assessment:
    """Apply ``pool`` (its criteria as in the YAML file) to every organisation in ``user``'s scope (the system's with
    None) with approved figures for ``year``, or to those of ``organisations`` among them."""
    high = hte_columns(user=user, year=year, organisations=organisations)
    small = tsme_columns(user=user, year=year, organisations=organisations)
    ids = high["organisation_id"]
    result = Assessment(year=year)
    if not ids:
        return result
    # Both loaders read the same organisations in the same order (approved figures of the year, by id).
    if small["organisation_id"] != ids:
        raise RuntimeError("the evaluation loaders disagree on the organisations")
    criteria = pool.get("criteria") or {}
    values = _values(high, year)
    tests: dict[str, np.ndarray] = {}
    texts: dict[str, list[str]] = {}
    needs_tsme = "tsme" in criteria or "tsme_or_hte" in criteria
    needs_hte = "tsme_or_hte" in criteria or "hte_total_max" in (pool.get("rank") or ())
    small_eval = tsme.Evaluation(columns=small) if needs_tsme else None
    high_eval = hte.Evaluation(columns=high) if needs_hte else None
    if needs_tsme:
        held = _tsme_registered(ids, year)
        tsme_ok, tsme_text = _tsme(small_eval, ids, held)
    for name in criteria:
        if name == "tsme":
            tests[name], texts[name] = tsme_ok, tsme_text
        elif name == "tsme_or_hte":
            hte_ok = high_eval.verdict != "fails"
            tests[name] = tsme_ok | hte_ok
            texts[name] = [_tsme_or_hte_text(t, tsme_ok[i], high_eval, i) for i, t in enumerate(tsme_text)]
        elif name == "no_valid_hte":
            valid = np.array([bool(v) for v in small["hte_valid"]], dtype=bool)
            tests[name] = ~valid
            texts[name] = [
                gettext("数据年度末持有有效期内的高新技术企业证书")
                if v
                else gettext("数据年度末无有效期内的高新技术企业证书")
                for v in valid
            ]
        elif name == "scoring_model":
            tests[name], texts[name] = _scoring_model(user, year, ids, criteria[name]["code"])
        else:
            tests[name], texts[name] = MEASURES[name](values, pool, name)
    passed = np.logical_and.reduce(list(tests.values())) if tests else np.ones(len(ids), dtype=bool)
    rank = pool.get("rank") or ()
    for i, pk in enumerate(ids):
        result.passed[pk] = bool(passed[i])
        result.reasons[pk] = [
            {"code": name, "passed": bool(tests[name][i]), "text": texts[name][i]} for name in criteria
        ]
        result.figures[pk] = _figures(values, i, high_eval)
        result.rank_values[pk] = tuple(result.figures[pk].get(key) for key in rank)
    return result


# --- the figures the criteria read ---------------------------------------------------------------------------


@dataclass
class Values:
    frame: Frame
    registration: list
    day: datetime.date
    growth: Quantity
    cagr_ratio: Quantity
    rd_ratio: Quantity
    revenue: Quantity
    staff: list
    st_staff: list


def _values(high: dict, year: int) -> Values:
    """The data year's revenue, the two years before it (from the consecutive years the high-tech loader placed in
    its slots, oldest first) and the R&D expense, as one frame."""
    count = high["years"]

    def back(k: int, name: str) -> list:
        return [high[f"{name}_{n - k}"][i] if n - k >= 1 else None for i, n in enumerate(count)]

    frame = Frame(
        {
            "rev": back(0, "sales_revenue"),
            "prev": back(1, "sales_revenue"),
            "prev2": back(2, "sales_revenue"),
            "rd": back(0, "rd_expense"),
        }
    )
    positive = {
        name: Quantity(frame, lambda c, n=name: getattr(c, n), one_rounding=True).above(0)
        for name in ("rev", "prev", "prev2")
    }
    return Values(
        frame=frame,
        registration=high["registration_date"],
        day=datetime.date(year, 12, 31),
        growth=Quantity(frame, lambda c: c.rev / c.prev - 1, frame.known("rev") & positive["prev"]),
        cagr_ratio=Quantity(frame, lambda c: c.rev / c.prev2, frame.known("rev") & positive["prev2"]),
        rd_ratio=Quantity(frame, lambda c: c.rd / c.rev, frame.known("rd") & positive["rev"]),
        revenue=Quantity(frame, lambda c: c.rev, frame.known("rev"), one_rounding=True),
        staff=high["staff_total"],
        st_staff=high["st_staff"],
    )


def _registered_years(values: Values, pool: dict, name: str):
    """Registered at least ``min`` / at most ``max`` whole years by 31 December: two date comparisons per column."""
    low, high = bound(pool, name, "min"), bound(pool, name, "max")
    dates = np.array(values.registration, dtype="datetime64[D]")
    known = ~np.isnat(dates)
    ok = known.copy()
    with np.errstate(invalid="ignore"):
        if low is not None:
            ok &= dates <= np.datetime64(add_years(values.day, -int(low)))
        if high is not None:
            ok &= dates >= np.datetime64(add_years(values.day, -int(high)))
    limit = " ".join(
        part
        for part in (
            gettext("须满 {n} 年").format(n=int(low)) if low is not None else "",
            gettext("须不超过 {n} 年").format(n=int(high)) if high is not None else "",
        )
        if part
    )
    texts = [
        gettext("成立于 {date}，至 {day} 成立 {age} 年（{limit}）").format(
            date=registered.isoformat(),
            day=values.day.isoformat(),
            age=_whole_years(registered, values.day),
            limit=limit,
        )
        if registered is not None
        else gettext("成立日期未登记，无法判断成立年限")
        for registered in values.registration
    ]
    return ok, texts


def _ratio_criterion(quantity_of, what: str, missing: str):
    def measure(values: Values, pool: dict, name: str):
        quantity, minimum = quantity_of(values), bound(pool, name, "min")
        ok = quantity.at_least(minimum)
        texts = []
        for i in range(values.frame.size):
            value = quantity.exact(i)
            if value is None:
                texts.append(str(missing))
            else:
                texts.append(
                    gettext("{what} {value}%（标准：不低于 {bound}%）").format(
                        what=what, value=_percent(value), bound=_percent(Fraction(minimum))
                    )
                )
        return ok, texts

    return measure


def _revenue_growth(values: Values, pool: dict, name: str):
    ok, texts = _ratio_criterion(
        lambda v: v.growth,
        gettext("销售收入比上年增长"),
        gettext("缺少上一年度已审核的销售收入（或上年销售收入为 0），无法计算增长率"),
    )(values, pool, name)
    return ok, [_with_amounts(t, values, i, "prev") for i, t in enumerate(texts)]


def _revenue_cagr(values: Values, pool: dict, name: str):
    minimum = bound(pool, name, "min")
    ok = values.cagr_ratio.at_least((1 + minimum) ** 2)
    texts = []
    for i in range(values.frame.size):
        ratio = values.cagr_ratio.exact(i)
        if ratio is None:
            texts.append(gettext("缺少前两个年度已审核的销售收入（或当年为 0），无法计算两年复合增长率"))
            continue
        text = gettext("近两年销售收入年均复合增长 {value}%（标准：不低于 {bound}%）").format(
            value=_percent(_cagr(ratio)), bound=_percent(Fraction(minimum))
        )
        texts.append(_with_amounts(text, values, i, "prev2"))
    return ok, texts


def _revenue(values: Values, pool: dict, name: str):
    minimum = bound(pool, name, "min")
    ok = values.revenue.at_least(minimum)
    texts = []
    for i in range(values.frame.size):
        amount = values.frame.exact["rev"][i]
        if amount is None:
            texts.append(gettext("缺少销售收入"))
        else:
            texts.append(
                gettext("销售收入 {amount} 万元（标准：不低于 {bound} 万元）").format(
                    amount=_wan(amount), bound=_wan(minimum)
                )
            )
    return ok, texts


MEASURES = {
    "registered_years": _registered_years,
    "revenue_growth": _revenue_growth,
    "revenue_cagr_2y": _revenue_cagr,
    "rd_ratio": _ratio_criterion(
        lambda v: v.rd_ratio, _("研发费用占销售收入比例"), _("缺少研发费用或销售收入，无法计算研发费用占比")
    ),
    "revenue": _revenue,
}


# --- a county scheme: a published enterprise scoring model with a pass score --------------------------------------


def _scoring_model(user, year: int, ids: list[int], code: str) -> tuple[np.ndarray, list[str]]:
    """Whether each organisation meets the pass score of the published enterprise scoring model ``code`` (树标提质 and
    other county schemes) with its figures of ``year``; missing data fails it, named."""
    from kechuang.scoring.choices import Verdict
    from kechuang.scoring.engine import format_number, score
    from kechuang.scoring.fields import enterprises
    from kechuang.scoring.selectors import rules, schemes

    model = schemes().filter(code=code).first()
    if model is None:
        text = gettext("评价模型“{code}”没有已发布、设有达标分数线的版本").format(code=code)
        return np.zeros(len(ids), dtype=bool), [text] * len(ids)
    population = enterprises(user=user, year=year, organisations=ids)
    criteria = rules(model)
    outcomes = {pk: score(criteria, population.row(i), model.pass_score) for i, pk in enumerate(population.ids)}
    title = gettext("“{name}”（第 {version} 版）").format(name=model.name, version=model.version)
    ok, texts = np.zeros(len(ids), dtype=bool), []
    for i, pk in enumerate(ids):
        outcome = outcomes.get(pk)
        if outcome is None:
            texts.append(gettext("{model}：无已审核的年度数据").format(model=title))
            continue
        ok[i] = outcome.verdict == Verdict.MEETS
        text = gettext("{model}得分 {total} 分（达标线 {line} 分）").format(
            model=title, total=format_number(outcome.total), line=format_number(model.pass_score)
        )
        if outcome.missing:
            text += gettext("；缺少数据：{fields}").format(fields=join_list(outcome.missing))
        texts.append(text)
    return ok, texts


# --- tech SME and high-tech evaluations ----------------------------------------------------------------------


def _tsme_registered(ids: list[int], year: int) -> set[int]:
    """Organisations holding a tech-SME registration number of the data year or the next (valid for its year)."""
    return set(
        Certificate.objects.filter(
            kind=CertificateKind.TSME, year__in=(year, year + 1), organisation__in=ids, revoked_date__isnull=True
        ).values_list("organisation_id", flat=True)
    )


def _tsme(evaluation, ids: list[int], held: set[int]) -> tuple[np.ndarray, list[str]]:
    known_fail = np.zeros(len(ids), dtype=bool)
    for code in tsme.BASIC:
        known, ok = evaluation.conditions[code]
        known_fail |= known & ~ok
    route = np.array([r is not None for r in evaluation.route], dtype=bool)
    on_data = ~known_fail & route
    registered = np.array([pk in held for pk in ids], dtype=bool)
    passed = evaluation.qualifies | on_data | registered
    texts = []
    for i in range(len(ids)):
        total = int(evaluation.total[i])
        if registered[i]:
            texts.append(gettext("已取得科技型中小企业入库登记编号"))
        elif evaluation.qualifies[i] or on_data[i]:
            unknown = [str(CONDITIONS["tsme"][code]) for code in tsme.BASIC if not evaluation.conditions[code][0][i]]
            texts.append(_route_text(evaluation.route[i], total, unknown=[] if evaluation.qualifies[i] else unknown))
        else:
            failed = [
                str(CONDITIONS["tsme"][code])
                for code in tsme.BASIC
                if evaluation.conditions[code][0][i] and not evaluation.conditions[code][1][i]
            ]
            if failed:
                texts.append(gettext("科技型中小企业基本条件不符合：{conditions}").format(conditions=join_list(failed)))
            else:
                texts.append(
                    gettext(
                        "科技型中小企业评价得分 {total} 分（须不低于 60 分且科技人员得分不为 0），且无直接认定情形"
                    ).format(total=total)
                )
    return passed, texts


def _route_text(route: str, total: int, *, unknown: list[str]) -> str:
    """The tech-SME route that holds; the basic conditions the master file does not record, to be checked."""
    if route == "score":
        text = gettext("科技型中小企业评价得分 {total} 分，符合评价条件").format(total=total)
    else:
        text = gettext("符合科技型中小企业直接认定条件：{route}").format(route=ROUTES[route])
    if not unknown:
        return text
    return gettext("{text}（按档案数据；档案未登记“{conditions}”，请核实）").format(
        text=text, conditions=join_list(unknown)
    )


def _tsme_or_hte_text(tsme_text: str, tsme_ok: bool, evaluation, i: int) -> str:
    verdict = str(evaluation.verdict[i])
    low, high = int(evaluation.total_low[i]), int(evaluation.total_high[i])
    hte_text = gettext("高新技术企业评价：{verdict}（创新能力评价得分 {low}–{high} 分）").format(
        verdict=VERDICTS[verdict], low=low, high=high
    )
    return f"{tsme_text}；{hte_text}" if tsme_ok or verdict == "fails" else f"{hte_text}；{tsme_text}"


# --- figures, text -------------------------------------------------------------------------------------------


def _figures(values: Values, i: int, high_eval) -> dict:
    """The key figures stored with a candidate (JSON: amounts and ratios as strings, exact)."""

    def text(value):
        return None if value is None else str(value)

    def ratio(quantity):
        value = quantity.exact(i)
        return None if value is None else str(_decimal(value))

    cagr = values.cagr_ratio.exact(i)
    found = {
        "revenue": text(values.frame.exact["rev"][i]),
        "revenue_previous": text(values.frame.exact["prev"][i]),
        "revenue_growth": ratio(values.growth),
        "revenue_cagr_2y": None if cagr is None else str(_decimal(_cagr(cagr))),
        "rd_ratio": ratio(values.rd_ratio),
        "staff_total": values.staff[i],
        "st_staff": values.st_staff[i],
    }
    if high_eval is not None:
        found["hte_verdict"] = str(high_eval.verdict[i])
        found["hte_total_min"] = int(high_eval.total_low[i])
        found["hte_total_max"] = int(high_eval.total_high[i])
    return found


def rank_key(values: tuple) -> tuple:
    """Sort key for ``sorted``: every ranking value from high to low, a missing value last."""
    return tuple((value is None, -Decimal(str(value)) if value is not None else 0) for value in values)


def _whole_years(start: datetime.date, day: datetime.date) -> int:
    years = day.year - start.year
    return years if add_years(start, years) <= day else years - 1


def _cagr(ratio: Fraction) -> Fraction:
    """√ratio − 1, for display and storage (the comparison uses the ratio itself)."""
    root = (Decimal(ratio.numerator) / Decimal(ratio.denominator)).sqrt()
    return Fraction(root) - 1


def _decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.000001"))


def _percent(value: Fraction) -> str:
    return f"{(Decimal(value.numerator) * HUNDRED / Decimal(value.denominator)).quantize(Decimal('0.01')):f}"


def _wan(amount) -> str:
    return f"{to_wan(Decimal(amount)):,}"


def _with_amounts(text: str, values: Values, i: int, earlier: str) -> str:
    before, now = values.frame.exact[earlier][i], values.frame.exact["rev"][i]
    if before is None or now is None:
        return text
    return gettext("{text}：{before} 万元 → {now} 万元").format(text=text, before=_wan(before), now=_wan(now))
