"""The liveness endpoint answers without signing in and without the database."""

from django.test import Client


def test_healthz_answers_ok_without_a_session():
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


def test_healthz_is_not_redirected_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/healthz").status_code == 200
    assert Client().get("/accounts/login/").status_code == 301
