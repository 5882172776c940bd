"""The talents, S&T commissioners and their service logs (科技人才储备库、科技特派员) registry."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kechuang.core.models import TimeStampedModel, UnicodeJSONEncoder
from kechuang.core.validators import idcard_error, mask_idcard, normalise_idcard
from kechuang.regions.choices import RegionLevel

from . import identity
from .choices import TITLE_RANK, CommissionerLevel, Education, Gender, ServiceKind, TitleLevel

MAX_PROGRAMMES = 20


def person_region_q(region_path: str, prefix: str = "") -> Q:
    """People placed in a region subtree: by their organisation's region, or their own when they have none."""
    return Q(**{f"{prefix}organisation__region__path__startswith": region_path}) | Q(
        **{f"{prefix}organisation__isnull": True, f"{prefix}region__path__startswith": region_path}
    )


def person_scope_q(scope, prefix: str = "") -> Q | None:
    """The people a data scope covers as a filter; None for all of them."""
    if scope.kind == "all":
        return None
    if scope.kind == "region" and scope.region_path:
        return person_region_q(scope.region_path, prefix)
    if scope.kind == "org" and scope.org_id:
        return Q(**{f"{prefix}organisation_id": scope.org_id})
    return Q(pk__in=[])


class Person(TimeStampedModel):
    """A person in the science and technology talent pool (科技人才)."""

    # The encrypted number and its keyed hash never enter the audit trail; the masked number does.
    AUDIT_EXCLUDE = ("id_number_encrypted", "id_number_hash")

    name = models.CharField(_("姓名"), max_length=32, db_index=True)
    id_number_masked = models.CharField(_("身份证号码"), max_length=18, blank=True, editable=False)
    id_number_encrypted = models.CharField(_("身份证号码（密文）"), max_length=128, blank=True, editable=False)
    id_number_hash = models.CharField(_("身份证号码索引"), max_length=64, blank=True, editable=False)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices, blank=True, editable=False)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), blank=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("没有所在单位的人员填写；有所在单位的随单位所在区划"),
    )
    field = models.CharField(_("专业领域"), max_length=64, blank=True)
    education = models.CharField(_("学历"), max_length=16, choices=Education.choices, blank=True)
    is_researcher = models.BooleanField(_("研发人员"), default=False)
    programmes = models.JSONField(_("人才计划"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "科技人才")
        verbose_name_plural = pgettext_lazy("model plural", "科技人才")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["id_number_hash"], name="person_id_number_unique"),
            models.CheckConstraint(condition=Q(gender__in=[*Gender.values, ""]), name="person_gender_valid"),
            models.CheckConstraint(condition=Q(education__in=[*Education.values, ""]), name="person_education_valid"),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(region__isnull=False), name="person_placed"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("talent:detail", args=[self.pk])

    # --- data scope (accounts: the organisation's region, or the person's own; organisation users: their own)

    @staticmethod
    def restrict_scope(queryset, scope):
        q = person_scope_q(scope)
        return queryset if q is None else queryset.filter(q)

    @staticmethod
    def instance_in_scope(instance, scope):
        if scope.kind == "all":
            return True
        if scope.kind == "org":
            return instance.organisation_id is not None and instance.organisation_id == scope.org_id
        place = instance.place
        return scope.kind == "region" and place is not None and place.path.startswith(scope.region_path)

    @property
    def place(self):
        """The region the person counts in: their organisation's, or their own."""
        return self.organisation.region if self.organisation_id else self.region

    # --- the identity number --------------------------------------------------------------------------------

    def set_id_number(self, value) -> None:
        """Validate a number and store it protected, with the gender and birth year it encodes."""
        number = normalise_idcard(value)
        if identity.is_masked(number):
            raise ValidationError(
                {"id_number": gettext("身份证号码已脱敏（含 *），请填写完整的18位号码")}, code="masked"
            )
        if error := idcard_error(number):
            raise ValidationError({"id_number": error}, code="invalid")
        self.id_number_masked = mask_idcard(number)
        self.id_number_encrypted = identity.encrypt(number)
        self.id_number_hash = identity.lookup_hash(number)
        self.gender = Gender.MALE if int(number[16]) % 2 else Gender.FEMALE
        self.birth_year = int(number[6:10])

    @property
    def id_number(self) -> str:
        """The full number, decrypted; show it only to users who ``may_see_identity``."""
        return identity.decrypt(self.id_number_encrypted) if self.id_number_encrypted else ""

    def id_number_for(self, user) -> str:
        return self.id_number if identity.may_see_identity(user) else self.id_number_masked

    # --- titles ---------------------------------------------------------------------------------------------

    def title_on(self, day: datetime.date | None = None):
        """The highest title obtained by a day (today by default), from prefetched titles if there are any."""
        day = day or timezone.localdate()
        held = [t for t in self.titles.all() if t.obtained <= day]
        return max(held, key=lambda t: (TITLE_RANK[t.level], t.obtained), default=None)

    def clean(self):
        errors = {}
        if not self.id_number_hash:
            errors["id_number"] = gettext("身份证号码不能为空")
        if not self.organisation_id and not self.region_id:
            errors["region"] = gettext("没有所在单位的人员须填写所在区划")
        elif self.organisation_id and self.region_id:
            errors["region"] = gettext("已填写所在单位的人员随单位所在区划，所在区划请留空")
        elif self.region_id and self._state.adding and self.region.is_abolished:
            errors["region"] = gettext("区划“{region}”已撤销，请选择现行区划").format(region=self.region)
        programmes = self.programmes if isinstance(self.programmes, list) else None
        if (
            programmes is None
            or len(programmes) > MAX_PROGRAMMES
            or any(not isinstance(p, str) or not p.strip() or len(p) > 64 for p in programmes)
        ):
            errors["programmes"] = gettext("人才计划最多 {n} 项，每项不超过 64 字").format(n=MAX_PROGRAMMES)
        if self.birth_year and self.birth_year < timezone.localdate().year - 100:
            errors["id_number"] = gettext("出生年份 {year} 过早，请核对身份证号码").format(year=self.birth_year)
        if errors:
            raise ValidationError(errors)


class Title(TimeStampedModel):
    """A professional title a person holds from the day it was obtained (专业技术职称)."""

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="titles")
    level = models.CharField(_("职称级别"), max_length=16, choices=TitleLevel.choices)
    name = models.CharField(_("职称名称"), max_length=64, help_text=_("如 高级工程师、农艺师、助理研究员"))
    obtained = models.DateField(_("取得日期"))

    class Meta:
        verbose_name = pgettext_lazy("model", "职称")
        verbose_name_plural = pgettext_lazy("model plural", "职称")
        ordering = ["person", "obtained"]
        constraints = [
            # One title per level: the day a person reached the level is what the dated counts need.
            models.UniqueConstraint(
                fields=["person", "level"],
                name="title_person_level_unique",
                violation_error_message=_("该人员已有这一级别的职称，请修改原有记录"),
            ),
            models.CheckConstraint(condition=Q(level__in=TitleLevel.values), name="title_level_valid"),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_level_display()}，{self.obtained:%Y-%m-%d}）"

    def get_absolute_url(self) -> str:
        return f"{self.person.get_absolute_url()}#titles"

    def clean(self):
        if self.obtained and self.obtained > timezone.localdate():
            raise ValidationError({"obtained": gettext("取得日期不能晚于今天")})
        try:
            person = self.person  # may be unsaved still: a row of an import creates both
        except Person.DoesNotExist:
            person = None
        if self.obtained and person is not None and person.birth_year and self.obtained.year < person.birth_year + 16:
            raise ValidationError(
                {
                    "obtained": gettext("取得日期 {date} 早于该人员16周岁（出生于{year}年），请核对").format(
                        date=self.obtained, year=person.birth_year
                    )
                }
            )


class Commissioner(TimeStampedModel):
    """One person's year as a science and technology commissioner (科技特派员), on a village."""

    scope_region = "township"

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="commissioner_years"
    )
    year = models.PositiveSmallIntegerField(_("选派年度"))
    level = models.CharField(
        _("选派层级"), max_length=16, choices=CommissionerLevel.choices, default=CommissionerLevel.COUNTY
    )
    township = models.ForeignKey(
        "regions.Region",
        verbose_name=_("服务乡镇"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    village = models.CharField(_("服务村"), max_length=32)
    sending_unit = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("派出单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commissioners_sent",
    )
    sending_unit_name = models.CharField(
        _("派出单位名称"), max_length=128, blank=True, help_text=_("派出单位不在系统中时填写")
    )
    field = models.CharField(_("服务领域"), max_length=64, blank=True, help_text=_("如 水果种植、生猪养殖、桑蚕"))

    class Meta:
        verbose_name = pgettext_lazy("model", "科技特派员")
        verbose_name_plural = pgettext_lazy("model plural", "科技特派员")
        ordering = ["-year", "township__code", "village", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year"],
                name="commissioner_person_year_unique",
                violation_error_message=_("该人员在这一年度已登记为科技特派员"),
            ),
            models.CheckConstraint(condition=Q(level__in=CommissionerLevel.values), name="commissioner_level_valid"),
            models.CheckConstraint(condition=Q(year__gte=1949, year__lte=2100), name="commissioner_year_range"),
        ]

    def __str__(self):
        return gettext("{year}年 {name}（{township}{village}）").format(
            year=self.year, name=self.person.name, township=self.township.name, village=self.village
        )

    def get_absolute_url(self) -> str:
        return reverse("talent:commissioner_detail", args=[self.pk])

    @property
    def sending_unit_display(self) -> str:
        return self.sending_unit.name if self.sending_unit_id else self.sending_unit_name

    def clean(self):
        errors = {}
        self.village = (self.village or "").strip()
        self.sending_unit_name = (self.sending_unit_name or "").strip()
        if self.township_id and self.township.level != RegionLevel.TOWNSHIP:
            errors["township"] = gettext("服务乡镇应选择乡镇（乡级区划），“{region}”不是").format(region=self.township)
        elif self.township_id and self._state.adding and self.township.is_abolished:
            errors["township"] = gettext("乡镇“{region}”已撤销，请选择现行区划").format(region=self.township)
        if self.sending_unit_id and self.sending_unit_name:
            errors["sending_unit_name"] = gettext("已选择系统中的派出单位，派出单位名称请留空")
        elif not self.sending_unit_id and not self.sending_unit_name:
            errors["sending_unit_name"] = gettext("请选择派出单位，或在派出单位名称中填写系统外的单位")
        if self.year and self.year > timezone.localdate().year + 1:
            errors["year"] = gettext("选派年度最多登记到明年（{year}年）").format(year=timezone.localdate().year + 1)
        if errors:
            raise ValidationError(errors)


class ServiceLog(TimeStampedModel):
    """One service a commissioner gave on the ground (科技特派员服务记录)."""

    scope_region = "commissioner__township"

    commissioner = models.ForeignKey(
        Commissioner, verbose_name=_("科技特派员"), on_delete=models.PROTECT, related_name="logs"
    )
    date = models.DateField(_("服务日期"))
    village = models.CharField(_("服务地点（村）"), max_length=32)
    kind = models.CharField(_("服务类型"), max_length=16, choices=ServiceKind.choices)
    days = models.PositiveSmallIntegerField(_("天数"), default=1)
    trainees = models.PositiveIntegerField(_("培训人数"), default=0)
    content = models.TextField(_("服务内容"))

    class Meta:
        verbose_name = pgettext_lazy("model", "特派员服务记录")
        verbose_name_plural = pgettext_lazy("model plural", "特派员服务记录")
        ordering = ["-date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["commissioner", "date", "village", "kind"],
                name="servicelog_natural_key",
                violation_error_message=_("这名特派员当天在该村已有同类型的服务记录"),
            ),
            models.CheckConstraint(condition=Q(kind__in=ServiceKind.values), name="servicelog_kind_valid"),
            models.CheckConstraint(condition=Q(days__gte=1, days__lte=31), name="servicelog_days_range"),
            models.CheckConstraint(
                condition=Q(kind=ServiceKind.TRAINING, trainees__gte=1)
                | (~Q(kind=ServiceKind.TRAINING) & Q(trainees=0)),
                name="servicelog_trainees_only_for_training",
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.village}"

    def get_absolute_url(self) -> str:
        return reverse("talent:servicelog_detail", args=[self.pk])

    def clean(self):
        errors = {}
        self.village = (self.village or "").strip()
        if self.date and self.commissioner_id and self.date.year != self.commissioner.year:
            errors["date"] = gettext("服务日期应在{year}年内（该特派员的选派年度），实际为{date}").format(
                year=self.commissioner.year, date=self.date
            )
        elif self.date and self.date > timezone.localdate():
            errors["date"] = gettext("服务日期不能晚于今天")
        if self.days is not None and not 1 <= self.days <= 31:
            errors["days"] = gettext("天数应为1至31天")
        if self.kind == ServiceKind.TRAINING and not self.trainees:
            errors["trainees"] = gettext("技术培训须填写培训人数（至少1人）")
        elif self.kind and self.kind != ServiceKind.TRAINING and self.trainees:
            errors["trainees"] = gettext("只有“技术培训”填写培训人数；{kind}请填 0 或留空").format(
                kind=self.get_kind_display()
            )
        if errors:
            raise ValidationError(errors)
