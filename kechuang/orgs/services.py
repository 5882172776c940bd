"""Writes to the organisation master file; every one is checked by restrict() and audited."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy
from pypinyin import Style, lazy_pinyin

from kechuang.accounts.choices import RegistrationStatus
from kechuang.accounts.roles import ORG_ROLES
from kechuang.core.access import AccessDenied, ensure_may, ensure_permitted, permitted
from kechuang.core.exceptions import ServiceError
from kechuang.core.i18n import join_list, stored_text
from kechuang.core.importkit import changed_values
from kechuang.core.services import record_add, record_create, record_delete, record_update
from kechuang.core.validators import normalise_uscc, uscc_error

from .choices import FigureSource, OrgStatus, ReviewStatus, RoundStatus
from .models import (
    AnnualFigures,
    Certificate,
    IntegrityRecord,
    MonthlyHeadcount,
    Organisation,
    PoolMembership,
    RDManagementEvidence,
    ReportingRound,
    ServiceRecord,
)


def pinyin_initials(name: str) -> str:
    """Lower-case pinyin initials of a Chinese name: 鹿寨县科技局 → lzxkjj; letters and digits are kept as they are
    (ABC科技 → abckj), other characters dropped."""
    parts = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda chars: [c for c in chars if c.isalnum()])
    return "".join(part[0] for part in parts if part).lower()


def _prepare(organisation: Organisation) -> None:
    organisation.uscc = normalise_uscc(organisation.uscc)
    organisation.name = organisation.name.strip()
    organisation.name_initials = pinyin_initials(organisation.name)


def organisation_create(*, actor, **fields) -> Organisation:
    organisation = Organisation(**fields)
    _prepare(organisation)
    return record_create(actor=actor, instance=organisation, check=actor is not None)


# Identity and classification belong to the bureau; an organisation's own users keep the rest current.
BUREAU_OWNED_FIELDS = ("kind", "uscc", "name", "region", "status", "above_scale", "hitech_domain")


def _refuse_bureau_fields(actor, organisation: Organisation, data: dict) -> None:
    if actor is None or actor.role not in ORG_ROLES:
        return
    canonical = {"uscc": normalise_uscc, "name": str.strip}
    changed = [
        name
        for name in BUREAU_OWNED_FIELDS
        if name in data and canonical.get(name, lambda v: v)(data[name]) != getattr(organisation, name)
    ]
    if changed:
        labels = join_list(Organisation._meta.get_field(name).verbose_name for name in changed)
        raise AccessDenied(gettext("单位用户不能修改{fields}，请联系科技局").format(fields=labels))


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, data: dict) -> Organisation:
    """Change an organisation; a new name pushes the old one onto the former names (曾用名)."""
    stored = Organisation.objects.get(pk=organisation.pk)
    _refuse_bureau_fields(actor, stored, data)
    old_name = stored.name
    new_name = data.get("name", old_name).strip()
    data = {**data, "name": new_name}
    former = data.get("former_names", stored.former_names)
    if new_name != old_name and old_name not in former:
        data["former_names"] = [*former, old_name]
    if "uscc" in data:
        data["uscc"] = normalise_uscc(data["uscc"])
    data["name_initials"] = pinyin_initials(new_name)
    return record_update(actor=actor, instance=organisation, data=data, check=actor is not None)


def organisation_delete(*, actor, organisation: Organisation) -> None:
    ensure_may(actor, "delete", organisation)
    if organisation.users.exists():
        raise ServiceError(gettext("该单位下还有用户账号，不能删除；可将状态改为“注销”或“迁出”"))
    try:
        with transaction.atomic():
            record_delete(actor=actor, instance=organisation)
    except ProtectedError as exc:  # registries that feed statistics keep their organisation
        kinds = join_list(sorted({str(obj._meta.verbose_name) for obj in exc.protected_objects}))
        raise ServiceError(
            gettext("该单位还有{records}记录，不能删除；可将状态改为“注销”或“迁出”").format(records=kinds)
        ) from None


def organisation_for_registration(*, uscc: str, name: str, region) -> Organisation:
    """The organisation an enterprise registers for: the existing record, or a new one pending approval."""
    if error := uscc_error(uscc):
        raise ServiceError({"uscc": [error]})
    existing = Organisation.objects.filter(uscc=normalise_uscc(uscc)).first()
    if existing is not None:
        if existing.users.exclude(registration_status=RegistrationStatus.REJECTED).exists():
            raise ServiceError({"uscc": [gettext("该统一社会信用代码已有注册账号，请联系本单位管理员或科技局")]})
        return existing
    return organisation_create(actor=None, uscc=uscc, name=name, region=region, status=OrgStatus.PENDING)


def organisation_activate(*, actor, organisation: Organisation) -> Organisation:
    if organisation.status != OrgStatus.PENDING:
        return organisation
    return record_update(actor=actor, instance=organisation, data={"status": OrgStatus.ACTIVE})


def figures_review_values(*, actor, current: AnnualFigures | None, data: dict, now=None) -> dict:
    """The review fields that saving ``data`` sets (年报填报), for a new record (``current`` None) or a change.

    - The bureau (a user who may approve figures) or the system (no actor: commands, imports without a user) writes
      its own data: the figures are approved on save, with the saver as reviewer. A save that changes nothing
      changes no review field either.
    - An organisation's own user: new figures are a draft (草稿) until submitted; a change to submitted or approved
      figures puts them back to submitted (已提交), to be checked again; drafts and returned figures stay as they
      are until the user submits them.
    """
    # Who entered the figures (数据来源) is bookkeeping: re-saving the same figures is no new report to review.
    if current is not None and not changed_values(current, {k: v for k, v in data.items() if k != "source"}):
        return {}
    now = now or timezone.now()
    if actor is None or permitted(actor, AnnualFigures, "approve"):
        reviewer = actor if getattr(actor, "pk", None) else None
        return {"review_status": ReviewStatus.APPROVED, "reviewer": reviewer, "reviewed_at": now, "review_comment": ""}
    if current is None:
        return {"review_status": ReviewStatus.DRAFT}
    if current.review_status in (ReviewStatus.SUBMITTED, ReviewStatus.APPROVED):
        return {"review_status": ReviewStatus.SUBMITTED, "submitted_at": now}
    return {}


@transaction.atomic
def figures_save(*, actor, organisation: Organisation, year: int, data: dict, replace: bool = True) -> AnnualFigures:
    """Create or update one organisation's figures for one year (``replace=False``: only create).

    Figures an organisation's own users enter are always marked as reported by the enterprise (企业填报); the
    review status follows ``figures_review_values``."""
    if actor is not None and actor.role in ORG_ROLES:
        data = {**data, "source": FigureSource.REPORT}
    existing = AnnualFigures.objects.filter(organisation=organisation, year=year).first()
    if existing is not None and not replace:
        raise ServiceError({"year": [gettext("{year} 年度的数据已存在，请在列表中点“编辑”修改").format(year=year)]})
    data = {**data, **figures_review_values(actor=actor, current=existing, data=data)}
    if existing is None:
        return record_create(
            actor=actor, instance=AnnualFigures(organisation=organisation, year=year, **data), check=actor is not None
        )
    before = existing.review_status
    saved = record_update(actor=actor, instance=existing, data=data, check=actor is not None)
    if before == ReviewStatus.SUBMITTED and saved.review_status == ReviewStatus.APPROVED:
        _notify_review(saved)  # the bureau corrected and so accepted what the enterprise submitted
    return saved


def figures_delete(*, actor, figures: AnnualFigures) -> None:
    record_delete(actor=actor, instance=figures)


def child_create(*, actor, model, **fields):
    """Create a certificate, pool membership or service record on an organisation."""
    if model not in (Certificate, PoolMembership, ServiceRecord):
        raise ValueError(model)
    return record_create(actor=actor, instance=model(**fields), check=actor is not None)


def child_update(*, actor, instance, data: dict):
    return record_update(actor=actor, instance=instance, data=data)


def child_delete(*, actor, instance) -> None:
    record_delete(actor=actor, instance=instance)


# --- the yearly reporting round (年报填报) ---------------------------------------------------------------------


def figures_submit(*, actor, figures: AnnualFigures) -> AnnualFigures:
    """Hand a draft (or returned figures, once fixed) to the bureau for review (提交)."""
    ensure_may(actor, "change", figures)
    if figures.review_status == ReviewStatus.SUBMITTED:
        raise ServiceError(gettext("{figures}已提交，正在等待科技局审核").format(figures=figures))
    if figures.review_status == ReviewStatus.APPROVED:
        raise ServiceError(
            gettext("{figures}已审核通过，无需提交；如需更正请直接编辑，保存后会重新提交审核").format(figures=figures)
        )
    if not figures.basis.strip():
        raise ServiceError({"basis": [gettext("提交前请填写统计口径，如“企业财务报表口径”或“统计年报口径”")]})
    data = {"review_status": ReviewStatus.SUBMITTED, "submitted_at": timezone.now()}
    return record_update(actor=actor, instance=figures, data=data, check=False)


@transaction.atomic
def figures_approve(*, actor, figures: AnnualFigures, comment: str = "") -> AnnualFigures:
    """The bureau accepts submitted figures (审核通过); from now on they feed evaluations and indicators."""
    ensure_may(actor, "approve", figures)
    if figures.review_status != ReviewStatus.SUBMITTED:
        raise ServiceError(
            gettext("只能审核已提交的数据，{figures}当前为“{status}”").format(
                figures=figures, status=figures.get_review_status_display()
            )
        )
    return _review(actor, figures, ReviewStatus.APPROVED, comment)


@transaction.atomic
def figures_return(*, actor, figures: AnnualFigures, comment: str) -> AnnualFigures:
    """The bureau sends figures back to the organisation with a comment saying what to fix (退回)."""
    ensure_may(actor, "approve", figures)
    if not (comment or "").strip():
        raise ServiceError({"comment": [gettext("退回时须填写退回意见，写明需要修改哪些数据")]})
    if figures.review_status not in (ReviewStatus.SUBMITTED, ReviewStatus.APPROVED):
        raise ServiceError(
            gettext("只能退回已提交或已审核的数据，{figures}当前为“{status}”").format(
                figures=figures, status=figures.get_review_status_display()
            )
        )
    return _review(actor, figures, ReviewStatus.RETURNED, comment)


def _review(actor, figures: AnnualFigures, status: str, comment: str) -> AnnualFigures:
    now = timezone.now()
    data = {"review_status": status, "reviewer": actor, "reviewed_at": now, "review_comment": comment.strip()}
    # ensure_may(approve) has checked the right and the scope; approving is not editing the figures.
    saved = record_update(actor=actor, instance=figures, data=data, check=False)
    _notify_review(saved)
    return saved


@transaction.atomic
def figures_review_many(*, actor, figures, action: str, comment: str = "") -> tuple[int, int]:
    """Approve or return several figures at once (批量审核); those not in a state for it are skipped.

    Returns (done, skipped). Every one is checked, audited and notified as if reviewed alone."""
    if action not in ("approve", "return"):
        raise ValueError(action)
    if action == "return" and not (comment or "").strip():
        raise ServiceError({"comment": [gettext("退回时须填写退回意见，写明需要修改哪些数据")]})
    done = skipped = 0
    for item in figures.select_related("organisation", "organisation__region"):
        if item.review_status != ReviewStatus.SUBMITTED:
            skipped += 1
            continue
        if action == "approve":
            figures_approve(actor=actor, figures=item, comment=comment)
        else:
            figures_return(actor=actor, figures=item, comment=comment)
        done += 1
    return done, skipped


def _organisation_users(organisation_ids):
    from kechuang.accounts.models import User

    return User.objects.filter(organisation__in=organisation_ids, role__in=ORG_ROLES, is_active=True)


def _notify_review(figures: AnnualFigures) -> None:
    """Tell the organisation's users that the bureau approved or returned their figures (站内消息)."""
    from kechuang.notices.services import messages_send

    if figures.review_status == ReviewStatus.APPROVED:
        title = format_lazy(gettext_lazy("{year}年度数据已审核通过"), year=figures.year)
        body = format_lazy(gettext_lazy("科技局已审核通过您单位{year}年度数据。"), year=figures.year)
    else:
        title = format_lazy(gettext_lazy("{year}年度数据被退回，请修改后重新提交"), year=figures.year)
        body = format_lazy(gettext_lazy("退回意见：{comment}"), comment=figures.review_comment)
    if figures.review_status == ReviewStatus.APPROVED and figures.review_comment:
        body = format_lazy("{body}{comment}", body=body, comment=figures.review_comment)
    # Messages are stored rows: written in the installation's language.
    messages_send(
        users=_organisation_users([figures.organisation_id]),
        title=stored_text(title)[:128],
        body=stored_text(body),
        link=figures.detail_url(),
    )


def round_create(*, actor, **fields) -> ReportingRound:
    """The bureau opens a reporting round for its own region (填报范围 = the user's region) and tells the
    enterprises' users in it with an in-app message."""
    if getattr(actor, "region_id", None) is None:
        raise AccessDenied(gettext("您的账号没有所属区划，不能发起年报填报"))
    reporting_round = record_create(
        actor=actor, instance=ReportingRound(region=actor.region, opened_by=actor, **fields)
    )
    _announce(reporting_round)
    return reporting_round


def round_update(*, actor, reporting_round: ReportingRound, data: dict) -> ReportingRound:
    if "region" in data and data["region"] != reporting_round.region:
        raise ServiceError({"region": [gettext("填报范围不能修改；如需换一个区划，请另行发起")]})
    return record_update(actor=actor, instance=reporting_round, data=data)


def round_close(*, actor, reporting_round: ReportingRound) -> ReportingRound:
    return record_update(actor=actor, instance=reporting_round, data={"status": RoundStatus.CLOSED})


def _topic(reporting_round: ReportingRound, what: str) -> str:
    return f"{ReportingRound._meta.label_lower}:{reporting_round.pk}:{what}"


def _announce(reporting_round: ReportingRound) -> int:
    from kechuang.notices.services import messages_send

    from .selectors import round_population

    title = format_lazy(gettext_lazy("请填报{round}"), round=reporting_round)
    body = format_lazy(
        gettext_lazy("请于 {deadline:%Y年%m月%d日} 前填报并提交您单位{year}年度数据。{instructions}"),
        deadline=reporting_round.deadline,
        year=reporting_round.year,
        instructions=reporting_round.instructions,
    )
    return messages_send(
        users=_organisation_users(round_population(reporting_round).values("pk")),
        title=stored_text(title)[:128],
        body=stored_text(body),
        link=reporting_round.get_absolute_url(),
        deadline=reporting_round.deadline,
        topic=_topic(reporting_round, "opened"),
    )


@transaction.atomic
def round_reminders_send(*, today: datetime.date | None = None, days: int = 3) -> int:
    """A reminder to the users of every organisation that has not submitted its figures (none, a draft, or returned
    figures), for each open round whose deadline is within ``days``; once per user and round. Returns the count."""
    from kechuang.notices.services import messages_send

    from .selectors import round_unsubmitted

    today = today or timezone.localdate()
    last_day = today + datetime.timedelta(days=days)
    due = ReportingRound.objects.filter(
        status=RoundStatus.OPEN, opens_on__lte=today, deadline__gte=today, deadline__lte=last_day
    ).select_related("region")
    sent = 0
    for reporting_round in due:
        title = format_lazy(gettext_lazy("年报填报截止提醒：{round}"), round=reporting_round)
        body = format_lazy(
            gettext_lazy("您单位尚未提交{year}年度数据，请于 {deadline:%Y年%m月%d日} 前填报并提交。"),
            year=reporting_round.year,
            deadline=reporting_round.deadline,
        )
        sent += messages_send(
            users=_organisation_users(round_unsubmitted(reporting_round).values("pk")),
            title=stored_text(title)[:128],
            body=stored_text(body),
            link=reporting_round.get_absolute_url(),
            deadline=reporting_round.deadline,
            topic=_topic(reporting_round, "reminder"),
        )
    return sent


# --- what the evaluations need: monthly head counts, R&D-management evidence, integrity records ---------------

EVALUATION_RECORDS = (MonthlyHeadcount, RDManagementEvidence, IntegrityRecord)
# Records an organisation's own users may enter; they count in evaluations once the bureau has confirmed them.
CONFIRMED_RECORDS = (MonthlyHeadcount, RDManagementEvidence)


def _confirmation(actor, model) -> dict:
    """Saved by the bureau (a user who may approve the records) or the system: confirmed; by an organisation's own
    user: to be confirmed by the bureau, which it does by saving the record (like yearly figures, 年报填报)."""
    if model not in CONFIRMED_RECORDS:
        return {}
    return {"confirmed": actor is None or permitted(actor, model, "approve")}


@transaction.atomic
def evaluation_record_create(*, actor, model, organisation: Organisation, **fields):
    """Record a month's head counts, evidence of an R&D-management sub-item or an integrity record, audited."""
    if model not in EVALUATION_RECORDS:
        raise ValueError(model)
    ensure_permitted(actor, model, "add")
    instance = model(organisation=organisation, **fields, **_confirmation(actor, model))
    return record_add(actor=actor, instance=instance)


@transaction.atomic
def evaluation_record_update(*, actor, instance, data: dict):
    if type(instance) not in EVALUATION_RECORDS:
        raise ValueError(type(instance))
    ensure_permitted(actor, type(instance), "change")
    data = {name: value for name, value in data.items() if name not in ("organisation", "confirmed")}
    return record_update(
        actor=actor, instance=instance, data={**data, **_confirmation(actor, type(instance))}, check=actor is not None
    )


@transaction.atomic
def evaluation_record_delete(*, actor, instance) -> None:
    if type(instance) not in EVALUATION_RECORDS:
        raise ValueError(type(instance))
    ensure_permitted(actor, type(instance), "delete")
    record_delete(actor=actor, instance=instance, check=actor is not None)


@transaction.atomic
def headcounts_save_year(*, actor, organisation: Organisation, year: int, months: dict[int, dict]) -> int:
    """Enter or correct several months of one year at once (全年填报): ``months`` maps a month to its four counts.
    A month whose counts are unchanged is left alone, unless the bureau saves it, which confirms what the
    organisation entered. All or nothing; a refusal names the month. Returns the number of months written."""
    ensure_permitted(actor, MonthlyHeadcount, "add")
    existing = {h.month: h for h in MonthlyHeadcount.objects.filter(organisation=organisation, year=year)}
    confirms = _confirmation(actor, MonthlyHeadcount)["confirmed"]
    written = 0
    for month, counts in sorted(months.items()):
        current = existing.get(month)
        try:
            if current is None:
                evaluation_record_create(
                    actor=actor, model=MonthlyHeadcount, organisation=organisation, year=year, month=month, **counts
                )
            elif any(getattr(current, k) != v for k, v in counts.items()) or (confirms and not current.confirmed):
                evaluation_record_update(actor=actor, instance=current, data=counts)
            else:
                continue
        except ValidationError as error:
            messages = [gettext("{month}月：{message}").format(month=month, message=m) for m in error.messages]
            raise ServiceError(messages) from None
        written += 1
    return written
