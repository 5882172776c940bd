"""The IP registry (知识产权): patents with their owners and dated legal status, and other IP."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kechuang.core.dates import add_years
from kechuang.core.models import TimeStampedModel, UnicodeJSONEncoder
from kechuang.core.validators import PATENT_TYPES, normalise_patent, validate_patent
from kechuang.orgs.models import OrganisationChild

from .choices import (
    Acquisition,
    IPClass,
    OtherIPKind,
    PatentEnd,
    PatentStatus,
    PatentType,
    StandardLevel,
    StandardRole,
)

# The statistics count PCT entries with their national kind (发明 / 实用新型).
CATEGORY = {
    PatentType.INVENTION: PatentType.INVENTION,
    PatentType.PCT_INVENTION: PatentType.INVENTION,
    PatentType.UTILITY: PatentType.UTILITY,
    PatentType.PCT_UTILITY: PatentType.UTILITY,
    PatentType.DESIGN: PatentType.DESIGN,
}
INVENTION_TYPES = (PatentType.INVENTION, PatentType.PCT_INVENTION)
UTILITY_TYPES = (PatentType.UTILITY, PatentType.PCT_UTILITY)
# 工作指引 (国科发火〔2016〕195号): invention patents are Class I; utility models and designs Class II.
CLASS_I_PATENT_TYPES = INVENTION_TYPES
# Class I besides invention patents; software copyrights are Class II; standards are neither (a bonus item).
OTHER_IP_CLASS = {
    OtherIPKind.SOFTWARE: IPClass.II,
    OtherIPKind.IC_LAYOUT: IPClass.I,
    OtherIPKind.PLANT_VARIETY: IPClass.I,
    OtherIPKind.CROP_VARIETY: IPClass.I,
    OtherIPKind.NATIONAL_DRUG: IPClass.I,
    OtherIPKind.TCM_VARIETY: IPClass.I,
}
# Patent terms counted from the filing date (专利法 第四十二条); designs filed from 2021-06-01 get 15 years.
TERM_YEARS = {PatentType.INVENTION: 20, PatentType.PCT_INVENTION: 20, PatentType.UTILITY: 10,
              PatentType.PCT_UTILITY: 10, PatentType.DESIGN: 10}  # fmt: skip
DESIGN_15_YEARS_FROM = datetime.date(2021, 6, 1)
SOFTWARE_NUMBER = r"^\d{4}SR\d{6,7}$"
MAX_INVENTORS = 50


def number_type(number: str) -> str | None:
    """The patent type a normalised application number names (5th digit; 3rd in the old 9-character form)."""
    digit = number[4] if len(number) == 13 else number[2] if len(number) == 9 else ""
    return PATENT_TYPES.get(digit)


def other_ip_number(kind: str, number: str | None) -> str:
    """An other-IP number in canonical form: single spaces; software registration numbers without any, upper-case."""
    text = " ".join((number or "").split())
    return text.replace(" ", "").upper() if kind == OtherIPKind.SOFTWARE else text


def format_number(number: str) -> str:
    """An application number as printed: 202010566088.9."""
    return f"{number[:-1]}.{number[-1]}" if len(number) in (9, 13) else number


class Patent(TimeStampedModel):
    """A patent or patent application (专利), placed in the region of its first patentee (第一专利权人)."""

    number = models.CharField(_("申请号"), max_length=13, unique=True, validators=[validate_patent])
    patent_type = models.CharField(_("专利类型"), max_length=16, choices=PatentType.choices)
    title = models.CharField(_("专利名称"), max_length=255)
    application_date = models.DateField(_("申请日"))
    publication_number = models.CharField(_("公开（公告）号"), max_length=32, blank=True)
    acquisition = models.CharField(
        _("获得方式"), max_length=16, choices=Acquisition.choices, default=Acquisition.OWN_RD
    )
    inventors = models.JSONField(_("发明人"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    # The fields below are computed by the services (owners, legal-status events), never typed: stored so that
    # a region's count or "valid on day D" is one indexed comparison, and the audit trail shows every change.
    owner_names = models.JSONField(_("专利权人"), default=list, editable=False, encoder=UnicodeJSONEncoder)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        related_name="patents",
        editable=False,
        help_text=_("第一专利权人所在区划"),
    )
    grant_date = models.DateField(_("授权公告日"), null=True, blank=True, editable=False)
    ended_on = models.DateField(
        _("终止日期"), null=True, blank=True, editable=False, help_text=_("自该日起不再有效（含期限届满）")
    )
    end_reason = models.CharField(_("终止原因"), max_length=16, choices=PatentEnd.choices, blank=True, editable=False)

    class Meta:
        verbose_name = pgettext_lazy("model", "专利")
        verbose_name_plural = pgettext_lazy("model plural", "专利")
        ordering = ["-application_date", "number"]
        constraints = [
            models.CheckConstraint(condition=models.Q(patent_type__in=PatentType.values), name="patent_type_valid"),
            models.CheckConstraint(
                condition=models.Q(acquisition__in=Acquisition.values), name="patent_acquisition_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(end_reason="") | models.Q(end_reason__in=PatentEnd.values),
                name="patent_end_reason_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(grant_date__isnull=True) | models.Q(grant_date__gte=models.F("application_date")),
                name="patent_granted_after_filing",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("application_date")),
                name="patent_ended_after_filing",
            ),
        ]
        indexes = [
            models.Index(fields=["grant_date", "ended_on"], name="patent_valid_idx"),
            models.Index(fields=["patent_type", "application_date"], name="patent_type_filed_idx"),
            models.Index(fields=["patent_type", "grant_date"], name="patent_type_granted_idx"),
        ]

    def __str__(self):
        return f"{format_number(self.number)} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("ip:patent_detail", args=[self.pk])

    # --- the data scope: the first patentee's region for the bureau, any owner for an organisation ----------

    @staticmethod
    def restrict_scope(queryset, scope):
        if scope.kind == "all":
            return queryset
        if scope.kind == "region" and scope.region_path:
            return queryset.filter(region__path__startswith=scope.region_path)
        if scope.kind == "org" and scope.org_id:
            # Exists, not a join: a patent two owners share is listed once.
            owned = PatentOwner.objects.filter(patent=OuterRef("pk"), organisation_id=scope.org_id)
            return queryset.filter(Exists(owned))
        return queryset.none()

    @staticmethod
    def instance_in_scope(instance, scope) -> bool:
        if scope.kind == "all":
            return True
        if scope.kind == "region" and scope.region_path:
            return instance.region_id is not None and instance.region.path.startswith(scope.region_path)
        if scope.kind == "org" and scope.org_id:
            return scope.org_id in instance.owner_organisation_ids()
        return False

    def owner_organisation_ids(self) -> set[int]:
        """Organisations among the owners: the ones about to be saved (``pending_owners``) or the stored ones."""
        pending = getattr(self, "pending_owners", None)
        if pending is not None:
            return {owner.organisation.pk for owner in pending if owner.organisation is not None}
        if self.pk is None:
            return set()
        return set(self.owners.exclude(organisation=None).values_list("organisation_id", flat=True))

    # --- what the number and the dates say ----------------------------------------------------------------

    @property
    def number_display(self) -> str:
        return format_number(self.number)

    @property
    def patent_no(self) -> str:
        """The patent number (专利号) of a granted patent: ZL + the application number."""
        return f"ZL{self.number_display}" if self.grant_date else ""

    @property
    def category(self) -> str:
        """发明, 实用新型 or 外观设计: the kind the statistics count a PCT entry under."""
        return CATEGORY[self.patent_type]

    def get_category_display(self) -> str:
        return PatentType(self.category).label

    @property
    def ip_class(self) -> str:
        return IPClass.I if self.patent_type in CLASS_I_PATENT_TYPES else IPClass.II

    def get_ip_class_display(self) -> str:
        return IPClass(self.ip_class).label

    def term_end(self) -> datetime.date | None:
        """The first day after the statutory term (20 years for inventions, 10 or 15 for the others)."""
        if not self.application_date or not self.patent_type:
            return None
        years = TERM_YEARS[self.patent_type]
        if self.patent_type == PatentType.DESIGN and self.application_date >= DESIGN_15_YEARS_FROM:
            years = 15
        return add_years(self.application_date, years)

    def is_valid_on(self, day: datetime.date) -> bool:
        """The same rule as ``selectors.valid_q``: granted by that day and not yet ended."""
        return bool(self.grant_date and self.grant_date <= day and (self.ended_on is None or self.ended_on > day))

    def status_on(self, day: datetime.date) -> str:
        """The legal status on a day, in words: 审查中, 有效, or why it ended."""
        if self.ended_on and self.ended_on <= day:
            return str(PatentEnd(self.end_reason).label) if self.end_reason else gettext("已终止")
        if self.grant_date and self.grant_date <= day:
            return gettext("有效")
        if self.application_date and self.application_date <= day:
            return str(PatentStatus.PENDING.label)
        return gettext("未申请")

    def clean(self):
        errors = {}
        self.number = normalise_patent(self.number)
        derived = number_type(self.number)
        if derived and not self.patent_type:
            self.patent_type = derived
        elif derived and self.patent_type and derived != self.patent_type:
            digit = self.number[4] if len(self.number) == 13 else self.number[2]
            errors["patent_type"] = gettext(
                "申请号中的类型位为“{digit}”（{derived}），与所选专利类型“{chosen}”不一致，请核对申请号或专利类型"
            ).format(digit=digit, derived=PatentType(derived).label, chosen=PatentType(self.patent_type).label)
        # The filing year is part of the number, except for PCT entries (the year they entered China).
        if len(self.number) == 13 and self.application_date and derived in (
            PatentType.INVENTION, PatentType.UTILITY, PatentType.DESIGN
        ):  # fmt: skip
            if int(self.number[:4]) != self.application_date.year:
                errors["application_date"] = gettext("申请日 {date} 与申请号中的申请年份 {year} 不一致，请核对").format(
                    date=self.application_date.isoformat(), year=self.number[:4]
                )
        self.title = (self.title or "").strip()
        if not isinstance(self.inventors, list) or any(not isinstance(n, str) or len(n) > 64 for n in self.inventors):
            errors["inventors"] = gettext("发明人应为姓名列表，每个姓名不超过 64 字")
        elif len(self.inventors) > MAX_INVENTORS:
            errors["inventors"] = gettext("发明人最多 {n} 个").format(n=MAX_INVENTORS)
        if errors:
            raise ValidationError(errors)


class PatentOwner(models.Model):
    """A patentee (专利权人) in the order the patent names them: a registered organisation, or a name."""

    patent = models.ForeignKey(Patent, verbose_name=pgettext_lazy("field", "专利"), on_delete=models.CASCADE,
                               related_name="owners")  # fmt: skip
    position = models.PositiveSmallIntegerField(_("顺序"))
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("单位"),
        null=True,
        blank=True,
        # Deleting an organisation keeps its name on the patent.
        on_delete=models.SET_NULL,
        related_name="patent_ownerships",
    )
    name = models.CharField(_("名称或姓名"), max_length=128)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = pgettext_lazy("model", "专利权人")
        verbose_name_plural = pgettext_lazy("model plural", "专利权人")
        ordering = ["patent", "position"]
        constraints = [
            models.UniqueConstraint(fields=["patent", "position"], name="patent_owner_position_unique"),
            models.CheckConstraint(condition=models.Q(position__gte=1), name="patent_owner_position_positive"),
        ]

    def __str__(self):
        return self.name


# Ranks of events on the same day: filed before granted before transferred before ended.
STATUS_ORDER = {status: rank for rank, status in enumerate(PatentStatus.values)}
ENDING = {PatentStatus.LAPSED: PatentEnd.LAPSED, PatentStatus.INVALIDATED: PatentEnd.INVALIDATED,
          PatentStatus.REJECTED: PatentEnd.REJECTED}  # fmt: skip


class PatentEvent(models.Model):
    """A dated change of a patent's legal status (法律状态): filed, granted, transferred, lapsed, invalidated."""

    patent = models.ForeignKey(Patent, verbose_name=pgettext_lazy("field", "专利"), on_delete=models.CASCADE,
                               related_name="events")  # fmt: skip
    status = models.CharField(_("法律状态"), max_length=16, choices=PatentStatus.choices)
    date = models.DateField(_("状态日期"))
    note = models.CharField(_("说明"), max_length=255, blank=True)
    created = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "专利法律状态")
        verbose_name_plural = pgettext_lazy("model plural", "专利法律状态")
        ordering = ["patent", "date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=PatentStatus.values), name="patent_event_status_valid"
            ),
            models.UniqueConstraint(fields=["patent", "status", "date"], name="patent_event_unique"),
        ]

    def __str__(self):
        return f"{format_number(self.patent.number)} {self.get_status_display()} {self.date.isoformat()}"

    def get_absolute_url(self) -> str:
        return self.patent.get_absolute_url()


class OtherIP(OrganisationChild):
    """IP other than patents held by an organisation: software copyrights, varieties, standards … (其他知识产权)."""

    tab = "other-ip"

    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("权利人单位"), on_delete=models.CASCADE, related_name="other_ip"
    )
    kind = models.CharField(_("类别"), max_length=16, choices=OtherIPKind.choices)
    number = models.CharField(_("登记号/证书号/标准号"), max_length=64)
    title = models.CharField(_("名称"), max_length=255)
    date = models.DateField(_("登记/授权/发布日期"))
    end_date = models.DateField(
        _("终止日期"), null=True, blank=True, help_text=_("保护期满、被撤销或标准废止的日期；仍有效的不填")
    )
    acquisition = models.CharField(
        _("获得方式"), max_length=16, choices=Acquisition.choices, default=Acquisition.OWN_RD
    )
    standard_level = models.CharField(_("标准级别"), max_length=16, choices=StandardLevel.choices, blank=True)
    standard_role = models.CharField(_("参与方式"), max_length=16, choices=StandardRole.choices, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "其他知识产权")
        verbose_name_plural = pgettext_lazy("model plural", "其他知识产权")
        ordering = ["organisation", "-date"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=OtherIPKind.values), name="otherip_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(acquisition__in=Acquisition.values), name="otherip_acquisition_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(standard_level="") | models.Q(standard_level__in=StandardLevel.values),
                name="otherip_standard_level_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(standard_role="") | models.Q(standard_role__in=StandardRole.values),
                name="otherip_standard_role_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gt=models.F("date")),
                name="otherip_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["kind", "number"],
                name="otherip_number_unique",
                violation_error_message=_("该类别下这个编号已经登记过，请核对编号"),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("ip:otherip_detail", args=[self.pk])

    @property
    def ip_class(self) -> str:
        """Ⅰ类 or Ⅱ类, or "" for a standard (not a class of IP: a bonus item of the high-tech score)."""
        return OTHER_IP_CLASS.get(self.kind, "")

    def get_ip_class_display(self) -> str:
        return IPClass(self.ip_class).label if self.ip_class else ""

    def is_valid_on(self, day: datetime.date) -> bool:
        """The same rule as ``selectors.other_ip_valid_q``."""
        return self.date <= day and (self.end_date is None or self.end_date > day)

    def clean(self):
        errors = {}
        self.number = other_ip_number(self.kind, self.number)
        self.title = (self.title or "").strip()
        if self.kind == OtherIPKind.SOFTWARE:
            if not re.fullmatch(SOFTWARE_NUMBER, self.number):
                errors["number"] = gettext("软件著作权登记号应为 4位年份 + SR + 6至7位数字，如 2020SR0123456")
        if self.kind == OtherIPKind.STANDARD:
            if not self.standard_level:
                errors["standard_level"] = gettext("标准须选择标准级别（国家、行业、地方、团体等）")
            if not self.standard_role:
                errors["standard_role"] = gettext("标准须选择参与方式（主导制定或参与制定）")
        elif self.kind and (self.standard_level or self.standard_role):
            field = "standard_level" if self.standard_level else "standard_role"
            errors[field] = gettext("只有类别为“标准”时才填写标准级别和参与方式，请清空")
        if self.end_date and self.date and self.end_date <= self.date:
            errors["end_date"] = gettext("终止日期应晚于登记/授权/发布日期")
        if errors:
            raise ValidationError(errors)
