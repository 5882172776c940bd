"""Writes of the annual screening: a run of a pool's criteria storing its candidates, and the bureau's decisions on
them, which enter or exit the organisations through the master file's services. Every write is checked and audited
in its own transaction."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from kechuang.core.access import ensure_may, ensure_permitted
from kechuang.core.audit import audit_write, snapshot
from kechuang.core.choices import AuditAction
from kechuang.core.exceptions import ServiceError
from kechuang.orgs import services as orgs_services
from kechuang.orgs.models import Certificate, Organisation, Pool, PoolMembership
from kechuang.orgs.selectors import hte_valid_q

from .choices import Decision, Proposal
from .models import Candidate, ScreeningRun
from .rules import criteria, digest, not_screened_message
from .screen import assess, rank_key
from .selectors import current_members

REASON_LENGTH = 255  # PoolMembership.entry_reason / exit_reason


@transaction.atomic
def screening_run(*, actor, pool: Pool, year: int, region=None) -> ScreeningRun:
    """Screen ``pool`` over the organisations of ``region`` (default: the actor's own) with approved figures for the
    data ``year``, and store the candidates: organisations meeting the criteria that are not members (entry, ranked),
    members to leave (exit) and members that stay. Audited."""
    ensure_permitted(actor, ScreeningRun, "add")
    pools = criteria()["pools"]
    if pool.code not in pools:
        raise ServiceError({"pool": [not_screened_message(pool.name)]})
    region = region or getattr(actor, "region", None)
    if region is None:
        raise ServiceError({"region": [gettext("请指定筛选范围（区划代码），如 450223")]})
    rules = pools[pool.code]
    run = ScreeningRun(
        pool=pool,
        year=year,
        region=region,
        criteria=rules,
        digest=digest(rules),
        run_by=actor if getattr(actor, "pk", None) else None,
    )
    if actor is not None:
        ensure_may(actor, "add", run)
    in_region = Organisation.objects.filter(region__path__startswith=region.path)
    with translation.override(settings.LANGUAGE_CODE):  # the reasons are stored text
        assessment = assess(user=actor, year=year, pool=rules, organisations=in_region)
        members = {
            m.organisation_id: m for m in current_members(user=actor, pool=pool, year=run.intake_year, region=region)
        }
        candidates = _candidates(actor, run, rules, assessment, members)
    run.screened = len(assessment.passed)
    run.save()
    for candidate in candidates:
        candidate.run = run
    Candidate.objects.bulk_create(candidates, batch_size=1000)
    after = snapshot(run) | {"candidates": _count(candidates)}
    audit_write(actor=actor, action=AuditAction.CREATE, instance=run, before=None, after=after)
    return run


def _candidates(actor, run: ScreeningRun, rules: dict, assessment, members: dict) -> list[Candidate]:
    exit_rules = rules.get("exit") or {}
    fails_years = int(exit_rules.get("fails_years") or 0)
    max_years = exit_rules.get("max_years")
    earlier = []  # the assessments of the years before, for "fails N years running"
    if members and fails_years > 1:
        earlier = [
            assess(user=actor, year=run.year - k, pool=rules, organisations=list(members))
            for k in range(1, fails_years)
        ]
    certified = _hte_certificates(list(members), run.year) if exit_rules.get("hte_certificate") else {}
    found = []
    entries = [pk for pk, ok in assessment.passed.items() if ok and pk not in members]
    entries.sort(key=lambda pk: (rank_key(assessment.rank_values[pk]), pk))
    for rank, pk in enumerate(entries, start=1):
        found.append(
            Candidate(
                organisation_id=pk,
                proposal=Proposal.ENTRY,
                rank=rank,
                figures=assessment.figures[pk],
                reasons=assessment.reasons[pk],
            )
        )
    for pk, membership in members.items():
        reasons = assessment.reasons.get(pk) or [assessment.missing_reason()]
        failing = not assessment.passed.get(pk, False)
        exit_reason = None
        if pk in certified:
            certificate = certified[pk]
            exit_reason = gettext("已认定高新技术企业（证书编号 {number}，{date} 发证）").format(
                number=certificate.number or "—", date=certificate.issue_date.isoformat()
            )
        elif fails_years and failing and all(not a.passed.get(pk, False) for a in earlier):
            exit_reason = gettext("连续 {n} 年不符合入库条件（{first}–{last} 年度）").format(
                n=fails_years, first=run.year - fails_years + 1, last=run.year
            )
        elif max_years and run.intake_year - membership.entry_year >= int(max_years):
            exit_reason = gettext("入库已满 {n} 年（{year} 年入库）").format(
                n=int(max_years), year=membership.entry_year
            )
        if exit_reason:
            reasons = [{"code": "exit", "passed": True, "text": exit_reason}, *reasons]
        found.append(
            Candidate(
                organisation_id=pk,
                proposal=Proposal.EXIT if exit_reason else Proposal.STAY,
                membership=membership,
                figures=assessment.figures.get(pk, {}),
                reasons=reasons,
                decision=Decision.PENDING if exit_reason else Decision.NONE,
            )
        )
    return found


def _hte_certificates(organisations: list[int], year: int) -> dict[int, Certificate]:
    """The high-tech certificate each of these organisations holds valid on 31 December of ``year``."""
    day = datetime.date(year, 12, 31)
    found = Certificate.objects.filter(hte_valid_q(day), organisation__in=organisations).order_by("issue_date")
    return {c.organisation_id: c for c in found}


def _count(candidates: list[Candidate]) -> dict[str, int]:
    counted = {p: 0 for p in Proposal.values}
    for candidate in candidates:
        counted[candidate.proposal] += 1
    return counted


# --- decisions (确认入库/出库) ---------------------------------------------------------------------------------


@transaction.atomic
def candidate_decide(*, actor, candidate: Candidate, decision: str, comment: str = "") -> Candidate:
    """Confirm or reject one candidate. Confirming an entry creates the pool membership (entry year: the run's
    intake year, the reasons that held as entry reason); confirming an exit closes the membership with the exit
    year and reason. Rejecting needs a comment. Audited with the membership's own audit row."""
    if actor is not None:
        ensure_may(actor, "approve", candidate)
    candidate = (
        Candidate.objects.select_for_update().select_related("run", "run__pool", "organisation").get(pk=candidate.pk)
    )
    comment = (comment or "").strip()
    if decision not in (Decision.CONFIRMED, Decision.REJECTED):
        raise ServiceError({"decision": [gettext("确认结果只能是“已确认”或“不予采纳”")]})
    if candidate.decision != Decision.PENDING:
        raise ServiceError(
            gettext("{candidate}：当前为“{decision}”，不能再确认").format(
                candidate=candidate.organisation, decision=candidate.get_decision_display()
            )
        )
    if decision == Decision.REJECTED and not comment:
        raise ServiceError({"comment": [gettext("不予采纳时须填写意见，写明不采纳的理由")]})
    before = snapshot(candidate)
    if decision == Decision.CONFIRMED:
        candidate.membership = _apply(actor, candidate)
    candidate.decision, candidate.comment = decision, comment
    candidate.decided_by = actor if getattr(actor, "pk", None) else None
    candidate.decided_at = timezone.now()
    candidate.full_clean()
    candidate.save()
    audit_write(actor=actor, action=AuditAction.APPROVE, instance=candidate, before=before, after=snapshot(candidate))
    return candidate


def _apply(actor, candidate: Candidate) -> PoolMembership:
    run, organisation = candidate.run, candidate.organisation
    open_membership = (
        PoolMembership.objects.filter(organisation=organisation, pool=run.pool, exit_year__isnull=True)
        .order_by("-entry_year")
        .first()
    )
    if candidate.proposal == Proposal.ENTRY:
        if open_membership is not None:
            raise ServiceError(
                gettext("{organisation}已在{pool}中（{year} 年入库），无需再入库").format(
                    organisation=organisation, pool=run.pool, year=open_membership.entry_year
                )
            )
        return orgs_services.child_create(
            actor=actor,
            model=PoolMembership,
            organisation=organisation,
            pool=run.pool,
            entry_year=run.intake_year,
            entry_reason=_reason(candidate.reason_text(passed_only=True)),
        )
    if open_membership is None:
        raise ServiceError(
            gettext("{organisation}已不在{pool}中，无需出库").format(organisation=organisation, pool=run.pool)
        )
    if open_membership.entry_year > run.intake_year:
        raise ServiceError(
            gettext("{organisation}于 {entry} 年入库，晚于本次筛选的出库年度 {year}，请重新筛选").format(
                organisation=organisation, entry=open_membership.entry_year, year=run.intake_year
            )
        )
    exit_reason = candidate.reasons[0]["text"] if candidate.reasons else ""
    return orgs_services.child_update(
        actor=actor, instance=open_membership, data={"exit_year": run.intake_year, "exit_reason": _reason(exit_reason)}
    )


@transaction.atomic
def candidates_decide(*, actor, candidates, decision: str, comment: str = "") -> tuple[int, int]:
    """Confirm or reject several candidates at once (批量确认), each as if decided alone; those already decided are
    skipped. All or nothing: a refusal names the organisation and nothing is kept. Returns (done, skipped)."""
    if decision == Decision.REJECTED and not (comment or "").strip():
        raise ServiceError({"comment": [gettext("不予采纳时须填写意见，写明不采纳的理由")]})
    done = skipped = 0
    for candidate in candidates.select_related("organisation", "organisation__region"):
        if candidate.decision != Decision.PENDING:
            skipped += 1
            continue
        try:
            candidate_decide(actor=actor, candidate=candidate, decision=decision, comment=comment)
        except ValidationError as error:
            raise ServiceError(
                gettext("{organisation}：{message}").format(
                    organisation=candidate.organisation, message=gettext("；").join(error.messages)
                )
            ) from error
        done += 1
    return done, skipped


def _reason(text: str) -> str:
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…"
