"""Shared fixtures: the real region tree, organisations with valid credit codes, a user for every role."""

import itertools
import json

import pytest
from django.core.cache import cache
from django.test import Client

from kechuang.accounts.choices import Role
from kechuang.accounts.models import User
from kechuang.core.validators import USCC_CHARS, uscc_check_char
from kechuang.orgs.models import Organisation
from kechuang.orgs.services import pinyin_initials
from kechuang.regions.models import Region
from kechuang.regions.services import load_builtin_regions

PASSWORD = "Kc-test-2026!"
_serial = itertools.count(1)


class JsonClient(Client):
    """A test client that sends and reads JSON."""

    def send(self, method: str, path: str, data=None):
        body = json.dumps(data, default=str) if data is not None else ""
        return getattr(self, method)(path, body, content_type="application/json")


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # The manifest storage needs collectstatic; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # PBKDF2's deliberate slowness would dominate the suite; the login tests don't depend on the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Pages cached by a version key (the cockpit) must not outlive a test whose rolled-back rows a later test's
    # new rows may repeat, ids included.
    cache.clear()


def make_uscc(division: str = "450223", serial: int | None = None) -> str:
    """A valid synthetic credit code: enterprise (91), the division, a 9-character body, the check character."""
    serial = next(_serial) if serial is None else serial
    body = "MA5"
    for _ in range(6):
        serial, digit = divmod(serial, 31)
        body += USCC_CHARS[digit]
    first17 = f"91{division}{body}"
    return first17 + uscc_check_char(first17)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The shipped region tree is loaded once into the test database; each test runs in a rolled-back transaction."""
    with django_db_blocker.unblock():
        load_builtin_regions()


@pytest.fixture
def regions(db):
    return {r.code: r for r in Region.objects.all()}


@pytest.fixture
def make_org(regions):
    def make(name="鹿寨测试科技有限公司", region="450223", **fields):
        region_obj = regions[region]
        fields.setdefault("uscc", make_uscc(region[:6]))
        return Organisation.objects.create(name=name, region=region_obj, name_initials=pinyin_initials(name), **fields)

    return make


@pytest.fixture
def make_user(regions):
    def make(role: str, *, region: str | None = "450223", organisation=None, username=None, **fields):
        user = User(
            username=username or f"{role}-{next(_serial)}",
            role=role,
            region=regions[region] if region else None,
            organisation=organisation,
            **fields,
        )
        user.set_password(PASSWORD)
        user.save()
        return user

    return make


@pytest.fixture
def login():
    def signed_in(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return signed_in


@pytest.fixture
def api():
    """A JSON client signed in with a browser session."""

    def make(user) -> JsonClient:
        client = JsonClient()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def bureau(make_user):
    return make_user(Role.BUREAU_ADMIN, username="luzhai-admin", full_name="鹿寨科技局管理员")
