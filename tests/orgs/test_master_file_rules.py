"""Rules of the master file that no form shows: history visibility, provenance, attachments, search keys."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kechuang.core.models import Attachment
from kechuang.orgs import services
from kechuang.orgs.models import AnnualFigures, Certificate, Organisation

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def org(make_org, bureau):
    org = make_org("鹿寨县恒达汽车配件有限公司", region="450223100")
    services.organisation_update(actor=bureau, organisation=org, data={"contact": "张三"})
    return org


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("bureau_admin", True),
        ("bureau_staff", True),
        ("leader", True),
        ("enterprise", True),
        ("expert", False),
        ("auditadmin", False),
    ],
)
def test_history_on_the_organisation_page(org, make_user, login, role, sees):
    user = make_user(
        role, organisation=org if role == "enterprise" else None, region=None if role == "auditadmin" else "450223"
    )
    response = login(user).get(f"/orgs/{org.pk}/")
    if response.status_code != 200:
        assert not sees
        return
    assert ("张三" in "".join(str(e.after) for e in response.context["history"])) is sees


def test_other_enterprise_sees_no_history(org, make_org, make_user, login):
    other = make_user("enterprise", organisation=make_org("另一企业"))
    assert login(other).get(f"/orgs/{org.pk}/").status_code == 404


def test_enterprise_figures_are_marked_as_reported(org, make_user):
    user = make_user("enterprise", organisation=org)
    figures = services.figures_save(actor=user, organisation=org, year=2024, data={"source": "statistics"})
    assert figures.source == "report"
    bureau_figures = services.figures_save(
        actor=make_user("bureau_staff"), organisation=org, year=2023, data={"source": "statistics"}
    )
    assert bureau_figures.source == "statistics"


def test_creating_a_year_twice_is_refused_by_the_service(org, bureau):
    services.figures_save(actor=bureau, organisation=org, year=2024, data={}, replace=False)
    with pytest.raises(ValidationError, match="2024 年度的数据已存在"):
        services.figures_save(actor=bureau, organisation=org, year=2024, data={}, replace=False)
    assert AnnualFigures.objects.filter(organisation=org).count() == 1


def test_enterprise_attaches_to_what_it_may_change_only(org, make_user, login, bureau):
    from django.contrib.contenttypes.models import ContentType

    cert = services.child_create(
        actor=bureau, model=Certificate, organisation=org, kind="other", name="瞪羚企业", level="region", year=2024
    )
    client = login(make_user("enterprise", organisation=org))
    org_ct = ContentType.objects.get_for_model(org).pk
    cert_ct = ContentType.objects.get_for_model(cert).pk
    ok = client.post(
        f"/attachments/{org_ct}/{org.pk}/upload/", {"kind": "licence", "file": SimpleUploadedFile("licence.pdf", PDF)}
    )
    assert ok.status_code == 302
    refused = client.post(
        f"/attachments/{cert_ct}/{cert.pk}/upload/", {"kind": "certificate", "file": SimpleUploadedFile("c.pdf", PDF)}
    )
    assert refused.status_code == 403
    assert Attachment.objects.count() == 1
    assert client.get(f"/attachments/{org_ct}/not-a-number/upload/").status_code == 404


def test_pinyin_initials_keep_latin_letters_and_digits():
    assert services.pinyin_initials("ABC科技有限公司") == "abckjyxgs"
    assert services.pinyin_initials("广西（鹿寨）3D打印有限公司") == "gxlz3ddyyxgs"


def test_former_names_are_bounded(org, bureau):
    with pytest.raises(ValidationError, match="曾用名最多"):
        services.organisation_update(actor=bureau, organisation=org, data={"former_names": ["x" * 200]})
    with pytest.raises(ValidationError, match="曾用名最多"):
        services.organisation_update(actor=bureau, organisation=org, data={"former_names": [str(i) for i in range(21)]})


def test_an_organisation_with_registry_records_cannot_be_deleted(regions, make_org, make_user):
    """Registries that feed statistics protect their organisation: a clear refusal, not a server error."""
    import datetime
    from decimal import Decimal

    from kechuang.achievements.choices import ContractKind
    from kechuang.achievements.models import TechContract
    from kechuang.core.exceptions import ServiceError

    org = make_org(region="450223100")
    TechContract.objects.create(
        number="2020450223000001", name="技术开发合同", kind=ContractKind.values[0], seller=org,
        buyer_name="柳州某公司", amount=Decimal(100), technical_income=Decimal(100),
        signing_date=datetime.date(2020, 5, 1), registration_date=datetime.date(2020, 5, 8),
    )  # fmt: skip
    with pytest.raises(ServiceError, match="技术合同"):
        services.organisation_delete(actor=make_user("bureau_admin"), organisation=org)
    assert Organisation.objects.filter(pk=org.pk).exists()
