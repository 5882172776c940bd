"""The Luzhai plans as demo data (see kechuang/orgs/demo.py): 专栏2 of the 14th plan (luzhai-14) and 专栏1 of the
13th plan (luzhai-13), loaded from the fixtures through the same import as ``kechuang plan import``, the 13th plan's
manual statistics (R&D over GDP, the county's fiscal S&T share) as approved observations, and the 13th plan assessed
for 2020 — so its completion rates come from the demo records, not from the fixture."""

from pathlib import Path

from .models import Assessment, Plan
from .planfile import read_plan
from .services import assessment_run, observations_import, plan_import

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PLANS = ("luzhai-14", "luzhai-13")
OBSERVATIONS = {"luzhai-13": "luzhai-13-observations.csv"}
ASSESSED = {"luzhai-13": 2020}


def load(loader, orgs: dict) -> None:
    for code in PLANS:
        path = FIXTURES / f"{code}.yaml"
        _plan, counts = plan_import(actor=None, data=read_plan(path.read_bytes(), path.name))
        loader.add(counts)
    for code, name in OBSERVATIONS.items():
        path = FIXTURES / name
        counts = observations_import(
            actor=None, plan=Plan.objects.get(code=code), raw=path.read_bytes(), filename=name, approve=True
        )
        loader.add({key: counts[key] for key in ("created", "updated", "unchanged")})
    for code, year in ASSESSED.items():
        plan = Plan.objects.select_related("region").get(code=code)
        if not Assessment.objects.filter(plan=plan, region=plan.region, year=year, current=True).exists():
            assessment_run(actor=None, plan=plan, region=plan.region, year=year)


def counts() -> dict:
    plans = Plan.objects.filter(code__in=PLANS)
    return {
        "plans": plans.count(),
        "plan_indicators": sum(p.indicators.count() for p in plans),
    }
