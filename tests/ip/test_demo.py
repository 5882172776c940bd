"""The Luzhai demo's patents add up to the seed plan's figures, computed here from the records themselves."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from django.db.models import Q

from kechuang.core.models import AuditLog
from kechuang.core.validators import patent_error
from kechuang.ip.models import OtherIP, Patent, PatentEvent, PatentOwner
from kechuang.ip.services import sequence_error
from kechuang.orgs.demo import HTES, load_demo
from kechuang.orgs.models import Organisation
from kechuang.regions.models import Population

pytestmark = pytest.mark.django_db
D = datetime.date
END_2020 = D(2020, 12, 31)
LUZHAI = Q(region__path__startswith="450000/450200/450223/")
INVENTIONS = Q(patent_type__in=["invention", "pct_invention"])


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def luzhai():
    return Patent.objects.filter(LUZHAI)


def in_force(day):
    return Q(grant_date__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))


def test_1830_applications_filed_2016_to_2020(demo):
    filed = luzhai().filter(application_date__year__gte=2016, application_date__year__lte=2020)
    assert filed.count() == 1830
    assert demo["patent_applications_2016_2020"] == 1830


def test_578_grants_2016_to_2020_by_type(demo):
    granted = luzhai().filter(grant_date__year__gte=2016, grant_date__year__lte=2020)
    assert granted.count() == 578
    assert granted.filter(INVENTIONS).count() == 101
    assert granted.filter(patent_type__in=["utility", "pct_utility"]).count() == 341
    assert granted.filter(patent_type="design").count() == 136
    assert (demo["invention_grants_2016_2020"], demo["utility_grants_2016_2020"], demo["design_grants_2016_2020"]) == (
        101, 341, 136,
    )  # fmt: skip
    # the grants agree with the events they come from
    events = PatentEvent.objects.filter(
        status="granted", date__year__gte=2016, date__year__lte=2020, patent__in=luzhai()
    )
    assert events.count() == 578


def test_81_inventions_in_force_at_the_end_of_2020_give_2_24_per_10000(demo):
    held = luzhai().filter(INVENTIONS).filter(in_force(END_2020))
    assert held.count() == 81
    resident = Population.objects.get(region__code="450223", year=2020).resident
    assert resident == 361_600
    assert (Decimal(81) * 10_000 / resident).quantize(Decimal("0.01"), ROUND_HALF_UP) == Decimal("2.24")
    assert demo["valid_inventions_2020"] == 81 and demo["inventions_per_10k_2020"] == Decimal("2.24")
    # By the events: granted by then, no lapse, invalidation or refusal by then.
    by_events = {
        e.patent_id
        for e in PatentEvent.objects.filter(
            status="granted", date__lte=END_2020, patent__in=luzhai().filter(INVENTIONS)
        )
    } - set(
        PatentEvent.objects.filter(status__in=["lapsed", "invalidated"], date__lte=END_2020).values_list(
            "patent_id", flat=True
        )
    )
    assert len(by_events) == 81


def test_patents_placed_in_liucheng_do_not_change_luzhai(demo):
    elsewhere = Patent.objects.filter(region__code="450222")
    assert elsewhere.count() == 6
    assert not elsewhere.filter(owners__position=1, owners__organisation__isnull=False).exists()
    assert elsewhere.filter(owners__position=2, owners__organisation__region__path__contains="450223").count() == 6
    # Some Luzhai patents name the 柳城县 company second: still Luzhai's.
    assert luzhai().filter(owners__position__gt=1, owners__region__code="450222").exists()


def test_numbers_validate_and_histories_hold_together(demo):
    numbers = list(Patent.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 1901
    assert all(patent_error(n) is None for n in numbers)
    histories: dict[int, list] = {}
    for patent_id, status, day in PatentEvent.objects.values_list("patent_id", "status", "date"):
        histories.setdefault(patent_id, []).append((status, day))
    for patent in Patent.objects.all():
        assert sequence_error(histories[patent.pk], application_date=patent.application_date) is None, patent
    for patent in Patent.objects.order_by("pk")[::50]:
        patent.full_clean()


def test_owners_are_mostly_demo_enterprises_with_a_few_people(demo):
    first = PatentOwner.objects.filter(position=1, patent__in=luzhai())
    people = first.filter(organisation__isnull=True)
    assert 0 < people.count() < first.count() // 10
    assert set(people.values_list("region__parent__code", flat=True)) == {"450223"}
    hte_names = [o.name for o in HTES]
    for name in hte_names:
        org = Organisation.objects.get(name=name)
        assert luzhai().filter(INVENTIONS, in_force(END_2020), owners__organisation=org).exists(), name
        assert OtherIP.objects.filter(organisation=org, kind="software").exists(), name
    assert first.filter(organisation__name__in=hte_names).count() > first.count() // 3


def test_other_ip_of_the_demo(demo):
    assert OtherIP.objects.filter(kind="software").count() == demo["software_copyrights"] > 25
    assert OtherIP.objects.filter(kind="standard").count() == 3
    for record in OtherIP.objects.all():
        record.full_clean()


def test_every_patent_and_event_has_its_creation_audited(demo):
    assert AuditLog.objects.filter(content_type__model="patent", action="create").count() == Patent.objects.count()
    assert AuditLog.objects.filter(content_type__model="patentevent", action="create").count() == (
        PatentEvent.objects.count()
    )


def test_loading_again_writes_nothing(demo):
    audit_rows, patents = AuditLog.objects.count(), Patent.objects.count()
    again = load_demo()
    assert (AuditLog.objects.count(), Patent.objects.count()) == (audit_rows, patents)
    assert again["created"] == again["updated"] == 0
    assert again["valid_inventions_2020"] == 81
