"""The catalogue of fields a criterion may score, per subject (code → label, unit, how it is read), and the loaders
that read them for every subject in a user's scope at once: a handful of grouped queries whatever the number of
subjects. A value the master file does not hold is None (named as missing, never scored as zero)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.achievements.choices import AwardLevel, EvaluationConclusion
from kechuang.achievements.models import Achievement, Award, Conversion
from kechuang.core.access import restrict
from kechuang.core.units import WAN
from kechuang.ip.selectors import ip_counts_by_organisation
from kechuang.orgs.choices import CertificateKind
from kechuang.orgs.models import Certificate
from kechuang.orgs.selectors import approved_figures, hte_valid_q
from kechuang.talent.choices import TITLE_RANK, Education
from kechuang.talent.models import Person, Title

from .choices import Subject

HUNDRED = Decimal(100)
GROWTH = _("（当年 − 上年）÷ 上年 × 100；上年没有已审核数据或为 0 时缺少")


@dataclass(frozen=True)
class Field:
    code: str
    label: str
    unit: str
    reading: str

    @property
    def title(self) -> str:
        """The label with its unit, as a form or a column names the field."""
        return gettext("{label}（{unit}）").format(label=self.label, unit=self.unit) if self.unit else str(self.label)


def _f(code, label, unit, reading) -> Field:
    return Field(code, label, unit, reading)


# fmt: off
CATALOGUE: dict[str, dict[str, Field]] = {
    Subject.ENTERPRISE: {f.code: f for f in (
        _f("revenue", _("销售收入"), _("万元"), _("当年已审核年度数据的销售收入")),
        _f("rd_expense", _("研发费用"), _("万元"), _("当年已审核年度数据的研究开发费用")),
        _f("rd_ratio", _("研发费用占销售收入比例"), "%", _("研发费用 ÷ 销售收入 × 100")),
        _f("st_staff_ratio", _("科技人员占职工总数比例"), "%", _("科技人员数 ÷ 职工总数 × 100")),
        _f("staff_total", _("职工总数"), _("人"), _("当年已审核年度数据的职工总数")),
        _f("revenue_growth", _("销售收入增长率"), "%", GROWTH),
        _f("net_assets_growth", _("净资产增长率"), "%", GROWTH),
        _f("class1_ip", _("Ⅰ类知识产权"), _("项"), _("12 月 31 日有效的发明专利等Ⅰ类知识产权")),
        _f("class2_ip", _("Ⅱ类知识产权"), _("项"), _(
            "12 月 31 日有效的实用新型、外观设计、软件著作权等Ⅱ类知识产权"
        )),
        _f("conversions", _("当年科技成果转化"), _("项"), _(
            "当年由该单位实施（或为第一完成单位）的成果转化，一项成果计一次"
        )),
        _f("hte_valid", _("有效高新技术企业证书"), _("是=1/否=0"), _("12 月 31 日在有效期内的高新技术企业证书")),
        _f("tsme_registered", _("科技型中小企业入库登记"), _("是=1/否=0"), _("当年的科技型中小企业入库登记")),
    )},
    Subject.ACHIEVEMENT: {f.code: f for f in (
        _f("applied", _("应用技术成果"), _("是=1/否=0"), _("成果类型为应用技术")),
        _f("conclusion_level", _("评价结论等级"), _("级"), _(
            "国际领先=6、国际先进=5、国内领先=4、国内先进=3、区内领先=2、区内先进=1；未评价时缺少"
        )),
        _f("conversions", _("累计转化次数"), _("次"), _("截至当年的转化记录数")),
        _f("conversion_amount", _("累计转化金额"), _("万元"), _("截至当年的转化记录金额合计")),
        _f("award_level", _("最高奖励级别"), _("级"), _("国家级=4、自治区级=3、市级=2、县级=1、无=0（截至当年）")),
    )},
    Subject.TALENT: {f.code: f for f in (
        _f("education_level", _("学历等级"), _("级"), _("博士=4、硕士=3、本科=2、大专及以下=1；未填时缺少")),
        _f("title_level", _("职称等级"), _("级"), _("截至当年 12 月 31 日最高职称：高级=3、中级=2、初级=1、无=0")),
        _f("researcher", _("研发人员"), _("是=1/否=0"), _("登记为研发人员")),
        _f("programmes", _("入选人才计划数"), _("项"), _("登记的人才计划个数")),
    )},
    # Projects have no registry yet: each criterion of a project model scores a value typed in or uploaded.
    Subject.PROJECT: {"entered": _f("entered", _("录入值"), "", _("评审时录入或上传的数值，按指标代码对应"))},
}
# fmt: on

CONCLUSION_LEVEL = {
    EvaluationConclusion.INTL_LEADING: 6, EvaluationConclusion.INTL_ADVANCED: 5,
    EvaluationConclusion.DOMESTIC_LEADING: 4, EvaluationConclusion.DOMESTIC_ADVANCED: 3,
    EvaluationConclusion.REGION_LEADING: 2, EvaluationConclusion.REGION_ADVANCED: 1,
}  # fmt: skip
AWARD_LEVEL = {AwardLevel.NATIONAL: 4, AwardLevel.REGION: 3, AwardLevel.CITY: 2, AwardLevel.COUNTY: 1}
EDUCATION_LEVEL = {Education.DOCTOR: 4, Education.MASTER: 3, Education.BACHELOR: 2, Education.COLLEGE: 1}


@dataclass
class Population:
    """The subjects of an evaluation and their field values, column by column."""

    ids: list[int]
    names: list[str]
    keys: list[str]  # credit code, registration number or masked ID: what a person reads to tell subjects apart
    organisations: list[int | None]
    regions: list[int | None]
    values: dict[str, list[Decimal | None]]

    def row(self, i: int) -> dict[str, Decimal | None]:
        return {code: column[i] for code, column in self.values.items()}


def field_choices(subject: str) -> list[tuple[str, str]]:
    return [(f.code, f.title) for f in CATALOGUE[subject].values()]


def _ratio(part, whole) -> Decimal | None:
    if part is None or not whole:
        return None
    return Decimal(part) / Decimal(whole) * HUNDRED


def _growth(now, before) -> Decimal | None:
    if now is None or not before:
        return None
    return (Decimal(now) - Decimal(before)) / Decimal(before) * HUNDRED


def _wan(value) -> Decimal | None:
    return None if value is None else Decimal(value) / WAN


def _flag(yes: bool) -> Decimal:
    return Decimal(1) if yes else Decimal(0)


def enterprises(*, user, year: int, organisations=None) -> Population:
    """Every organisation in scope with approved figures for ``year``; growth against ``year − 1``; IP and
    certificates as on 31 December."""
    day = datetime.date(year, 12, 31)
    figures = approved_figures(user=user)
    if organisations is not None:
        figures = figures.filter(organisation__in=organisations)
    latest = figures.filter(year=year)
    owners = latest.values("organisation_id")
    rows = list(
        latest.order_by("organisation_id").values_list(
            "organisation_id", "organisation__name", "organisation__uscc", "organisation__region_id",
            "sales_revenue", "rd_expense", "staff_total", "st_staff", "net_assets",
        )
    )  # fmt: skip
    before = dict(
        (pk, (sales, assets))
        for pk, sales, assets in figures.filter(year=year - 1, organisation__in=owners).values_list(
            "organisation_id", "sales_revenue", "net_assets"
        )
    )
    ip = ip_counts_by_organisation(day=day, organisations=owners)
    implementer = Coalesce("organisation_id", "achievement__organisation_id")
    conversions = dict(
        Conversion.objects.filter(year=year).annotate(unit=implementer).filter(unit__in=owners).values("unit")
        .annotate(n=Count("achievement", distinct=True) + Count("subject", distinct=True,
                                                                 filter=Q(achievement__isnull=True)))
        .values_list("unit", "n")
    )  # fmt: skip
    hte = set(
        Certificate.objects.filter(hte_valid_q(day), organisation__in=owners).values_list("organisation_id", flat=True)
    )
    tsme = set(
        Certificate.objects.filter(kind=CertificateKind.TSME, year=year, organisation__in=owners)
        .exclude(revoked_date__lte=day)
        .values_list("organisation_id", flat=True)
    )
    ids = [r[0] for r in rows]
    values = {
        "revenue": [_wan(r[4]) for r in rows],
        "rd_expense": [_wan(r[5]) for r in rows],
        "rd_ratio": [_ratio(r[5], r[4]) for r in rows],
        "st_staff_ratio": [_ratio(r[7], r[6]) for r in rows],
        "staff_total": [None if r[6] is None else Decimal(r[6]) for r in rows],
        "revenue_growth": [_growth(r[4], before.get(r[0], (None, None))[0]) for r in rows],
        "net_assets_growth": [_growth(r[8], before.get(r[0], (None, None))[1]) for r in rows],
        "class1_ip": [Decimal(ip.get(pk, {}).get("I", 0)) for pk in ids],
        "class2_ip": [Decimal(ip.get(pk, {}).get("II", 0)) for pk in ids],
        "conversions": [Decimal(conversions.get(pk, 0)) for pk in ids],
        "hte_valid": [_flag(pk in hte) for pk in ids],
        "tsme_registered": [_flag(pk in tsme) for pk in ids],
    }
    return Population(ids, [r[1] for r in rows], [r[2] for r in rows], ids, [r[3] for r in rows], values)


def achievements(*, user, year: int, organisations=None) -> Population:
    """Every achievement in scope registered by 31 December of ``year``; conversions and awards up to ``year``."""
    found = restrict(Achievement, user).filter(registration_date__year__lte=year)
    if organisations is not None:
        found = found.filter(organisation__in=organisations)
    rows = list(
        found.order_by("pk").values_list(
            "pk", "title", "number", "organisation_id", "organisation__region_id", "kind", "evaluation_conclusion"
        )
    )
    chosen = found.values("pk")
    converted = {
        row["achievement"]: row
        for row in Conversion.objects.filter(achievement__in=chosen, year__lte=year)
        .values("achievement").annotate(n=Count("pk"), amount=Sum("amount"))
    }  # fmt: skip
    awarded: dict[int, int] = {}
    for pk, level in Award.objects.filter(achievement__in=chosen, year__lte=year).values_list("achievement", "level"):
        awarded[pk] = max(awarded.get(pk, 0), AWARD_LEVEL.get(level, 0))
    ids = [r[0] for r in rows]
    values = {
        "applied": [_flag(r[5] == "applied") for r in rows],
        "conclusion_level": [_level(CONCLUSION_LEVEL.get(r[6])) for r in rows],
        "conversions": [Decimal(converted.get(pk, {}).get("n", 0)) for pk in ids],
        "conversion_amount": [_wan(converted.get(pk, {}).get("amount") or 0) for pk in ids],
        "award_level": [Decimal(awarded.get(pk, 0)) for pk in ids],
    }
    return Population(
        ids, [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows], [r[4] for r in rows], values
    )


def talent(*, user, year: int, organisations=None) -> Population:
    """Every person in scope; titles obtained by 31 December of ``year``."""
    found = restrict(Person, user)
    if organisations is not None:
        found = found.filter(organisation__in=organisations)
    rows = list(
        found.order_by("pk").values_list(
            "pk", "name", "id_number_masked", "organisation_id", "organisation__region_id", "region_id",
            "education", "is_researcher", "programmes",
        )
    )  # fmt: skip
    titles: dict[int, int] = {}
    day = datetime.date(year, 12, 31)
    for pk, level in Title.objects.filter(person__in=found.values("pk"), obtained__lte=day).values_list(
        "person", "level"
    ):
        titles[pk] = max(titles.get(pk, 0), TITLE_RANK.get(level, 0))
    ids = [r[0] for r in rows]
    values = {
        "education_level": [_level(EDUCATION_LEVEL.get(r[6])) for r in rows],
        "title_level": [Decimal(titles.get(pk, 0)) for pk in ids],
        "researcher": [_flag(r[7]) for r in rows],
        "programmes": [Decimal(len(r[8] or [])) for r in rows],
    }
    return Population(
        ids, [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows], [r[4] or r[5] for r in rows], values
    )


def _level(level: int | None) -> Decimal | None:
    return None if level is None else Decimal(level)


LOADERS: dict[str, Callable[..., Population]] = {
    Subject.ENTERPRISE: enterprises,
    Subject.ACHIEVEMENT: achievements,
    Subject.TALENT: talent,
}
# The permission a user needs to read each subject's data.
SOURCES = {
    Subject.ENTERPRISE: "orgs.annualfigures",
    Subject.ACHIEVEMENT: "achievements.achievement",
    Subject.TALENT: "talent.person",
}
