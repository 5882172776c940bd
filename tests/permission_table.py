"""The machinery of the hand-written permission tables: roles, the cells, the requests and the checks.

Each ``test_permissions.py`` writes its own table, builds its own world and defines its own rows (one
``Endpoint`` per row); this module reads the table and says what a cell promises. A table has one column per
role of ``ROLES``, one row per endpoint, and in each cell:

    Y  allowed: a GET answers 200 (an API write 201 or 204), a form POST redirects (302), and a write's effect is
       in the database; a list or export shows side A's records and none of side B's.
    A  allowed, installation-wide: like Y, but a list shows both A and B (an administrator without a region).
    .  refused: 403 or 404 and the database is unchanged (a list may instead answer 200 showing nothing).
    4  refused with 404: the record exists outside the user's scope and its existence must not leak.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.urls import reverse

from kechuang.accounts.choices import Role
from kechuang.core.models import AuditLog
from tests.conftest import JsonClient
from tests.web.conftest import describe

ROLES = (
    Role.SYSADMIN,
    Role.SECADMIN,
    Role.AUDITADMIN,
    Role.BUREAU_ADMIN,
    Role.BUREAU_STAFF,
    Role.LEADER,
    Role.ENTERPRISE,
    Role.EXPERT,
    Role.PROVIDER,
)
ROLE_VALUES = [role.value for role in ROLES]
ALLOWED = ("Y", "A")
SHOWN = {"Y": {"a"}, "A": {"a", "b"}}  # which sides an allowed list shows
ALLOWED_STATUS = {"get": 200, "post": 302, "api-get": 200, "api-post": 201, "api-patch": 200, "api-delete": 204}


def parse(table: str) -> dict[tuple[str, str], str]:
    """``{(row, role): cell}`` of a table whose header names the roles of ``ROLES`` in order."""
    lines = [line.split() for line in table.strip().splitlines() if line.strip()]
    assert len(lines[0]) == len(ROLES)
    expected = {}
    for name, *cells in lines[1:]:
        assert len(cells) == len(ROLES), name
        expected.update({(name, role.value): cell for role, cell in zip(ROLES, cells, strict=True)})
    return expected


def row_names(expect: dict[tuple[str, str], str]) -> list[str]:
    return list(dict.fromkeys(name for name, _ in expect))


@dataclass(frozen=True)
class Endpoint:
    """One row: how to reach it in a world, what an allowed write changes, and what an allowed list shows."""

    url: Callable[[Any], str]
    method: str = (
        ""  # get · post (a form) · api-get · api-post · api-patch · api-delete; "" is post with data, else get
    )
    data: Callable[[Any], dict] | None = None
    done: Callable[[Any], bool] | None = None  # the effect an allowed write must have in the database
    shows: Any = None  # a list: each file's ``shown`` reads it

    def __post_init__(self):
        if not self.method:
            object.__setattr__(self, "method", "post" if self.data is not None else "get")

    @property
    def is_api(self) -> bool:
        return self.method.startswith("api-")


def user_for(role: str, make_user, organisation):
    """Bureau roles belong to 鹿寨县, enterprise and provider users to ``organisation`` (or what a callable makes),
    the three administrators to no region."""
    if role in (Role.ENTERPRISE, Role.PROVIDER):
        return make_user(role, organisation=organisation() if callable(organisation) else organisation)
    if role in (Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN):
        return make_user(role, region=None)
    return make_user(role)


def signed_in(user) -> JsonClient:
    """A session client of ``user`` that answers a server error with a 500 (the assertion then describes it)."""
    client = JsonClient(raise_request_exception=False)
    client.force_login(user)
    return client


def call(client: JsonClient, endpoint: Endpoint, world):
    url = endpoint.url(world)
    data = endpoint.data(world) if endpoint.data is not None else None
    if endpoint.method in ("get", "api-get"):
        return client.get(url)
    if endpoint.method == "post":
        return client.post(url, data or {})
    return client.send(endpoint.method.removeprefix("api-"), url, data)


def snapshot(*models: type[Model]) -> dict:
    """The rows of ``models`` and the number of audit rows: what a refused request must leave as it was."""
    state: dict[str, Any] = {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}
    state["audit rows"] = AuditLog.objects.count()
    return state


def sides(shown: Iterable, **keys) -> set[str]:
    """Which sides (``a=…``, ``b=…``) are among what a list shows, each side named by a value it shows."""
    return {side for side, key in keys.items() if key in shown}


def check_cell(
    client: JsonClient,
    endpoint: Endpoint,
    cell: str,
    world,
    *,
    db_state: Callable[[], Any],
    shown: Callable[[Endpoint, Any, Any], set] | None = None,
    expected: set | None = None,
    may_show_nothing: Callable[[Endpoint], bool] = lambda endpoint: bool(endpoint.shows),
) -> None:
    """Send the row's request and check what the cell promises.

    ``shown(endpoint, response, world)`` tells what a list shows; an allowed list must show ``expected`` (by
    default the sides of ``SHOWN``), and a refused one for which ``may_show_nothing`` holds may answer 200 with
    nothing shown.
    """
    before = db_state()
    response = call(client, endpoint, world)
    if cell in ALLOWED:
        assert response.status_code == ALLOWED_STATUS[endpoint.method], describe(response)
        if endpoint.done is not None:
            assert endpoint.done(world), "an allowed write left no effect in the database"
        if endpoint.shows:
            wanted = SHOWN[cell] if expected is None else expected
            assert shown(endpoint, response, world) == wanted, "must show exactly the records in scope"
        return
    if cell == "4":
        assert response.status_code == 404, describe(response)
    elif may_show_nothing(endpoint) and response.status_code == 200:
        assert not shown(endpoint, response, world), "a refused list must show nothing"
    else:
        assert response.status_code in (403, 404), describe(response)
    if endpoint.done is not None:
        assert not endpoint.done(world)
    assert db_state() == before, "a refused request changed the database"


def check_anonymous(endpoint: Endpoint, world, *, db_state: Callable[[], Any]) -> None:
    """Without signing in, a page sends to the sign-in page and the API answers 401; nothing changes."""
    before = db_state()
    response = call(JsonClient(), endpoint, world)
    if endpoint.is_api:
        assert response.status_code == 401
    else:
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert db_state() == before
