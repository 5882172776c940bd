"""The organisation master file (一企一档): organisations, yearly figures, certificates, pools, services."""

import datetime
import functools
import operator
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kechuang.core.dates import add_years
from kechuang.core.models import TimeStampedModel, UnicodeJSONEncoder
from kechuang.core.validators import normalise_uscc, validate_uscc

from .choices import (
    INTEGRITY_LISTS,
    CertificateKind,
    FigureSource,
    HitechDomain,
    IndustryLevel,
    IntegrityKind,
    OrgKind,
    OrgStatus,
    RDManagementItem,
    RecognitionLevel,
    ReviewStatus,
    RoundStatus,
    ServiceType,
)

HTE_VALID_YEARS = 3
MAX_FORMER_NAMES = 20
HTE_NUMBER = r"^G[RF]\d{12}$"


class Industry(models.Model):
    """National economic industry classification, GB/T 4754-2017 (国民经济行业分类: 门类 and 大类)."""

    code = models.CharField(_("代码"), max_length=4, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("层级"), max_length=16, choices=IndustryLevel.choices)
    section = models.ForeignKey(
        "self", verbose_name=_("门类"), null=True, blank=True, on_delete=models.PROTECT, related_name="divisions"
    )

    class Meta:
        verbose_name = pgettext_lazy("model", "行业分类")
        verbose_name_plural = pgettext_lazy("model plural", "行业分类")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Organisation(TimeStampedModel):
    """One organisation's master record (单位档案), keyed by its unified social credit code."""

    scope_region = "region"
    scope_org = "pk"

    kind = models.CharField(_("单位类型"), max_length=16, choices=OrgKind.choices, default=OrgKind.ENTERPRISE)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc])
    name = models.CharField(_("单位名称"), max_length=128, db_index=True)
    former_names = models.JSONField(_("曾用名"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    name_initials = models.CharField(_("拼音首字母"), max_length=128, blank=True, db_index=True, editable=False)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="organisations"
    )
    park = models.CharField(_("所在园区"), max_length=64, blank=True)
    address = models.CharField(_("地址"), max_length=255, blank=True)
    registration_date = models.DateField(_("成立日期"), null=True, blank=True)
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("所属行业（大类）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"level": IndustryLevel.DIVISION},
        related_name="organisations",
    )
    hitech_domain = models.PositiveSmallIntegerField(
        _("高新技术领域"), choices=HitechDomain.choices, null=True, blank=True
    )
    above_scale = models.BooleanField(_("规模以上"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=OrgStatus.choices, default=OrgStatus.ACTIVE)
    contact = models.CharField(_("联系人"), max_length=32, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "单位")
        verbose_name_plural = pgettext_lazy("model plural", "单位")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=OrgKind.values), name="org_kind_valid"),
            models.CheckConstraint(condition=models.Q(status__in=OrgStatus.values), name="org_status_valid"),
            models.CheckConstraint(
                condition=models.Q(hitech_domain__isnull=True) | models.Q(hitech_domain__gte=1, hitech_domain__lte=8),
                name="org_hitech_domain_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:detail", args=[self.pk])

    def clean(self):
        if self.uscc:
            self.uscc = normalise_uscc(self.uscc)
        if len(self.former_names) > MAX_FORMER_NAMES or any(
            not isinstance(n, str) or len(n) > 128 for n in self.former_names
        ):
            raise ValidationError(
                {"former_names": gettext("曾用名最多 {n} 个，每个不超过 128 字").format(n=MAX_FORMER_NAMES)}
            )
        if self._state.adding and self.region_id and self.region.is_abolished:
            raise ValidationError(
                {"region": gettext("区划“{region}”已撤销，不能用于新登记的单位").format(region=self.region)}
            )


class OrganisationChild(TimeStampedModel):
    """A record that hangs off one organisation's master file and is scoped by it."""

    scope_region = "organisation__region"
    scope_org = "organisation"
    tab = ""

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        return f"{reverse('orgs:detail', args=[self.organisation_id])}#{self.tab}"


class AnnualFiguresQuerySet(models.QuerySet):
    def approved(self):
        """Figures the bureau has approved (已审核): the only ones that feed evaluations and indicators."""
        return self.filter(review_status=ReviewStatus.APPROVED)


class AnnualFigures(OrganisationChild):
    """Yearly figures reported by an organisation (企业年度数据), amounts in 元.

    The review status follows the yearly reporting round (年报填报): an organisation's own users save drafts and
    submit them, the bureau approves or returns them. Figures the bureau or the system writes are its own data and
    approved on save, which is why approved is the default (see ``services.figures_review_values``).
    """

    tab = "figures"
    REVIEW_FIELDS = ("review_status", "submitted_at", "reviewer", "reviewed_at", "review_comment")

    MONEY_FIELDS = (
        "sales_revenue",
        "total_income",
        "hitech_revenue",
        "rd_expense",
        "rd_domestic",
        "total_costs",
        "total_assets",
        "net_assets",
        "industrial_output",
        "tax_paid",
        "exports",
    )
    # Net assets can be negative for a loss-making firm; every other figure cannot.
    SIGNED_FIELDS = ("net_assets",)

    # No index of its own: the unique (organisation, year) index below serves look-ups by organisation, and every
    # imported row would write a second one.
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="figures", db_index=False
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    staff_total = models.PositiveIntegerField(_("职工总数（人）"), null=True, blank=True)
    st_staff = models.PositiveIntegerField(_("科技人员数（人）"), null=True, blank=True)
    sales_revenue = models.DecimalField(_("销售收入（元）"), max_digits=18, decimal_places=2, null=True, blank=True)
    total_income = models.DecimalField(_("总收入（元）"), max_digits=18, decimal_places=2, null=True, blank=True)
    hitech_revenue = models.DecimalField(
        _("高新技术产品（服务）收入（元）"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    rd_expense = models.DecimalField(_("研究开发费用（元）"), max_digits=18, decimal_places=2, null=True, blank=True)
    rd_domestic = models.DecimalField(
        _("境内研究开发费用（元）"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    total_costs = models.DecimalField(_("成本费用总额（元）"), max_digits=18, decimal_places=2, null=True, blank=True)
    total_assets = models.DecimalField(_("资产总额（元）"), max_digits=18, decimal_places=2, null=True, blank=True)
    net_assets = models.DecimalField(_("净资产（元）"), max_digits=18, decimal_places=2, null=True, blank=True)
    industrial_output = models.DecimalField(
        _("工业总产值（元）"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    tax_paid = models.DecimalField(_("纳税总额（元）"), max_digits=18, decimal_places=2, null=True, blank=True)
    exports = models.DecimalField(_("出口总额（元）"), max_digits=18, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("数据来源"), max_length=16, choices=FigureSource.choices, default=FigureSource.ENTRY)
    basis = models.CharField(
        _("统计口径"), max_length=32, blank=True, help_text=_("如 企业财务报表口径、统计年报口径、税务口径")
    )
    # 科技型中小企业评价 §2.2: the enterprise pays its income tax assessed on its books (查账征收), not at a fixed rate.
    audit_taxation = models.BooleanField(
        _("查账征收"), null=True, blank=True, help_text=_("企业所得税实行查账征收为“是”，核定征收为“否”")
    )
    # The review fields change only through the services (submit, approve, return), never through a form.
    review_status = models.CharField(
        _("审核状态"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.APPROVED, editable=False
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, editable=False)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True, editable=False)
    review_comment = models.TextField(_("审核意见"), blank=True, editable=False)

    objects = AnnualFiguresQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("model", "年度数据")
        verbose_name_plural = pgettext_lazy("model plural", "年度数据")
        ordering = ["organisation", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="figures_org_year_unique"),
            models.CheckConstraint(condition=models.Q(year__gte=1949, year__lte=2100), name="figures_year_range"),
            models.CheckConstraint(condition=models.Q(source__in=FigureSource.values), name="figures_source_valid"),
            models.CheckConstraint(
                condition=models.Q(review_status__in=ReviewStatus.values), name="figures_review_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["year", "review_status"], name="figures_year_review_idx")]

    def __str__(self):
        return gettext("{organisation} {year}年度数据").format(organisation=self.organisation, year=self.year)

    def detail_url(self) -> str:
        """The page showing the figures with their review (the master file's tab stays the absolute URL)."""
        return reverse("orgs:figures_detail", args=[self.pk])

    def clean(self):
        values = {name: getattr(self, name) for name in (*self.MONEY_FIELDS, "staff_total", "st_staff", "year")}
        if errors := self.value_errors(values):
            raise ValidationError(errors)

    # A part that cannot exceed its whole, and the message when it does.
    PARTS = (
        ("st_staff", "staff_total", _("科技人员数不能大于职工总数")),
        ("rd_domestic", "rd_expense", _("境内研究开发费用不能大于研究开发费用总额")),
        ("hitech_revenue", "total_income", _("高新技术产品（服务）收入不能大于总收入")),
    )

    @classmethod
    def value_errors(cls, values: dict, today: datetime.date | None = None) -> dict[str, str]:
        """The row rules of one year's figures, on plain values: ``column_errors`` for a table of one row."""
        return cls.column_errors({name: [value] for name, value in values.items()}, today).get(0, {})

    @classmethod
    def column_errors(cls, columns: dict[str, list], today: datetime.date | None = None) -> dict[int, dict[str, str]]:
        """The row rules of many rows given column by column (``clean()`` and the bulk import share them): {row
        index: {field: reason}} for the rows that break one, in the order of the rules. Each rule first tests a
        whole column (its least value, any part above its whole) and looks at rows only when the column fails;
        ``today`` is looked up once for all rows when not given."""
        found: dict[int, dict[str, str]] = {}
        # Staff counts are PositiveIntegerFields, whose own validator already refuses negatives.
        for name in cls.MONEY_FIELDS:
            column = columns.get(name)
            if column is None or name in cls.SIGNED_FIELDS or min(filter(_present, column), default=0) >= 0:
                continue
            # The label without its unit: forms show money in 万元, the API in 元.
            label = re.split(r"[（(]", str(cls._meta.get_field(name).verbose_name))[0].strip()
            reason = gettext("{field}不能为负数").format(field=label)
            for row in (i for i, value in enumerate(column) if value is not None and value < 0):
                found.setdefault(row, {})[name] = reason
        for part, whole, message in cls.PARTS:
            if part not in columns or whole not in columns:
                continue
            pairs = zip(columns[part], columns[whole], strict=True)
            for row in [i for i, (a, b) in enumerate(pairs) if a is not None and b is not None and a > b]:
                found.setdefault(row, {}).setdefault(part, str(message))  # a negative part keeps its own reason
        years = columns.get("year", ())
        this_year = (today or timezone.localdate()).year
        if max(filter(None, years), default=0) > this_year:
            for row, year in enumerate(years):
                if year and year > this_year:
                    found.setdefault(row, {})["year"] = gettext("年度 {year} 还没有到，不能填报").format(year=year)
        return found


_present = functools.partial(operator.is_not, None)


class Certificate(OrganisationChild):
    """A recognition the organisation holds (资质认定): high-tech certificate, tech-SME number, others."""

    tab = "certificates"

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="certificates"
    )
    kind = models.CharField(_("类型"), max_length=8, choices=CertificateKind.choices)
    name = models.CharField(_("认定名称"), max_length=64, blank=True, help_text=_("其他认定填写，如瞪羚企业、专精特新"))
    level = models.CharField(
        _("级别"), max_length=16, choices=RecognitionLevel.choices, default=RecognitionLevel.NATIONAL
    )
    number = models.CharField(_("证书编号/登记编号"), max_length=32, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    issue_date = models.DateField(_("发证日期"), null=True, blank=True)
    revoked_date = models.DateField(_("撤销日期"), null=True, blank=True)
    # Stored so that "valid on day D" is one indexed comparison; always computed in save(), never typed.
    valid_until = models.DateField(_("有效期至"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = pgettext_lazy("model", "资质证书")
        verbose_name_plural = pgettext_lazy("model plural", "资质证书")
        ordering = ["organisation", "-year"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=CertificateKind.values), name="cert_kind_valid"),
            models.CheckConstraint(condition=models.Q(level__in=RecognitionLevel.values), name="cert_level_valid"),
            models.UniqueConstraint(
                fields=["kind", "number"],
                condition=~models.Q(number=""),
                name="cert_number_unique",
                violation_error_message=_("该证书编号已经登记过，请核对编号"),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number or self.name} ({self.year})"

    def save(self, *args, **kwargs):
        self.valid_until = self.compute_valid_until()
        super().save(*args, **kwargs)

    def compute_valid_until(self) -> datetime.date | None:
        """High-tech certificates are valid for three years from the issue date: up to the day before the same
        date three years on (issued 2020-12-01 → valid to 2023-11-30; issued 29 Feb → to the last day of Feb)."""
        if self.kind != CertificateKind.HTE or not self.issue_date:
            return None
        return add_years(self.issue_date, HTE_VALID_YEARS) - datetime.timedelta(days=1)

    def is_valid_on(self, day: datetime.date) -> bool:
        """The same rule as ``selectors.hte_valid_q``, for one certificate."""
        if self.revoked_date and self.revoked_date <= day:
            return False
        if self.kind == CertificateKind.HTE:
            valid_until = self.compute_valid_until()
            return bool(self.issue_date and self.issue_date <= day <= valid_until)
        return self.year == day.year

    def clean(self):

        errors = {}
        self.number = (self.number or "").strip().upper()
        if self.kind == CertificateKind.HTE:
            if not re.fullmatch(HTE_NUMBER, self.number):
                errors["number"] = gettext(
                    "高新技术企业证书编号应为 GR + 4位年份 + 2位省份代码 + 6位流水号，如 GR202045001224"
                )
            elif int(self.number[2:6]) != self.year:
                errors["number"] = gettext("证书编号中的年份 {number_year} 与认定年度 {year} 不一致").format(
                    number_year=self.number[2:6], year=self.year
                )
            if not self.issue_date:
                errors["issue_date"] = gettext("高新技术企业证书必须填写发证日期（有效期自动按3年计算）")
        if (
            self.kind == CertificateKind.TSME
            and self.number
            and not re.fullmatch(r"20\d{2}[0-9A-Z]{10,16}", self.number)
        ):
            errors["number"] = gettext("科技型中小企业入库登记编号应以4位年份开头，后接10至16位数字或大写字母")
        if self.kind == CertificateKind.OTHER and not self.name:
            errors["name"] = gettext("其他认定须填写认定名称，如“瞪羚企业”")
        if self.revoked_date and self.issue_date and self.revoked_date < self.issue_date:
            errors["revoked_date"] = gettext("撤销日期不能早于发证日期")
        if errors:
            raise ValidationError(errors)


class Pool(TimeStampedModel):
    """A cultivation pool (培育库), e.g. 后备高新技术企业库."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64, unique=True)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "培育库")
        verbose_name_plural = pgettext_lazy("model plural", "培育库")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PoolMembership(OrganisationChild):
    """An organisation's stay in a pool, from its entry year to its exit year (入库/出库)."""

    tab = "pools"

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="pool_memberships"
    )
    pool = models.ForeignKey(
        Pool, verbose_name=pgettext_lazy("field", "培育库"), on_delete=models.PROTECT, related_name="memberships"
    )
    entry_year = models.PositiveSmallIntegerField(_("入库年度"))
    entry_reason = models.CharField(_("入库理由"), max_length=255, blank=True)
    exit_year = models.PositiveSmallIntegerField(_("出库年度"), null=True, blank=True)
    exit_reason = models.CharField(_("出库原因"), max_length=255, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "入库记录")
        verbose_name_plural = pgettext_lazy("model plural", "入库记录")
        ordering = ["organisation", "-entry_year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(exit_year__isnull=True) | models.Q(exit_year__gte=models.F("entry_year")),
                name="pool_exit_after_entry",
            ),
            # The natural key of the ``pools`` import: credit code + pool + entry year.
            models.UniqueConstraint(
                fields=["organisation", "pool", "entry_year"],
                name="membership_org_pool_entry_unique",
                violation_error_message=_("该单位在这一年度已入过该培育库，请编辑已有的入库记录"),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.pool} ({self.entry_year}–{self.exit_year or ''})"

    def clean(self):
        if self.exit_year is not None and self.exit_year < self.entry_year:
            raise ValidationError({"exit_year": gettext("出库年度不能早于入库年度")})
        if self.exit_year and not self.exit_reason:
            raise ValidationError({"exit_reason": gettext("出库时须填写出库原因")})


class ServiceRecord(OrganisationChild):
    """One-to-one service to an organisation (一对一服务记录)."""

    tab = "services"

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="service_records"
    )
    date = models.DateField(_("服务日期"))
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("服务人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    service_type = models.CharField(_("服务类型"), max_length=16, choices=ServiceType.choices)
    content = models.TextField(_("服务内容"))
    follow_up = models.TextField(_("后续跟进"), blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "服务记录")
        verbose_name_plural = pgettext_lazy("model plural", "服务记录")
        ordering = ["organisation", "-date"]
        constraints = [
            models.CheckConstraint(condition=models.Q(service_type__in=ServiceType.values), name="service_type_valid"),
        ]

    def __str__(self):
        return f"{self.organisation} {self.date} {self.get_service_type_display()}"


class ReportingRound(TimeStampedModel):
    """A yearly reporting round (年报填报): the bureau asks the enterprises of its region for one year's figures."""

    region = models.ForeignKey("regions.Region", verbose_name=_("填报范围"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("填报年度"))
    opens_on = models.DateField(_("开始日期"))
    deadline = models.DateField(_("截止日期"))
    status = models.CharField(_("状态"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    instructions = models.TextField(_("填报说明"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = pgettext_lazy("model", "年报填报")
        verbose_name_plural = pgettext_lazy("model plural", "年报填报")
        ordering = ["-year", "region__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                name="round_region_year_unique",
                violation_error_message=_("本区划该年度的年报填报已经发起过，请在列表中打开它"),
            ),
            models.CheckConstraint(condition=models.Q(status__in=RoundStatus.values), name="round_status_valid"),
            models.CheckConstraint(condition=models.Q(year__gte=1949, year__lte=2100), name="round_year_range"),
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("opens_on")), name="round_deadline_after_opening"
            ),
        ]

    def __str__(self):
        return gettext("{region}{year}年度年报填报").format(region=self.region, year=self.year)

    def get_absolute_url(self) -> str:
        return reverse("orgs:round_detail", args=[self.pk])

    def is_open_on(self, day: datetime.date) -> bool:
        return self.status == RoundStatus.OPEN and self.opens_on <= day

    def clean(self):
        errors = {}
        if self.opens_on and self.deadline and self.deadline < self.opens_on:
            errors["deadline"] = gettext("截止日期不能早于开始日期")
        if self.year and self.opens_on and self.year > self.opens_on.year:
            errors["year"] = gettext("填报年度 {year} 还没有到，不能在 {day} 开始填报").format(
                year=self.year, day=self.opens_on.isoformat()
            )
        if errors:
            raise ValidationError(errors)

    # A bureau sees the rounds of its subtree; an organisation's users see the rounds that cover their organisation,
    # i.e. those of its region and of every region above it.
    @staticmethod
    def restrict_scope(queryset, scope):
        if scope.kind == "all":
            return queryset
        if scope.kind == "region" and scope.region_path:
            return queryset.filter(region__path__startswith=scope.region_path)
        if scope.kind == "org" and scope.region_path:
            return queryset.filter(region__code__in=_codes(scope.region_path))
        return queryset.none()

    @staticmethod
    def instance_in_scope(instance, scope):
        if scope.kind == "all":
            return True
        if instance.region_id is None or not scope.region_path:
            return False
        if scope.kind == "region":
            return instance.region.path.startswith(scope.region_path)
        return scope.kind == "org" and instance.region.code in _codes(scope.region_path)


def _codes(path: str) -> list[str]:
    """The region codes along a materialised path ("450000/450200/450223/" → its three codes)."""
    return [code for code in path.strip("/").split("/") if code]


# --- what the national evaluations need from the master file (issue #5 requirement 2) --------------------------


class ConfirmedQuerySet(models.QuerySet):
    def confirmed(self):
        """Records the bureau entered or confirmed: the only ones that feed evaluations."""
        return self.filter(confirmed=True)


def _not_in_future_year(year: int | None, field: str, errors: dict) -> None:
    if year and year > timezone.localdate().year:
        errors[field] = gettext("年度 {year} 还没有到，不能填报").format(year=year)


class MonthlyHeadcount(OrganisationChild):
    """One month's head counts of an organisation (月度职工人数): staff and S&T staff at the start and the end of the
    month, from which the yearly averages of the high-tech and tech-SME evaluations are computed (§1.3).

    An organisation's own users enter their months like their yearly report; what they enter counts in evaluations
    once the bureau has confirmed it (``confirmed``, set by the services)."""

    tab = "headcounts"
    COUNTS = ("staff_start", "staff_end", "st_start", "st_end")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="headcounts"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    staff_start = models.PositiveIntegerField(_("月初职工人数"))
    staff_end = models.PositiveIntegerField(_("月末职工人数"))
    st_start = models.PositiveIntegerField(_("月初科技人员数"))
    st_end = models.PositiveIntegerField(_("月末科技人员数"))
    confirmed = models.BooleanField(_("科技局已确认"), default=True, editable=False)

    objects = ConfirmedQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("model", "月度职工人数")
        verbose_name_plural = pgettext_lazy("model plural", "月度职工人数")
        ordering = ["organisation", "-year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "month"],
                name="headcount_org_year_month_unique",
                violation_error_message=_("该单位这个月的职工人数已经填过，请在列表中点“编辑”修改"),
            ),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="headcount_month_range"),
            models.CheckConstraint(condition=models.Q(year__gte=1949, year__lte=2100), name="headcount_year_range"),
            models.CheckConstraint(
                condition=models.Q(st_start__lte=models.F("staff_start"), st_end__lte=models.F("staff_end")),
                name="headcount_st_within_staff",
            ),
        ]
        indexes = [models.Index(fields=["year", "organisation"], name="headcount_year_org_idx")]

    def __str__(self):
        return gettext("{organisation} {year}年{month}月职工人数").format(
            organisation=self.organisation, year=self.year, month=self.month
        )

    def get_absolute_url(self) -> str:
        return reverse("orgs:monthlyheadcount_detail", args=[self.pk])

    def clean(self):
        errors: dict[str, str] = {}
        if self.month is not None and not 1 <= self.month <= 12:
            errors["month"] = gettext("月份应为 1 至 12")
        _not_in_future_year(self.year, "year", errors)
        today = timezone.localdate()
        if self.year == today.year and self.month and self.month > today.month and "month" not in errors:
            errors["month"] = gettext("{year}年{month}月还没有到，不能填报").format(year=self.year, month=self.month)
        for part, whole, when in (("st_start", "staff_start", _("月初")), ("st_end", "staff_end", _("月末"))):
            a, b = getattr(self, part), getattr(self, whole)
            if a is not None and b is not None and a > b:
                errors[part] = gettext("{when}科技人员数（{st}）不能大于{when}职工人数（{staff}）").format(
                    when=when, st=a, staff=b
                )
        founded = self.organisation.registration_date if self.organisation_id else None
        if founded and self.year and self.month and (self.year, self.month) < (founded.year, founded.month):
            errors["month"] = gettext("该单位 {date} 成立，{year}年{month}月尚未成立，不能填报这个月的人数").format(
                date=founded.isoformat(), year=self.year, month=self.month
            )
        if errors:
            raise ValidationError(errors)


class RDManagementEvidence(OrganisationChild):
    """Evidence of one sub-item of R&D organisation and management (研究开发组织管理水平佐证材料, §1.4.3) for a fiscal
    year, with its documents as attachments; the item's flag holds for the year when evidence of it is recorded (and
    confirmed by the bureau)."""

    tab = "rd-management"

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="rd_management_evidence"
    )
    year = models.PositiveSmallIntegerField(_("会计年度"))
    item = models.PositiveSmallIntegerField(_("评价子项"), choices=RDManagementItem.choices)
    description = models.TextField(
        _("佐证说明"),
        help_text=_("写明制度名称、文号、机构名称或合作协议等"),
        error_messages={"blank": _("请填写佐证说明，如制度名称和文号、研发机构名称或合作协议")},
    )
    confirmed = models.BooleanField(_("科技局已确认"), default=True, editable=False)

    objects = ConfirmedQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("model", "研发组织管理佐证")
        verbose_name_plural = pgettext_lazy("model plural", "研发组织管理佐证")
        ordering = ["organisation", "-year", "item"]
        constraints = [
            models.CheckConstraint(condition=models.Q(item__gte=1, item__lte=4), name="rd_evidence_item_valid"),
            models.CheckConstraint(condition=models.Q(year__gte=1949, year__lte=2100), name="rd_evidence_year_range"),
        ]
        indexes = [models.Index(fields=["year", "organisation"], name="rd_evidence_year_org_idx")]

    def __str__(self):
        return gettext("{organisation} {year}年度研发组织管理佐证（子项{item}）").format(
            organisation=self.organisation, year=self.year, item=self.item
        )

    def get_absolute_url(self) -> str:
        return reverse("orgs:rdmanagementevidence_detail", args=[self.pk])

    def clean(self):
        errors: dict[str, str] = {}
        _not_in_future_year(self.year, "year", errors)
        if self.description and not self.description.strip():  # only spaces (empty: the field's own message)
            errors["description"] = gettext("请填写佐证说明，如制度名称和文号、研发机构名称或合作协议")
        if errors:
            raise ValidationError(errors)


class IntegrityRecord(OrganisationChild):
    """A violation or integrity record of an organisation (违法失信记录): an accident, a violation or a listing, with
    the document that decided it; entered by the bureau only."""

    tab = "integrity"

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="integrity_records"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=IntegrityKind.choices)
    date = models.DateField(_("发生或列入日期"))
    until = models.DateField(_("移出日期"), null=True, blank=True, help_text=_("仅名录、名单类记录：移出名录的日期"))
    description = models.TextField(
        _("情况说明"), error_messages={"blank": _("请填写情况说明：发生了什么、由哪个部门认定")}
    )
    source = models.CharField(
        _("认定文书或来源"),
        max_length=255,
        help_text=_("如 处罚决定书文号、公示系统网址或通报文件"),
        error_messages={"blank": _("请填写认定文书或来源，如处罚决定书文号或公示系统网址")},
    )

    class Meta:
        verbose_name = pgettext_lazy("model", "违法失信记录")
        verbose_name_plural = pgettext_lazy("model plural", "违法失信记录")
        ordering = ["organisation", "-date"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=IntegrityKind.values), name="integrity_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(until__isnull=True) | models.Q(until__gte=models.F("date")),
                name="integrity_until_after_date",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "date"], name="integrity_org_date_idx")]

    def __str__(self):
        return f"{self.organisation} {self.date} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("orgs:integrityrecord_detail", args=[self.pk])

    def clean(self):
        errors: dict[str, str] = {}
        if self.date and self.date > timezone.localdate():
            errors["date"] = gettext("发生或列入日期 {date} 晚于今天，请核对").format(date=self.date.isoformat())
        if self.until and self.kind not in INTEGRITY_LISTS:
            errors["until"] = gettext("只有“列入经营异常名录”和“列入严重违法失信名单”的记录才填写移出日期")
        elif self.until and self.date and self.until < self.date:
            errors["until"] = gettext("移出日期 {until} 不能早于列入日期 {date}").format(
                until=self.until.isoformat(), date=self.date.isoformat()
            )
        if self.source and not self.source.strip():  # only spaces (empty: the field's own message)
            errors["source"] = gettext("请填写认定文书或来源，如处罚决定书文号或公示系统网址")
        if errors:
            raise ValidationError(errors)
