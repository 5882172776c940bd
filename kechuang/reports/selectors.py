"""Reads for reports: the plan, region and stored assessment a report is made of, within the user's scope."""

from django.http import Http404

from kechuang.core.access import may, restrict, security_log
from kechuang.plans.models import Assessment, Plan
from kechuang.plans.selectors import assessment_current
from kechuang.regions.models import Region

__all__ = ["report_assessment", "report_scope"]


def report_scope(*, user, plan_code: str, region_code: str = "", action: str = "view") -> tuple[Plan, Region]:
    """The plan (visible to the user) and the region (the plan's region by default, else one in its subtree and in
    the user's scope). Anything unknown or out of scope is Http404, logged, so a report cannot be used to probe
    which plans and regions exist beyond the user's scope."""
    plan = restrict(Plan, user, "view").select_related("region").filter(code=plan_code).first()
    region = None
    if plan is not None:
        code = region_code or plan.region.code
        region = Region.objects.filter(code=code, path__startswith=plan.region.path).first()
    # The region's scope is that of an assessment made for it, the record the report reads.
    if region is None or not may(user, action, Assessment(plan=plan, region=region)):
        security_log.warning(
            "report refused: user=%s plan=%s region=%s", getattr(user, "username", None), plan_code, region_code
        )
        raise Http404
    return plan, region


def report_assessment(*, user, plan: Plan, region: Region, year: int) -> Assessment | None:
    """The current stored assessment the report is made of, or None (running one is a write, never a report's)."""
    return assessment_current(user=user, plan=plan, region=region, year=year)
