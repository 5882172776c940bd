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


def test_the_not_found_page_says_what_is_missing_only_in_our_own_words(make_user):
    """A NotFound raised by our code carries a message for the user, which the 404 page shows; Django's own 404s (no
    record matches the query) get the general text, never their English internals."""
    client = signed_in(make_user(Role.BUREAU_STAFF))
    ours = client.get("/evaluation/", {"uscc": "91450223MA5N7B2T5X"}).content.decode()  # the policy calculator
    assert "没有统一社会信用代码为“91450223MA5N7B2T5X”的单位" in ours
    theirs = client.get("/orgs/999999/").content.decode()
    assert "您访问的页面或记录不存在" in theirs and "matches" not in theirs
