"""Activity and spending rules, audited services, and the plan-monitoring selectors (per resident, by year)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.accounts.choices import Role
from kechuang.activities import selectors, services
from kechuang.activities.models import Activity, PopularisationSpending
from kechuang.core.exceptions import AccessDenied
from kechuang.core.models import AuditLog

D = datetime.date
pytestmark = pytest.mark.django_db


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_activity_rules(regions):
    activity = Activity(
        kind="training", title="培训", region=regions["450223"], start_date=D(2020, 5, 1), organiser="科技局"
    )
    activity.entries, activity.awards, activity.end_date = 10, 3, D(2020, 4, 30)
    found = errors_of(activity)
    assert found["entries"] == ["参赛项目数只适用于创新创业大赛，培训请留空"]
    assert found["awards"] == ["获奖项目数只适用于创新创业大赛，培训请留空"]
    assert found["end_date"] == ["结束日期不能早于开始日期（2020-05-01）"]
    activity.kind, activity.end_date, activity.trainees = "competition", None, 40
    assert errors_of(activity) == {"trainees": ["培训人数只适用于培训，创新创业大赛请留空"]}
    activity.trainees, activity.awards = None, 11
    assert errors_of(activity) == {"awards": ["获奖项目数不能多于参赛项目数（10）"]}
    activity.awards, activity.spending = 10, Decimal("-1")
    assert list(errors_of(activity)) == ["spending"]
    activity.spending = Decimal("80000")
    activity.full_clean()


def test_spending_rules(make_spending, regions):
    make_spending()
    duplicate = PopularisationSpending(region=regions["450223"], year=2020, amount=Decimal(1))
    assert errors_of(duplicate) == {"__all__": ["该区划该年度的科普经费已经登记过，请在列表中点“编辑”修改"]}
    future = PopularisationSpending(region=regions["450223"], year=2100, amount=Decimal(1))
    assert errors_of(future)["year"] == ["年度 2100 还没有到，不能填报"]


def test_services_audit_and_refuse(bureau, make_user, regions):
    activity = services.activity_create(
        actor=bureau, kind="competition", title="第一届大赛", region=regions["450223100"], start_date=D(2017, 9, 21),
        organiser="鹿寨县科学技术局", entries=28, awards=10,
    )  # fmt: skip
    services.activity_update(actor=bureau, activity=activity, data={"participants": 260})
    rows = AuditLog.objects.filter(content_type__model="activity", object_id=str(activity.pk)).order_by("pk")
    assert [(r.action, r.actor_id) for r in rows] == [("create", bureau.pk), ("update", bureau.pk)]
    assert rows[1].before["participants"] is None and rows[1].after["participants"] == 260
    with pytest.raises(AccessDenied):
        services.activity_create(
            actor=make_user(Role.LEADER), kind="training", title="培训", region=regions["450223"],
            start_date=D(2020, 1, 1), organiser="科技局",
        )  # fmt: skip
    with pytest.raises(AccessDenied):  # 柳城县 is outside the bureau's county
        services.spending_create(actor=bureau, region=regions["450222"], year=2020, amount=Decimal(5))
    with pytest.raises(AccessDenied):
        services.activity_delete(actor=make_user(Role.BUREAU_STAFF), activity=activity)
    services.activity_delete(actor=bureau, activity=activity)
    assert AuditLog.objects.filter(content_type__model="activity", action="delete").count() == 1


def test_activities_by_kind_and_year(make_activity, regions):
    make_activity("大赛一", kind="competition", start_date=D(2017, 9, 21), entries=28, awards=10, participants=260)
    make_activity("大赛二", kind="competition", start_date=D(2020, 10, 15), entries=46, awards=15, participants=420)
    make_activity("培训一", kind="training", region="450223", start_date=D(2020, 5, 21), trainees=120)
    make_activity("科普一", kind="popularisation", region="450223101", start_date=D(2020, 12, 31), spending=10000)
    make_activity("柳城科普", kind="popularisation", region="450222", start_date=D(2020, 6, 1))
    luzhai = regions["450223"]
    five = selectors.activities_in_years(first_year=2016, last_year=2020, region=luzhai)
    assert five.count() == 4
    assert selectors.activities_in_years(first_year=2020, region=luzhai, kinds=["competition"]).count() == 1
    totals = selectors.activity_totals(first_year=2016, last_year=2020, region=luzhai)
    assert totals["competition"] == {
        "count": 2, "participants": 680, "entries": 74, "awards": 25, "trainees": 0, "spending": Decimal("0.00"),
    }  # fmt: skip
    assert totals["training"]["trainees"] == 120
    assert totals["popularisation"]["spending"] == Decimal("10000.00")
    assert selectors.activities_in_years(first_year=2020, region=regions["450223101"]).count() == 1


def test_per_resident_sums_the_subtree_over_the_region_population(make_spending, population, regions, bureau):
    population("450223", 2020, 361600)
    population("450223100", 2020, 120000)
    make_spending("450223", 2020, "10800000.00")
    make_spending("450223100", 2020, "360000.00")
    make_spending("450223101", 2020, "772800.00")
    make_spending("450223", 2019, "99.00")
    make_spending("450222", 2020, "5000000.00")  # 柳城县
    figure = selectors.popularisation_per_resident(year=2020, region=regions["450223"])
    assert (figure.spending, figure.population, figure.value) == (Decimal("11932800.00"), 361600, Decimal(33))
    children = {row.region.code: row for row in selectors.popularisation_by_child(year=2020, region=regions["450223"])}
    assert len(children) == 9
    assert (children["450223100"].spending, children["450223100"].value) == (Decimal("360000.00"), Decimal(3))
    assert children["450223101"].value is None  # no population for 中渡镇
    assert children["450223202"].spending == Decimal("0.00")
    no_people = selectors.popularisation_per_resident(year=2019, region=regions["450223"])
    assert no_people.value is None and no_people.spending == Decimal("99.00")
    # A user sees the figure of the records in scope only.
    assert selectors.region_in_scope(user=bureau, region=regions["450223101"])
    assert not selectors.region_in_scope(user=bureau, region=regions["450222"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    amounts=st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=5),
    resident=st.integers(min_value=1, max_value=10**8),
)
def test_per_resident_is_the_exact_quotient(regions, amounts, resident):
    from kechuang.regions.models import Population

    codes = ["450223", "450223100", "450223101", "450223102", "450223103"]
    PopularisationSpending.objects.bulk_create(
        PopularisationSpending(region=regions[code], year=2019, amount=Decimal(cents) / 100)
        for code, cents in zip(codes, amounts, strict=False)
    )
    Population.objects.update_or_create(region=regions["450223"], year=2019, defaults={"resident": resident})
    figure = selectors.popularisation_per_resident(year=2019, region=regions["450223"])
    total = sum(Decimal(cents) / 100 for cents in amounts)
    assert figure.spending == total
    assert figure.value == total / resident
    assert abs(figure.value * resident - total) < Decimal("1e-15") * max(total, 1)
    PopularisationSpending.objects.all().delete()
