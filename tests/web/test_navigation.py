"""The menu: what each role sees, in the page's language, with the page shown marked."""

import re

import pytest

from kechuang.accounts.choices import Role

pytestmark = pytest.mark.django_db


def menu(response) -> str:
    html = response.content.decode()
    return html[html.index('id="mainnav"') : html.index('<ul class="navbar-nav">')]


def links(response) -> set[str]:
    return set(re.findall(r'href="(/[^"]*)"', menu(response)))


def active(response) -> list[str]:
    return re.findall(r'class="nav-link text-nowrap active" href="([^"]+)"', menu(response))


def test_each_role_sees_only_what_it_may_open(make_user, login, regions):
    admin = links(login(make_user(Role.BUREAU_ADMIN)).get("/"))
    leader = links(login(make_user(Role.LEADER)).get("/"))
    expert = links(login(make_user(Role.EXPERT)).get("/"))
    assert {"/plans/cockpit/", "/orgs/", "/plans/observations/"} <= admin
    assert "/plans/cockpit/" in leader and "/accounts/users/" not in leader
    assert "/plans/cockpit/" not in expert and "/orgs/" not in expert
    assert len(expert) < len(leader) < len(admin)


def test_the_page_shown_is_marked(make_user, login, regions):
    client = login(make_user(Role.BUREAU_STAFF))
    assert active(client.get("/")) == ["/"]
    assert active(client.get("/notices/")) == ["/notices/"]
    assert active(client.get("/orgs/")) == []  # a dropdown entry: the menu marks plain links only


def test_the_menu_follows_the_language(make_user, login, regions):
    client = login(make_user(Role.BUREAU_STAFF))
    assert "首页" in menu(client.get("/"))
    english = menu(client.get("/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Home" in english and "首页" not in english
    assert "首页" in menu(client.get("/"))
