"""The S&T achievements, conversions, technology contracts, awards (科技成果、技术合同、科技奖励) registry.

Each record is placed in a region by one organisation, as official statistics place it: an achievement and an
award by their first completing unit (第一完成单位), a technology contract by its seller (技术输出方), a
conversion by its implementing organisation or, without one, by the achievement's first unit. A bureau user
sees the records placed in their region subtree; an organisation's own users see every record their
organisation takes part in (as a later-ranked unit, a buyer, an implementer too).
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kechuang.core.importkit import FULL_WIDTH
from kechuang.core.models import TimeStampedModel, UnicodeJSONEncoder
from kechuang.orgs.choices import HitechDomain

from .choices import (
    AchievementKind,
    AwardGrade,
    AwardLevel,
    ContractKind,
    ConversionForm,
    EvaluationConclusion,
    EvaluationMethod,
    ParticipantKind,
)

MAX_PEOPLE = 50
NUMBER_PATTERN = r"[0-9A-Z][0-9A-Z-]{3,31}"


def normalise_number(value) -> str:
    """A registration number as stored: half-width, upper case, without spaces."""
    return re.sub(r"\s+", "", str(value or "").translate(FULL_WIDTH)).upper()


def normalise_names(names) -> list[str]:
    """A list of names without blanks and surrounding spaces, in the given order."""
    return [str(n).translate(FULL_WIDTH).strip() for n in names or [] if str(n).strip()]


def _number_error(number: str, label: str, example: str) -> str | None:
    if re.fullmatch(NUMBER_PATTERN, number):
        return None
    return gettext("{label}应为 4 至 32 位数字、大写字母或连字符（-），不能以连字符开头，如 {example}").format(
        label=label, example=example
    )


def people_error(people) -> str | None:
    if not isinstance(people, list) or any(not isinstance(n, str) for n in people):
        return gettext("完成人应为姓名列表")
    if len(people) > MAX_PEOPLE:
        return gettext("完成人最多 {n} 人").format(n=MAX_PEOPLE)
    for name in people:
        if not 2 <= len(name) <= 32:
            return gettext("完成人“{name}”的姓名应为 2 至 32 个字").format(name=name)
        if any(c.isdigit() for c in name):
            return gettext("完成人“{name}”的姓名中不能有数字；多个姓名请用顿号或逗号分开").format(name=name)
    if len(set(people)) != len(people):
        duplicated = next(n for n in people if people.count(n) > 1)
        return gettext("完成人“{name}”重复出现").format(name=duplicated)
    return None


def _future_year_error(year) -> str | None:
    if year and year > timezone.localdate().year:
        return gettext("年度 {year} 还没有到").format(year=year)
    return None


class TakesPart:
    """Data scope of a record that several organisations take part in.

    A region user sees the records placed in the region subtree (``region_q``); an organisation's users see the
    records their organisation takes part in (``participant_q``), whatever the rank.
    """

    @classmethod
    def region_q(cls, path: str) -> Q:
        raise NotImplementedError

    @classmethod
    def participant_q(cls, org_id: int) -> Q:
        raise NotImplementedError

    def placement(self):
        """The organisation whose region places the record (or None while it is incomplete)."""
        raise NotImplementedError

    def participant_ids(self) -> set[int]:
        raise NotImplementedError

    @classmethod
    def taking_part(cls, org_id: int) -> Q:
        """Records the organisation takes part in, as one ``pk__in`` so that no join duplicates a row."""
        return Q(pk__in=cls._default_manager.filter(cls.participant_q(org_id)).values("pk"))

    @classmethod
    def restrict_scope(cls, queryset, scope):
        if scope.kind == "all":
            return queryset
        if scope.kind == "region" and scope.region_path:
            return queryset.filter(cls.region_q(scope.region_path))
        if scope.kind == "org" and scope.org_id:
            return queryset.filter(cls.taking_part(scope.org_id))
        return queryset.none()

    @classmethod
    def instance_in_scope(cls, instance, scope) -> bool:
        if scope.kind == "all":
            return True
        if scope.kind == "region" and scope.region_path:
            placing = instance.placement()
            return placing is not None and placing.region.path.startswith(scope.region_path)
        if scope.kind == "org" and scope.org_id:
            return scope.org_id in instance.participant_ids()
        return False


# --- achievements ------------------------------------------------------------------------------------------


class Achievement(TakesPart, TimeStampedModel):
    """A registered S&T achievement (科技成果登记), placed by its first completing unit."""

    number = models.CharField(_("登记号"), max_length=32, unique=True)
    title = models.CharField(_("成果名称"), max_length=255)
    kind = models.CharField(
        _("成果类型"), max_length=16, choices=AchievementKind.choices, default=AchievementKind.APPLIED
    )
    hitech_domain = models.PositiveSmallIntegerField(
        _("高新技术领域"), choices=HitechDomain.choices, null=True, blank=True
    )
    discipline = models.CharField(
        _("学科（行业）领域"), max_length=64, blank=True, help_text=_("不属于高新技术领域时填写，如 蚕桑学、管理学")
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("第一完成单位"), on_delete=models.PROTECT, related_name="achievements"
    )
    registration_date = models.DateField(_("登记日期"))
    evaluation_method = models.CharField(
        _("评价方式"), max_length=16, choices=EvaluationMethod.choices, default=EvaluationMethod.NONE
    )
    evaluation_conclusion = models.CharField(
        _("评价结论"), max_length=24, choices=EvaluationConclusion.choices, blank=True
    )
    evaluation_date = models.DateField(_("评价日期"), null=True, blank=True)
    people = models.JSONField(_("完成人"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    summary = models.TextField(_("成果简介"), blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "科技成果")
        verbose_name_plural = pgettext_lazy("model plural", "科技成果")
        ordering = ["-registration_date", "number"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AchievementKind.values), name="achievement_kind_valid"),
            models.CheckConstraint(
                condition=Q(hitech_domain__isnull=True) | Q(hitech_domain__gte=1, hitech_domain__lte=8),
                name="achievement_domain_valid",
            ),
            models.CheckConstraint(
                condition=Q(evaluation_method__in=EvaluationMethod.values), name="achievement_method_valid"
            ),
            models.CheckConstraint(
                condition=Q(evaluation_conclusion="") | Q(evaluation_conclusion__in=EvaluationConclusion.values),
                name="achievement_conclusion_valid",
            ),
        ]
        indexes = [models.Index(fields=["registration_date"], name="achievement_registered_idx")]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("achievements:detail", args=[self.pk])

    @classmethod
    def region_q(cls, path: str) -> Q:
        return Q(organisation__region__path__startswith=path)

    @classmethod
    def participant_q(cls, org_id: int) -> Q:
        return Q(organisation=org_id) | Q(units__organisation=org_id)

    def placement(self):
        return self.organisation if self.organisation_id else None

    def participant_ids(self) -> set[int]:
        ids = {self.organisation_id}
        if self.pk:
            ids |= set(self.units.exclude(organisation=None).values_list("organisation_id", flat=True))
        return ids - {None}

    def unit_names(self) -> list[str]:
        """Every completing unit's name in rank order, the first unit first."""
        return [self.organisation.name, *(u.display_name for u in self.units.all())]

    def clean(self):
        errors = {}
        self.number = normalise_number(self.number)
        if self.number and (error := _number_error(self.number, gettext("登记号"), "2020450223A001")):
            errors["number"] = error
        self.people = normalise_names(self.people) if isinstance(self.people, list) else self.people
        if error := people_error(self.people):
            errors["people"] = error
        if self.hitech_domain is None and not self.discipline.strip():
            errors["discipline"] = gettext("请选择高新技术领域，或填写学科（行业）领域")
        method, conclusion = self.evaluation_method, self.evaluation_conclusion
        if method == EvaluationMethod.NONE and conclusion:
            errors["evaluation_conclusion"] = gettext("未评价的成果没有评价结论；有结论时请选择评价方式")
        if method == EvaluationMethod.NONE and self.evaluation_date:
            errors["evaluation_date"] = gettext("未评价的成果不填评价日期；有评价时请选择评价方式")
        if self.evaluation_date and self.registration_date and self.evaluation_date > self.registration_date:
            errors["evaluation_date"] = gettext(
                "评价日期 {evaluated} 晚于登记日期 {registered}：成果须先评价后登记"
            ).format(evaluated=self.evaluation_date, registered=self.registration_date)
        if self.registration_date and self.registration_date > timezone.localdate():
            errors["registration_date"] = gettext("登记日期不能晚于今天")
        if errors:
            raise ValidationError(errors)


class AchievementUnit(TimeStampedModel):
    """Another completing unit of an achievement, ranked second or later (其他完成单位)."""

    achievement = models.ForeignKey(
        Achievement, verbose_name=pgettext_lazy("field", "科技成果"), on_delete=models.CASCADE, related_name="units"
    )
    position = models.PositiveSmallIntegerField(_("排名"))
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="achievement_units",
    )
    name = models.CharField(_("单位名称"), max_length=128, blank=True, help_text=_("不在单位档案中的单位填写名称"))

    class Meta:
        verbose_name = pgettext_lazy("model", "成果完成单位")
        verbose_name_plural = pgettext_lazy("model plural", "成果完成单位")
        ordering = ["achievement", "position"]
        constraints = [
            models.UniqueConstraint(fields=["achievement", "position"], name="achievement_unit_position_unique"),
            models.UniqueConstraint(
                fields=["achievement", "organisation"],
                condition=Q(organisation__isnull=False),
                name="achievement_unit_org_unique",
            ),
            models.CheckConstraint(condition=Q(position__gte=2), name="achievement_unit_after_first"),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(name=""), name="achievement_unit_named"
            ),
        ]

    def __str__(self):
        return f"{self.achievement.number} {self.position}. {self.display_name}"

    @property
    def display_name(self) -> str:
        return self.organisation.name if self.organisation_id else self.name


# --- conversions -------------------------------------------------------------------------------------------


class Conversion(TakesPart, TimeStampedModel):
    """A conversion of an S&T achievement or an IP item into use (科技成果转化), in one year and one form."""

    achievement = models.ForeignKey(
        Achievement,
        verbose_name=pgettext_lazy("field", "科技成果"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conversions",
    )
    subject = models.CharField(
        _("转化对象"), max_length=255, blank=True, help_text=_("转化未登记的成果（如专利）时填写专利号或名称")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    form = models.CharField(_("转化方式"), max_length=16, choices=ConversionForm.choices)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("实施单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conversions",
        help_text=_("不填则为成果的第一完成单位"),
    )
    amount = models.DecimalField(_("转化金额（元）"), max_digits=18, decimal_places=2, null=True, blank=True)
    major = models.BooleanField(_("重大科技成果转化"), default=False)
    major_reason = models.CharField(_("重大转化认定理由"), max_length=255, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "成果转化")
        verbose_name_plural = pgettext_lazy("model plural", "成果转化")
        ordering = ["-year", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(form__in=ConversionForm.values), name="conversion_form_valid"),
            models.CheckConstraint(condition=Q(year__gte=1949, year__lte=2100), name="conversion_year_range"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0), name="conversion_amount_ge_0"),
            models.CheckConstraint(condition=Q(achievement__isnull=False) | ~Q(subject=""), name="conversion_of_what"),
            models.CheckConstraint(
                condition=Q(achievement__isnull=False) | Q(organisation__isnull=False), name="conversion_placed"
            ),
            models.UniqueConstraint(
                fields=["achievement", "year", "form", "organisation"],
                condition=Q(achievement__isnull=False, organisation__isnull=False),
                name="conversion_natural_key",
                violation_error_message=_("该成果在该年度已有同一实施单位、同一转化方式的转化记录"),
            ),
        ]

    def __str__(self):
        what = self.achievement.title if self.achievement_id else self.subject
        return f"{self.year} {self.get_form_display()} {what}"

    def get_absolute_url(self) -> str:
        return reverse("achievements:conversion_detail", args=[self.pk])

    @classmethod
    def region_q(cls, path: str) -> Q:
        return Q(organisation__region__path__startswith=path) | Q(
            organisation__isnull=True, achievement__organisation__region__path__startswith=path
        )

    @classmethod
    def participant_q(cls, org_id: int) -> Q:
        return Q(organisation=org_id) | Q(achievement__organisation=org_id) | Q(achievement__units__organisation=org_id)

    def placement(self):
        if self.organisation_id:
            return self.organisation
        return self.achievement.organisation if self.achievement_id else None

    def participant_ids(self) -> set[int]:
        ids = {self.organisation_id}
        if self.achievement_id:
            ids |= self.achievement.participant_ids()
        return ids - {None}

    @property
    def implementer(self):
        """The organisation that implements the conversion: the one named, else the achievement's first unit."""
        return self.placement()

    def clean(self):
        errors = {}
        self.subject = (self.subject or "").strip()
        if not self.achievement_id and not self.subject:
            errors["subject"] = gettext("请选择已登记的科技成果，或填写转化对象（如专利号或名称）")
        elif not self.achievement_id and not self.organisation_id:
            errors["organisation"] = gettext("转化未登记的成果时须填写实施单位")
        if self.major and not self.major_reason.strip():
            errors["major_reason"] = gettext("认定为重大科技成果转化时须填写认定理由")
        if not self.major and self.major_reason.strip():
            errors["major_reason"] = gettext("只有重大科技成果转化才填写认定理由；请勾选“重大科技成果转化”或清空理由")
        if self.amount is not None and self.amount < 0:
            errors["amount"] = gettext("转化金额不能为负数")
        if error := _future_year_error(self.year):
            errors["year"] = error
        if errors:
            raise ValidationError(errors)


# --- technology contracts ----------------------------------------------------------------------------------


class TechContract(TakesPart, TimeStampedModel):
    """A registered technology contract (技术合同认定登记), placed by its seller (技术输出方)."""

    number = models.CharField(_("合同登记号"), max_length=32, unique=True)
    name = models.CharField(_("合同名称"), max_length=255)
    kind = models.CharField(_("合同类型"), max_length=16, choices=ContractKind.choices)
    seller = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("卖方"), on_delete=models.PROTECT, related_name="contracts_sold"
    )
    buyer = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("买方"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts_bought",
        help_text=_("买方在单位档案中时选择；否则填写买方名称和所在地区"),
    )
    buyer_name = models.CharField(_("买方名称"), max_length=128, blank=True)
    buyer_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("买方所在地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = models.DecimalField(_("合同成交额（元）"), max_digits=18, decimal_places=2)
    technical_income = models.DecimalField(_("技术交易额（元）"), max_digits=18, decimal_places=2)
    signing_date = models.DateField(_("签订日期"))
    registration_date = models.DateField(_("登记日期"))

    class Meta:
        verbose_name = pgettext_lazy("model", "技术合同")
        verbose_name_plural = pgettext_lazy("model plural", "技术合同")
        ordering = ["-registration_date", "number"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ContractKind.values), name="contract_kind_valid"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="contract_amount_gt_0"),
            models.CheckConstraint(
                condition=Q(technical_income__gte=0, technical_income__lte=models.F("amount")),
                name="contract_income_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(registration_date__gte=models.F("signing_date")), name="contract_registered_after_signing"
            ),
            models.CheckConstraint(condition=Q(buyer__isnull=False) | ~Q(buyer_name=""), name="contract_has_buyer"),
        ]
        indexes = [models.Index(fields=["registration_date"], name="contract_registered_idx")]

    def __str__(self):
        return f"{self.number} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("achievements:contract_detail", args=[self.pk])

    @classmethod
    def region_q(cls, path: str) -> Q:
        return Q(seller__region__path__startswith=path)

    @classmethod
    def participant_q(cls, org_id: int) -> Q:
        return Q(seller=org_id) | Q(buyer=org_id)

    def placement(self):
        return self.seller if self.seller_id else None

    def participant_ids(self) -> set[int]:
        return {self.seller_id, self.buyer_id} - {None}

    @property
    def buyer_display(self) -> str:
        return self.buyer.name if self.buyer_id else self.buyer_name

    def clean(self):
        errors = {}
        self.number = normalise_number(self.number)
        if self.number and (error := _number_error(self.number, gettext("合同登记号"), "2020450223000123")):
            errors["number"] = error
        self.buyer_name = (self.buyer_name or "").strip()
        if not self.buyer_id and not self.buyer_name:
            errors["buyer_name"] = gettext("请选择买方单位，或填写买方名称")
        if self.buyer_id and self.buyer_id == self.seller_id:
            errors["buyer"] = gettext("买方和卖方不能是同一个单位")
        if self.amount is not None and self.amount <= 0:
            errors["amount"] = gettext("合同成交额应大于 0")
        income, amount = self.technical_income, self.amount
        if income is not None and income < 0:
            errors["technical_income"] = gettext("技术交易额不能为负数")
        elif income is not None and amount is not None and income > amount:
            errors["technical_income"] = gettext("技术交易额不能大于合同成交额（技术交易额是成交额中核定的技术性收入）")
        if self.signing_date and self.registration_date and self.registration_date < self.signing_date:
            errors["registration_date"] = gettext("登记日期不能早于签订日期：合同须签订后才能认定登记")
        if self.registration_date and self.registration_date > timezone.localdate():
            errors["registration_date"] = gettext("登记日期不能晚于今天")
        if errors:
            raise ValidationError(errors)


# --- awards ------------------------------------------------------------------------------------------------


class Award(TakesPart, TimeStampedModel):
    """An S&T award a project won (科技奖励), placed by its first completing unit."""

    name = models.CharField(_("奖项名称"), max_length=64, help_text=_("如 自治区科学技术进步奖"))
    level = models.CharField(_("奖励级别"), max_length=16, choices=AwardLevel.choices)
    grade = models.CharField(_("奖励等级"), max_length=16, choices=AwardGrade.choices)
    year = models.PositiveSmallIntegerField(_("获奖年度"))
    project = models.CharField(_("获奖项目"), max_length=255)
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("第一完成单位"), on_delete=models.PROTECT, related_name="awards"
    )
    achievement = models.ForeignKey(
        Achievement,
        verbose_name=_("对应科技成果"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="awards",
    )
    certificate_number = models.CharField(_("证书编号"), max_length=32, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "科技奖励")
        verbose_name_plural = pgettext_lazy("model plural", "科技奖励")
        ordering = ["-year", "name", "project"]
        constraints = [
            models.CheckConstraint(condition=Q(level__in=AwardLevel.values), name="award_level_valid"),
            models.CheckConstraint(condition=Q(grade__in=AwardGrade.values), name="award_grade_valid"),
            models.CheckConstraint(condition=Q(year__gte=1949, year__lte=2100), name="award_year_range"),
            models.UniqueConstraint(
                fields=["name", "year", "project"],
                name="award_project_unique",
                violation_error_message=_("该项目在该年度已登记过同一奖项"),
            ),
        ]

    def __str__(self):
        return f"{self.year}年{self.name}{self.get_grade_display()}：{self.project}"

    def get_absolute_url(self) -> str:
        return reverse("achievements:award_detail", args=[self.pk])

    @classmethod
    def region_q(cls, path: str) -> Q:
        return Q(organisation__region__path__startswith=path)

    @classmethod
    def participant_q(cls, org_id: int) -> Q:
        return Q(organisation=org_id) | Q(participants__organisation=org_id)

    def placement(self):
        return self.organisation if self.organisation_id else None

    def participant_ids(self) -> set[int]:
        ids = {self.organisation_id}
        if self.pk:
            ids |= set(self.participants.exclude(organisation=None).values_list("organisation_id", flat=True))
        return ids - {None}

    def clean(self):
        errors = {}
        self.name, self.project = self.name.strip(), self.project.strip()
        if error := _future_year_error(self.year):
            errors["year"] = error
        if self.achievement_id and self.year and self.achievement.registration_date.year > self.year:
            errors["achievement"] = gettext("对应的科技成果 {year} 年才登记，晚于获奖年度").format(
                year=self.achievement.registration_date.year
            )
        if errors:
            raise ValidationError(errors)


class AwardParticipant(TimeStampedModel):
    """A completing unit (ranked second or later) or a completing person of an award, with the rank."""

    award = models.ForeignKey(
        Award, verbose_name=pgettext_lazy("field", "科技奖励"), on_delete=models.CASCADE, related_name="participants"
    )
    kind = models.CharField(_("类别"), max_length=8, choices=ParticipantKind.choices)
    position = models.PositiveSmallIntegerField(_("排名"))
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_participations",
    )
    name = models.CharField(_("名称或姓名"), max_length=128, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "获奖单位或个人")
        verbose_name_plural = pgettext_lazy("model plural", "获奖单位或个人")
        ordering = ["award", "kind", "position"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ParticipantKind.values), name="award_participant_kind_valid"),
            models.UniqueConstraint(fields=["award", "kind", "position"], name="award_participant_rank_unique"),
            models.UniqueConstraint(
                fields=["award", "organisation"],
                condition=Q(organisation__isnull=False),
                name="award_participant_org_unique",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=ParticipantKind.UNIT, position__gte=2) & (Q(organisation__isnull=False) | ~Q(name=""))
                )
                | (Q(kind=ParticipantKind.PERSON, position__gte=1, organisation__isnull=True) & ~Q(name="")),
                name="award_participant_shape",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.position}. {self.display_name}"

    @property
    def display_name(self) -> str:
        return self.organisation.name if self.organisation_id else self.name
