"""The metric catalogue of plan monitoring (指标目录): named figures computed from the registries.

A metric is a figure of a region subtree for a calendar year — a stock on 31 December, a flow during the year, or
a ratio — computed by set-based SQL from the records of one registry, for all the years asked in one to three
queries; every value can be drilled down to the records behind it (``metric_records``). Plans bind an indicator to
a metric by its code; ``convert`` brings a value from the metric's unit into the indicator's.

Rules every metric follows (its ``description`` states its own 口径):

- the region counts with its whole subtree (``path`` prefix), each record placed the way its registry places it;
- yearly figures count only when approved (已审核); a year without any approved figures in the subtree is None;
- per-resident figures divide by the resident population at the end of the year: the region's own row, or when it
  has none, the sum of its children's rows (each child valid at that year end must have one; otherwise None);
- a year after the current one is None (nothing can be recorded for it yet); a year with data and nothing that
  counts is 0;
- values are unrounded Decimals; percentages as printed (18.45 for 18.45 %), money in 元.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.achievements.models import Achievement, Conversion, TechContract
from kechuang.achievements.selectors import in_region
from kechuang.activities.models import PopularisationSpending
from kechuang.carriers.choices import INNOVATION_PLATFORMS, CarrierKind
from kechuang.carriers.models import Carrier, carrier_in_region_q, carrier_valid_q
from kechuang.core.access import restrict
from kechuang.ip.models import INVENTION_TYPES, Patent
from kechuang.ip.selectors import CATEGORY_TYPES, patents, valid_q
from kechuang.orgs.choices import CertificateKind, RecognitionLevel
from kechuang.orgs.models import AnnualFigures, Certificate, Organisation
from kechuang.orgs.selectors import approved_figures, hte_valid_q
from kechuang.regions.models import Population, Region
from kechuang.talent.choices import TitleLevel
from kechuang.talent.models import Person, person_region_q
from kechuang.talent.selectors import level_q, researchers

__all__ = ["METRICS", "Metric", "UnknownMetric", "convert", "metric_records", "metric_values", "populations"]

HUNDRED = Decimal(100)
TEN_THOUSAND = Decimal(10_000)
# 国民经济行业分类 sections that make up 工业: mining, manufacturing, power/gas/water.
INDUSTRIAL_SECTIONS = ("B", "C", "D")


@dataclass(frozen=True)
class Metric:
    """A named figure of the catalogue: what it counts, in which unit, and the records behind it."""

    code: str
    name: str
    unit: str
    nature: str  # stock (31 December) | flow (during the year) | ratio
    description: str
    model: str  # label of the records behind the value (for a ratio: of its numerator)


class UnknownMetric(KeyError, ValueError):
    """A code that is not in the catalogue."""

    def __str__(self):
        return str(self.args[0]) if self.args else ""


# --- dates and places ------------------------------------------------------------------------------------------


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def _dated(field: str, first: int, last: int) -> Q:
    """Dates in the years first..last, as a range an index on the field serves."""
    return Q(**{f"{field}__gte": datetime.date(first, 1, 1), f"{field}__lte": year_end(last)})


def _orgs_in(region: Region) -> Q:
    return Q(organisation__region__path__startswith=region.path)


def _region_valid_q(day: datetime.date, prefix: str = "") -> Q:
    """The rule of ``RegionQuerySet.valid_on`` as a condition (a region abolished on a day no longer exists)."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


def populations(region: Region, years: list[int]) -> dict[int, int | None]:
    """Resident population of the region at the end of each year: its own row, else the sum of its children's
    rows when every child valid at that year end has one (a partial sum would inflate a per-resident figure)."""
    own = dict(Population.objects.filter(region=region, year__in=years).values_list("year", "resident"))
    missing = [y for y in years if y not in own]
    if missing:
        aggregates = {}
        for y in missing:
            valid, rows = _region_valid_q(year_end(y)), Q(populations__year=y)
            aggregates |= {
                f"children{y}": Count("pk", filter=valid, distinct=True),
                f"rows{y}": Count("populations", filter=valid & rows),
                f"total{y}": Sum("populations__resident", filter=valid & rows),
            }
        found = Region.objects.filter(parent=region).aggregate(**aggregates)
        own |= {y: found[f"total{y}"] for y in missing if found[f"children{y}"] == found[f"rows{y}"] > 0}
    return {y: own.get(y) for y in years}


# --- how a metric is computed ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Records:
    """Records of a registry counted (or a field summed) for each year, in one query for all years.

    ``rows(region)`` are the subtree's records, ``when(year)`` those of one year, ``span(first, last)`` a wider
    condition an index can serve. ``distinct`` counts distinct values of a field instead of rows; ``drill`` gives
    other records behind the value (the organisations behind certificates). ``none_if_empty``: a year without
    any record has no data (a yearly return such as popularisation spending), rather than 0.
    """

    rows: Callable[[Region], QuerySet]
    when: Callable[[int], Q]
    span: Callable[[int, int], Q] = lambda first, last: Q()
    measure: str = ""
    distinct: str = ""
    none_if_empty: bool = False
    drill: Callable[[Region, int], QuerySet] | None = None

    def values(self, region: Region, years: list[int]) -> dict[int, Decimal | None]:
        aggregates = {}
        for y in years:
            aggregates[f"n{y}"] = Count(self.distinct or "pk", filter=self.when(y), distinct=bool(self.distinct))
            if self.measure:
                aggregates[f"s{y}"] = Sum(self.measure, filter=self.when(y))
        totals = self.rows(region).filter(self.span(min(years), max(years))).aggregate(**aggregates)
        return {y: self._value(totals, y) for y in years}

    def _value(self, totals: dict, year: int) -> Decimal | None:
        if self.none_if_empty and not totals[f"n{year}"]:
            return None
        if self.measure:
            return Decimal(totals[f"s{year}"] or 0)
        return Decimal(totals[f"n{year}"])

    def records(self, region: Region, year: int) -> QuerySet:
        if self.drill is not None:
            return self.drill(region, year)
        return self.rows(region).filter(self.when(year))


@dataclass(frozen=True)
class _Figures:
    """Approved yearly figures (年度数据) of the subtree's organisations: those ``where`` selects (and, with
    ``hte``, only of organisations holding a valid high-tech certificate at that year's end), counted or with
    ``measure`` summed; with ``over`` (field, condition) a percentage of that field's sum. A year without any
    approved figures in the subtree is None, and so is a percentage over nothing."""

    where: Q | None = None
    measure: str = ""
    hte: bool = False
    over: tuple[str, Q] | None = None

    def values(self, region: Region, years: list[int]) -> dict[int, Decimal | None]:
        aggregates = {}
        for y in years:
            # Every condition sits in a FILTER over one pass of the subtree's figures: the certificate test as an
            # uncorrelated IN, which the database evaluates once per query (PostgreSQL: a hashed SubPlan), and the
            # industry through LEFT joins, so the region's prefix stays what the plan starts from.
            this_year, part = Q(year=y), self._part_q(y)
            aggregates[f"n{y}"] = Count("pk", filter=this_year)
            aggregates[f"v{y}"] = Sum(self.measure, filter=part) if self.measure else Count("pk", filter=part)
            if self.over:
                aggregates[f"d{y}"] = Sum(self.over[0], filter=this_year & self.over[1])
        totals = self._figures(region, years).aggregate(**aggregates)
        return {y: self._value(totals, y) for y in years}

    def _figures(self, region: Region, years: list[int]) -> QuerySet:
        return approved_figures().filter(_orgs_in(region), year__in=years)

    def _part_q(self, year: int) -> Q:
        part = Q(year=year) & self.where if self.where else Q(year=year)
        return part & Q(organisation__in=_hte_holder_ids(year)) if self.hte else part

    def _value(self, totals: dict, year: int) -> Decimal | None:
        if not totals[f"n{year}"]:
            return None
        value = Decimal(totals[f"v{year}"] or 0)
        if self.over is None:
            return value
        return value / totals[f"d{year}"] * HUNDRED if totals[f"d{year}"] else None

    def records(self, region: Region, year: int) -> QuerySet:
        return self._figures(region, [year]).filter(self._part_q(year))


def _hte_holder_ids(year: int) -> QuerySet:
    """Organisations holding a high-tech certificate valid at the end of the year (for an uncorrelated IN)."""
    return Certificate.objects.filter(hte_valid_q(year_end(year))).values("organisation")


@dataclass(frozen=True)
class _PerCapita:
    """A numerator per resident (``per`` = 1) or per 10,000 residents, over ``populations``."""

    numerator: _Records
    per: Decimal

    def values(self, region: Region, years: list[int]) -> dict[int, Decimal | None]:
        amounts, residents = self.numerator.values(region, years), populations(region, years)
        return {
            y: amounts[y] * self.per / residents[y] if amounts[y] is not None and residents[y] else None for y in years
        }

    def records(self, region: Region, year: int) -> QuerySet:
        return self.numerator.records(region, year)


@dataclass(frozen=True)
class _Roster:
    """A flag without dates (研发人员): the registry keeps no history, so every year shows the current roster."""

    rows: Callable[[Region], QuerySet]

    def values(self, region: Region, years: list[int]) -> dict[int, Decimal | None]:
        count = Decimal(self.rows(region).count())
        return dict.fromkeys(years, count)

    def records(self, region: Region, year: int) -> QuerySet:
        return self.rows(region)


# --- the registries' records -----------------------------------------------------------------------------------


def _hte_on(day: datetime.date, holder: str) -> Exists:
    """Whether the organisation at ``holder`` (an OuterRef path) holds a high-tech certificate valid on the day."""
    return Exists(Certificate.objects.filter(hte_valid_q(day), organisation=OuterRef(holder)))


def _hte_certificates(region: Region) -> QuerySet:
    return Certificate.objects.filter(_orgs_in(region), kind=CertificateKind.HTE)


def _hte_holders(region: Region, year: int) -> QuerySet:
    return Organisation.objects.filter(region__path__startswith=region.path).filter(_hte_on(year_end(year), "pk"))


def _new_hte_q(year: int) -> Q:
    """Holding a valid certificate at the end of the year and not at the end of the year before."""
    return Q(_hte_on(year_end(year), "pk")) & ~Q(_hte_on(year_end(year - 1), "pk"))


def _above_scale_hte_candidates(region: Region) -> QuerySet:
    has_certificate = Exists(Certificate.objects.filter(kind=CertificateKind.HTE, organisation=OuterRef("pk")))
    return Organisation.objects.filter(region__path__startswith=region.path, above_scale=True).filter(has_certificate)


def _tsme_q(year: int) -> Q:
    """Tech-SME registrations (入库登记) of the year not cancelled by its end."""
    return Q(kind=CertificateKind.TSME, year=year) & (Q(revoked_date__isnull=True) | Q(revoked_date__gt=year_end(year)))


def _tsme_holders(region: Region, year: int) -> QuerySet:
    registered = Certificate.objects.filter(_tsme_q(year), organisation=OuterRef("pk"))
    return Organisation.objects.filter(region__path__startswith=region.path).filter(Exists(registered))


ABOVE_SCALE_INDUSTRY = Q(organisation__above_scale=True, organisation__industry__section__code__in=INDUSTRIAL_SECTIONS)


def _patent_flow(field: str, category: str | None) -> _Records:
    def rows(region: Region) -> QuerySet:
        qs = patents(region=region)
        return qs.filter(patent_type__in=CATEGORY_TYPES[category]) if category else qs

    return _Records(rows=rows, when=lambda y: _dated(field, y, y), span=lambda a, b: _dated(field, a, b))


VALID_INVENTIONS = _Records(
    rows=lambda region: patents(region=region).filter(patent_type__in=INVENTION_TYPES),
    when=lambda y: valid_q(year_end(y)),
    span=lambda first, last: Q(grant_date__lte=year_end(last)),  # an index on (type, grant date) serves it
)


def _professionals(level: str) -> _Records:
    return _Records(
        rows=lambda region: Person.objects.filter(person_region_q(region.path)),
        when=lambda y: level_q(level, year_end(y)),
    )


def _carriers(kinds, level: str | None = None) -> _Records:
    def rows(region: Region) -> QuerySet:
        qs = Carrier.objects.filter(carrier_in_region_q(region.path), kind__in=list(kinds))
        return qs.filter(level=level) if level else qs

    return _Records(
        rows=rows, when=lambda y: carrier_valid_q(year_end(y)), span=lambda a, b: Q(recognised_date__lte=year_end(b))
    )


def _registered(model, field: str, measure: str = "", **conditions) -> _Records:
    return _Records(
        rows=lambda region: in_region(model.objects.filter(**conditions), region),
        when=lambda y: _dated(field, y, y),
        span=lambda a, b: _dated(field, a, b),
        measure=measure,
    )


def _conversions(**conditions) -> _Records:
    return _Records(
        rows=lambda region: in_region(Conversion.objects.filter(**conditions), region),
        when=lambda y: Q(year=y),
        span=lambda a, b: Q(year__gte=a, year__lte=b),
    )


POPULARISATION_SPENDING = _Records(
    rows=lambda region: PopularisationSpending.objects.filter(region__path__startswith=region.path),
    when=lambda y: Q(year=y),
    span=lambda a, b: Q(year__gte=a, year__lte=b),
    measure="amount",
    none_if_empty=True,
)


# --- the catalogue ---------------------------------------------------------------------------------------------

ORGANISATION, FIGURES = Organisation._meta.label_lower, AnnualFigures._meta.label_lower
PATENT, PERSON, CARRIER = Patent._meta.label_lower, Person._meta.label_lower, Carrier._meta.label_lower

_CATALOGUE: list[tuple[Metric, object]] = [
    (
        Metric(
            "hte.count",
            _("高新技术企业数"),
            "家",
            "stock",
            _("12月31日持有有效期内高新技术企业证书（未撤销）的单位数，按单位所在区划统计"),
            ORGANISATION,
        ),
        _Records(
            rows=_hte_certificates,
            when=lambda y: hte_valid_q(year_end(y)),
            span=lambda a, b: Q(issue_date__lte=year_end(b), valid_until__gte=year_end(a)),
            distinct="organisation",
            drill=_hte_holders,
        ),
    ),
    (
        Metric(
            "hte.revenue",
            _("高新技术企业营业收入"),
            "元",
            "flow",
            _(
                "当年12月31日有效的高新技术企业，其已审核年度数据中的总收入（营业收入）合计；该年没有已审核年度数据时为空"
            ),
            FIGURES,
        ),
        _Figures(measure="total_income", hte=True),
    ),
    (
        Metric(
            "hte.output_share",
            _("规上高新技术企业总产值占工业总产值的比重"),
            "%",
            "ratio",
            _(
                "规模以上工业企业中当年12月31日有效的高新技术企业的工业总产值，占全部规模以上工业企业工业总产值的百分比"
                "（已审核年度数据；工业指国民经济行业分类B、C、D门类）"
            ),
            FIGURES,
        ),
        _Figures(
            where=ABOVE_SCALE_INDUSTRY,
            measure="industrial_output",
            hte=True,
            over=("industrial_output", ABOVE_SCALE_INDUSTRY),
        ),
    ),
    (
        Metric(
            "hte.new_above_scale",
            _("新增规模以上高新技术企业"),
            "家",
            "flow",
            _("当年12月31日持有有效高新技术企业证书、上年12月31日未持有的规模以上企业数（首次认定或中断后重新认定）"),
            ORGANISATION,
        ),
        _Records(rows=_above_scale_hte_candidates, when=_new_hte_q),
    ),
    (
        Metric(
            "tsme.count",
            _("科技型中小企业"),
            "家",
            "flow",
            _("当年入库登记（年底前未被移出）的科技型中小企业数"),
            ORGANISATION,
        ),
        _Records(
            rows=lambda region: Certificate.objects.filter(_orgs_in(region), kind=CertificateKind.TSME),
            when=_tsme_q,
            span=lambda a, b: Q(year__gte=a, year__lte=b),
            distinct="organisation",
            drill=_tsme_holders,
        ),
    ),
    (
        Metric(
            "industry.above_scale_count",
            _("规模以上工业企业数"),
            "家",
            "stock",
            _("有当年已审核年度数据的规模以上工业企业数（工业指国民经济行业分类B、C、D门类）"),
            FIGURES,
        ),
        _Figures(where=ABOVE_SCALE_INDUSTRY),
    ),
    (
        Metric(
            "industry.above_scale_output",
            _("规模以上工业总产值"),
            "元",
            "flow",
            _("规模以上工业企业当年已审核年度数据中的工业总产值合计"),
            FIGURES,
        ),
        _Figures(where=ABOVE_SCALE_INDUSTRY, measure="industrial_output"),
    ),
    (
        Metric(
            "industry.rd_ratio",
            _("规模以上工业企业研发经费支出与主营业务收入之比"),
            "%",
            "ratio",
            _("规模以上工业企业当年已审核年度数据中研究开发费用合计占销售收入（主营业务收入）合计的百分比"),
            FIGURES,
        ),
        _Figures(where=ABOVE_SCALE_INDUSTRY, measure="rd_expense", over=("sales_revenue", ABOVE_SCALE_INDUSTRY)),
    ),
]


def _patent_entries() -> list[tuple[Metric, _Records]]:
    """Applications and grants, in total and by category (PCT entries counted with their national kind)."""
    kinds = (
        (None, _("专利")),
        ("invention", _("发明专利")),
        ("utility", _("实用新型专利")),
        ("design", _("外观设计专利")),
    )
    flows = (
        ("application_date", "applications", _("{kind}申请量"),
         _("当年申请（按申请日）的{kind}件数，按第一专利权人所在区划统计")),
        ("grant_date", "grants", _("{kind}授权量"),
         _("当年授权（按授权公告日）的{kind}件数，按第一专利权人所在区划统计")),
    )  # fmt: skip
    entries = []
    for field, what, label, rule in flows:
        for category, kind in kinds:
            code = f"patents.{what}_{category}" if category else f"patents.{what}"
            pct = _("（含PCT进入中国国家阶段）") if category != "design" else ""
            description = format_lazy("{}{}", format_lazy(rule, kind=kind), pct)
            metric = Metric(code, format_lazy(label, kind=kind), "件", "flow", description, PATENT)
            entries.append((metric, _patent_flow(field, category)))
    return entries


_CATALOGUE += _patent_entries()

_CATALOGUE += [
    (
        Metric(
            "patents.valid_inventions",
            _("有效发明专利拥有量"),
            "件",
            "stock",
            _("12月31日处于有效状态（已授权、未失效）的发明专利件数（含PCT），按第一专利权人所在区划统计"),
            PATENT,
        ),
        VALID_INVENTIONS,
    ),
    (
        Metric(
            "patents.inventions_per_10k",
            _("每万人口发明专利拥有量"),
            "件/万人",
            "ratio",
            _(
                "12月31日有效发明专利件数除以年末常住人口（万人）；本区划没有人口数据时取各下级区划之和，缺任一下级则为空"
            ),
            PATENT,
        ),
        _PerCapita(VALID_INVENTIONS, TEN_THOUSAND),
    ),
    (
        Metric(
            "achievements.registered",
            _("科技成果登记数"),
            "项",
            "flow",
            _("当年登记（按登记日期）的科技成果项数，按第一完成单位所在区划统计"),
            Achievement._meta.label_lower,
        ),
        _registered(Achievement, "registration_date"),
    ),
    (
        Metric(
            "achievements.conversions",
            _("科技成果转化数"),
            "项",
            "flow",
            _("当年实施的科技成果转化项数，按实施单位（未填则成果第一完成单位）所在区划统计"),
            Conversion._meta.label_lower,
        ),
        _conversions(),
    ),
    (
        Metric(
            "achievements.major_conversions",
            _("重大科技成果转化数"),
            "项",
            "flow",
            _("当年认定为重大科技成果转化的项数，按实施单位（未填则成果第一完成单位）所在区划统计"),
            Conversion._meta.label_lower,
        ),
        _conversions(major=True),
    ),
    (
        Metric(
            "contracts.count",
            _("技术合同登记数"),
            "项",
            "flow",
            _("当年认定登记（按登记日期）的技术合同项数，按卖方（技术输出方）所在区划统计"),
            TechContract._meta.label_lower,
        ),
        _registered(TechContract, "registration_date"),
    ),
    (
        Metric(
            "contracts.turnover",
            _("技术合同成交额"),
            "元",
            "flow",
            _("当年认定登记的技术合同成交额合计，按卖方（技术输出方）所在区划统计"),
            TechContract._meta.label_lower,
        ),
        _registered(TechContract, "registration_date", measure="amount"),
    ),
    (
        Metric(
            "contracts.technical_income",
            _("技术交易额"),
            "元",
            "flow",
            _("当年认定登记的技术合同中核定的技术性收入合计，按卖方所在区划统计"),
            TechContract._meta.label_lower,
        ),
        _registered(TechContract, "registration_date", measure="technical_income"),
    ),
    (
        Metric(
            "talent.senior",
            _("高级职称专业技术人员"),
            "人",
            "stock",
            _("12月31日已取得的最高职称为高级（含正高、副高）的人数，按所在单位（无单位的按本人）所在区划统计"),
            PERSON,
        ),
        _professionals(TitleLevel.SENIOR),
    ),
    (
        Metric(
            "talent.intermediate",
            _("中级职称专业技术人员"),
            "人",
            "stock",
            _("12月31日已取得的最高职称为中级的人数（已取得高级职称的计入高级）"),
            PERSON,
        ),
        _professionals(TitleLevel.INTERMEDIATE),
    ),
    (
        Metric(
            "talent.researchers",
            _("科研人员总数"),
            "人",
            "stock",
            _("人才库中标记为研发人员的人数；该标记没有日期，各年均为当前名册"),
            PERSON,
        ),
        _Roster(rows=lambda region: researchers(region=region)),
    ),
    (
        Metric(
            "carriers.platforms",
            _("各类创新平台"),
            "个",
            "stock",
            _(
                "12月31日已认定、未撤销的工程技术研究中心、企业技术中心、重点实验室、新型研发机构、科技企业孵化器和众创空间"
            ),
            CARRIER,
        ),
        _carriers(INNOVATION_PLATFORMS),
    ),
    (
        Metric(
            "carriers.regional_hitech_parks",
            _("自治区级高新技术产业园区"),
            "个",
            "stock",
            _("12月31日已认定、未撤销的自治区级高新技术产业开发区（园区）"),
            CARRIER,
        ),
        _carriers([CarrierKind.HITECH_ZONE], RecognitionLevel.REGION),
    ),
]


def _carrier_code(kind: CarrierKind) -> str:
    # "carriers.platforms" is 各类创新平台; the service platforms (公共服务平台) get a name of their own.
    return "carriers.service_platform" if kind == CarrierKind.SERVICE_PLATFORM else f"carriers.{kind.value}"


CARRIER_RULE = _("12月31日已认定、未撤销的{kind}（各级），有依托单位的按依托单位所在区划统计")
_CATALOGUE += [
    (
        Metric(_carrier_code(kind), kind.label, "个", "stock", format_lazy(CARRIER_RULE, kind=kind.label), CARRIER),
        _carriers([kind]),
    )
    for kind in CarrierKind
]

_CATALOGUE += [
    (
        Metric(
            "activities.popularisation_spending",
            _("科普经费"),
            "元",
            "flow",
            _("本区划及下级区划登记的当年科普经费合计；该年没有登记时为空"),
            PopularisationSpending._meta.label_lower,
        ),
        POPULARISATION_SPENDING,
    ),
    (
        Metric(
            "activities.popularisation_per_resident",
            _("年人均科普经费"),
            "元/人",
            "ratio",
            _("当年科普经费合计除以年末常住人口；本区划没有人口数据时取各下级区划之和，缺任一下级则为空"),
            PopularisationSpending._meta.label_lower,
        ),
        _PerCapita(POPULARISATION_SPENDING, Decimal(1)),
    ),
]

METRICS: dict[str, Metric] = {metric.code: metric for metric, source in _CATALOGUE}
_SOURCES = {metric.code: source for metric, source in _CATALOGUE}


def _source(code: str):
    try:
        return _SOURCES[code]
    except KeyError:
        raise UnknownMetric(gettext("指标目录中没有代码为“{code}”的指标").format(code=code)) from None


def _known_years(years) -> tuple[list[int], list[int]]:
    asked = sorted({int(y) for y in years})
    return asked, [y for y in asked if y <= timezone.localdate().year]


def metric_values(code: str, region: Region, years: list[int]) -> dict[int, Decimal | None]:
    """The metric's value for the region subtree in each year (None where the registry has no data)."""
    source = _source(code)
    asked, known = _known_years(years)
    values = source.values(region, known) if known else {}
    return {y: values.get(y) for y in asked}


def metric_records(code: str, region: Region, year: int, user=None) -> QuerySet:
    """The records behind the value of a year (a ratio's numerator), as ``user`` may see them (None: the system)."""
    source = _source(code)
    qs = source.records(region, int(year))
    if int(year) > timezone.localdate().year:
        qs = qs.none()
    return restrict(qs, user) if user is not None else qs


# --- units ---------------------------------------------------------------------------------------------------

MONEY = {"元": 0, "万元": 4, "亿元": 8}  # powers of ten
COUNTS = frozenset({"家", "个", "项", "件", "人"})
PER_CAPITA = {"元/人": "元", "件/万人": "件"}  # a per-capita figure may be shown in its numerator's unit
UNITS = frozenset({*MONEY, *COUNTS, *PER_CAPITA, "%"})


def _unit(unit: str) -> str:
    """A unit as the catalogue writes it; "亿元/年" is a yearly amount, the same as "亿元"."""
    text = (unit or "").strip()
    if text.endswith("/年") and text[:-2] in MONEY.keys() | COUNTS:
        text = text[:-2]
    return text


def convert(value: Decimal | None, from_unit: str, to_unit: str) -> Decimal | None:
    """A value in ``from_unit`` expressed in ``to_unit``, exactly (money scales by powers of ten)."""
    source, target = _unit(from_unit), _unit(to_unit)
    if source in UNITS and target in UNITS:
        if source == target or {source, target} <= COUNTS or PER_CAPITA.get(source) == target:
            return value
        if source in MONEY and target in MONEY:
            return None if value is None else Decimal(value).scaleb(MONEY[source] - MONEY[target])
    raise ValueError(gettext("不能把单位“{source}”换算为“{target}”").format(source=from_unit, target=to_unit))
