import pytest
from kechuang.accounts.choices import Role

@pytest.mark.parametrize("url", ["/", "/orgs/", "/orgs/figures/", "/orgs/certificates/", "/orgs/memberships/", "/orgs/services/", "/notices/", "/regions/", "/accounts/users/", "/accounts/login-log/", "/accounts/operation-log/", "/audit/", "/accounts/profile/", "/accounts/registrations/", "/orgs/new/", "/notices/new/", "/notices/messages/", "/regions/import/", "/accounts/users/new/", "/orgs/?export=xlsx", "/accounts/password/"])
@pytest.mark.parametrize("role", [r for r in Role.values])
def test_smoke(url, role, make_user, login, make_org):
    org = make_org()
    user = make_user(role, organisation=org if role in ("enterprise","provider") else None)
    r = login(user).get(url)
    assert r.status_code in (200, 403, 302), (url, role, r.status_code)

def test_detail(make_user, login, make_org):
    org = make_org()
    user = make_user("bureau_admin")
    c = login(user)
    for url in [f"/orgs/{org.pk}/", f"/orgs/{org.pk}/edit/", f"/orgs/{org.pk}/figures/new/", f"/orgs/{org.pk}/certificates/new/", f"/orgs/{org.pk}/memberships/new/", f"/orgs/{org.pk}/services/new/", f"/orgs/{org.pk}/delete/", ]:
        r = c.get(url)
        assert r.status_code == 200, (url, r.status_code, r.content[:3000])
