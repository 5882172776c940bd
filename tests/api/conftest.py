"""Fixtures of the API tests: JSON clients signed in by token or session, and a small organisation register."""

import datetime

import pytest
from django.utils import timezone

from kechuang.accounts.services import token_create
from kechuang.orgs.choices import IndustryLevel
from kechuang.orgs.models import Industry, Pool
from tests.conftest import JsonClient

LAST_YEAR = timezone.localdate().year - 1


@pytest.fixture
def token_client():
    """A client that authenticates with a fresh personal token of ``user`` (Authorization: Bearer kc_…)."""

    def make(user) -> JsonClient:
        _token, key = token_create(actor=user, user=user, name="pytest")
        return JsonClient(HTTP_AUTHORIZATION=f"Bearer {key}")

    return make


@pytest.fixture
def session_client():
    """A client signed in with a browser session."""

    def make(user, **kwargs) -> JsonClient:
        client = JsonClient(**kwargs)
        client.force_login(user)
        return client

    return make


@pytest.fixture
def industry(db):
    section = Industry.objects.create(code="C", name="制造业", level=IndustryLevel.SECTION)
    return Industry.objects.create(
        code="39", name="计算机、通信和其他电子设备制造业", level=IndustryLevel.DIVISION, section=section
    )


@pytest.fixture
def pool(db):
    return Pool.objects.create(code="hte-reserve", name="后备高新技术企业库")


@pytest.fixture
def home(make_org):
    """An enterprise in 鹿寨县 (a township of it), the county of the ``bureau`` user."""
    return make_org(name="鹿寨甲科技有限公司", region="450223100")


@pytest.fixture
def neighbour(make_org):
    """Another enterprise in 鹿寨县."""
    return make_org(name="鹿寨乙材料有限公司", region="450223")


@pytest.fixture
def far(make_org):
    """An enterprise in 柳城县, outside the scope of every 鹿寨县 user."""
    return make_org(name="柳城丙机械有限公司", region="450222")


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()
