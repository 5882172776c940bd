"""A record number longer than any key, in a page's path or an API path, is a record that does not exist (404) on
every engine: SQLite's driver would refuse to bind it (a 500 before)."""

import pytest

from kechuang.accounts.choices import Role
from tests.permission_table import signed_in

HUGE = "9" * 25


@pytest.mark.parametrize("path", [f"/orgs/{HUGE}/", f"/scoring/{HUGE}/", f"/screening/runs/{HUGE}/",
                                  f"/ip/{HUGE}/"])  # fmt: skip
def test_a_huge_id_in_a_page_path_is_not_found(make_user, path):
    assert signed_in(make_user(Role.BUREAU_ADMIN)).get(path).status_code == 404


@pytest.mark.parametrize("path", [f"/api/v1/scoring/models/{HUGE}", f"/api/v1/orgs/{HUGE}",
                                  f"/api/v1/screening/runs/{HUGE}"])  # fmt: skip
def test_a_huge_id_in_an_api_path_is_not_found(make_user, path):
    response = signed_in(make_user(Role.BUREAU_ADMIN)).get(path)
    assert response.status_code == 404 and response.json()["detail"]


def test_an_id_of_eighteen_digits_still_reaches_the_view(make_user):
    assert signed_in(make_user(Role.BUREAU_ADMIN)).get(f"/orgs/{'9' * 18}/").status_code == 404
