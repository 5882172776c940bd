"""What each role may do (the permission matrix) and how far its data scope reaches.

三员分立: the system administrator runs accounts and reference data (and reads the organisation list, to bind
accounts to organisations), the security administrator runs roles, locks and the login log, the audit
administrator reads the logs and nothing else; none of them can manage another's account from the web
(accounts.services._guard_separation). Logs are never changed or deleted by anyone. Business data belongs to the
bureau roles; enterprises and service providers see only their own organisation.
"""

from django.db import models

from .choices import Role

R = ("view",)
RE = ("view", "export")
CRUD = ("view", "add", "change", "delete", "export", "import")
EDIT = ("view", "add", "change", "export", "import")

ORG_RECORDS = (
    "orgs.organisation",
    "orgs.annualfigures",
    "orgs.certificate",
    "orgs.poolmembership",
    "orgs.servicerecord",
    "core.attachment",
)
# The registries (issue 3): bureau roles run them; an organisation's users read their own organisation's records.
REGISTRY = (
    "ip.patent",
    "ip.otherip",
    "talent.person",
    "talent.commissioner",
    "talent.servicelog",
    "carriers.carrier",
    "carriers.tenant",
    "achievements.achievement",
    "achievements.conversion",
    "achievements.techcontract",
    "achievements.award",
    "activities.activity",
    "activities.popularisationspending",
)
# Registries whose records belong to one organisation, which its own users may read and export.
ORG_REGISTRY = (
    "ip.patent",
    "ip.otherip",
    "talent.person",
    "carriers.carrier",
    "carriers.tenant",
    "achievements.achievement",
    "achievements.conversion",
    "achievements.techcontract",
    "achievements.award",
)
# Plan monitoring (issue 4): definitions kept by the bureau administrator, statistics entered by staff and approved
# by the administrator, assessments run by either; leaders read everything.
PLAN_DEFINITION = ("plans.plan", "plans.indicator", "plans.annualtarget", "plans.targetrevision")
PLAN_RESULTS = ("plans.assessment", "plans.indicatorresult")
# Evaluations (issue 5): the bureau stores them for its region; leaders and an organisation's users read them.
EVALUATION = {"evaluation.evaluationresult": {"view", "add", "export"}, "evaluation.rulesetversion": set(R)}
# Annual screening (issue 5 §5): the bureau runs it for its region and confirms or rejects the candidates (approve);
# leaders read it; enterprises never see candidate lists.
SCREENING = {"screening.screeningrun": {"view", "add", "export"}, "screening.candidate": {"view", "approve", "export"}}
# Scoring models (issue 5 item 4): the bureau administrator keeps them; staff and leaders read them; both bureau
# roles store results; enterprises see published schemes only through the policy calculator.
SCORING_MODEL = ("scoring.scoringmodel", "scoring.criterion")
REFERENCE = ("regions.region", "orgs.industry", "orgs.pool")
# What the evaluations read from the master file (issue 5 §2): the bureau keeps all three and confirms (approve) the
# monthly head counts and R&D-management evidence an organisation enters itself; integrity records are the bureau's.
EVALUATION_INPUTS = ("orgs.monthlyheadcount", "orgs.rdmanagementevidence", "orgs.integrityrecord")
SELF_REPORTED_INPUTS = ("orgs.monthlyheadcount", "orgs.rdmanagementevidence")
LOGS = ("core.auditlog", "accounts.loginlog", "accounts.operationlog")


def _grant(resources, actions) -> dict[str, set[str]]:
    return {resource: set(actions) for resource in resources}


MATRIX: dict[str, dict[str, set[str]]] = {
    Role.SYSADMIN: {
        **_grant(REFERENCE, CRUD),
        "orgs.organisation": {"view"},  # to bind enterprise and provider accounts to their organisation
        "regions.population": set(CRUD),
        "accounts.user": {"view", "add", "change", "export"},
    },
    Role.SECADMIN: {
        "accounts.user": {"view", "change", "export"},
        "accounts.loginlog": set(RE),
    },
    Role.AUDITADMIN: _grant(LOGS, RE),
    Role.BUREAU_ADMIN: {
        **_grant(ORG_RECORDS, CRUD),
        **_grant(EVALUATION_INPUTS, CRUD),
        **_grant(SELF_REPORTED_INPUTS, (*CRUD, "approve")),
        **_grant(REGISTRY, CRUD),
        "talent.identity": set(R),  # the full ID number of a person (others see it masked)
        "orgs.reportinground": set(CRUD),
        "orgs.annualfigures": {*CRUD, "approve"},
        **_grant(REFERENCE, R),
        "regions.population": set(CRUD),
        "orgs.pool": set(CRUD),
        "notices.notice": set(CRUD),
        "accounts.user": {"view", "approve"},
        "orgs.organisation": {*CRUD, "approve"},
        "core.history": set(R),
        **_grant(PLAN_DEFINITION, CRUD),
        "plans.observation": {*CRUD, "approve"},
        **_grant(PLAN_RESULTS, ("view", "add", "export")),
        "plans.qualityconfirmation": {"view", "add"},  # 数据质量确认 (issue 4 §9): both bureau roles confirm
        **EVALUATION,
        **SCREENING,
        **_grant(SCORING_MODEL, CRUD),
        "scoring.scoringresult": {"view", "add", "export"},
    },
    Role.BUREAU_STAFF: {
        **_grant(ORG_RECORDS, EDIT),
        **_grant(EVALUATION_INPUTS, EDIT),
        **_grant(SELF_REPORTED_INPUTS, (*EDIT, "approve")),
        **_grant(REGISTRY, EDIT),
        "talent.identity": set(R),
        "orgs.reportinground": set(EDIT),
        "orgs.annualfigures": {*EDIT, "approve"},
        **_grant(REFERENCE, R),
        "regions.population": set(RE),
        "notices.notice": {"view", "add", "change"},
        "accounts.user": {"view", "approve"},
        "orgs.organisation": {*EDIT, "approve"},
        "core.history": set(R),
        **_grant(PLAN_DEFINITION, RE),
        "plans.observation": set(EDIT),
        **_grant(PLAN_RESULTS, ("view", "add", "export")),
        "plans.qualityconfirmation": {"view", "add"},
        **EVALUATION,
        **SCREENING,
        **_grant(SCORING_MODEL, RE),
        "scoring.scoringresult": {"view", "add", "export"},
    },
    Role.LEADER: {
        **_grant(ORG_RECORDS, RE),
        **_grant(EVALUATION_INPUTS, RE),
        **_grant(REGISTRY, RE),
        "orgs.reportinground": set(R),
        **_grant(REFERENCE, R),
        "regions.population": set(RE),
        "notices.notice": set(R),
        "core.history": set(R),
        **_grant((*PLAN_DEFINITION, *PLAN_RESULTS, "plans.observation"), RE),
        "plans.qualityconfirmation": set(R),
        "evaluation.evaluationresult": set(RE),
        "evaluation.rulesetversion": set(R),
        **_grant(("screening.screeningrun", "screening.candidate"), RE),
        **_grant(SCORING_MODEL, RE),
        "scoring.scoringresult": set(RE),
    },
    Role.ENTERPRISE: {
        # An organisation's own users may export every list they can read (only their own records are in it).
        "orgs.organisation": {"view", "change", "export"},
        "orgs.annualfigures": {"view", "add", "change", "export", "import"},
        "orgs.certificate": set(RE),
        "orgs.poolmembership": set(RE),
        "orgs.servicerecord": set(RE),
        # Their own months and R&D-management evidence like their yearly report (confirmed by the bureau before they
        # count); their integrity records to read only.
        **_grant(SELF_REPORTED_INPUTS, ("view", "add", "change", "export")),
        "orgs.integrityrecord": set(RE),
        "core.attachment": {"view", "add"},
        **_grant(ORG_REGISTRY, RE),
        "orgs.reportinground": set(R),
        **_grant(REFERENCE, R),
        "notices.notice": set(R),
        "core.history": set(R),  # the history of their own records only (restrict scopes the records)
        "evaluation.evaluationresult": set(RE),
        "evaluation.rulesetversion": set(R),
    },
    Role.EXPERT: {**_grant(REFERENCE, R), "notices.notice": set(R)},
}
MATRIX[Role.PROVIDER] = MATRIX[Role.ENTERPRISE]

SCOPE_KIND = {
    Role.SYSADMIN: "region",
    Role.SECADMIN: "region",
    Role.AUDITADMIN: "all",
    Role.BUREAU_ADMIN: "region",
    Role.BUREAU_STAFF: "region",
    Role.LEADER: "region",
    Role.ENTERPRISE: "org",
    Role.PROVIDER: "org",
    Role.EXPERT: "none",
}
BUREAU_ROLES = (Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.LEADER)
ADMIN_ROLES = (Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN)
ORG_ROLES = (Role.ENTERPRISE, Role.PROVIDER)


def role_allows(role: str, model: type[models.Model] | str, action: str) -> bool:
    label = model if isinstance(model, str) else model._meta.label_lower
    return action in MATRIX.get(role, {}).get(label, ())


def scope_kind(role: str) -> str:
    return SCOPE_KIND.get(role, "none")


def is_installation_admin(user) -> bool:
    return user.role in (Role.SYSADMIN, Role.SECADMIN)
