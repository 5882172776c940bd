"""A real server for browser tests: gunicorn on a free port over a fresh SQLite database in a temp folder."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

SEED = """
from kechuang.accounts.models import User
from kechuang.orgs.services import organisation_create
from kechuang.regions.models import Region
user = User(username="staff", role="bureau_staff", region=Region.objects.get(code="450223"), full_name="测试经办人")
user.set_password("Browser-2026!")
user.save()
organisation_create(actor=user, uscc="91450223MA5N7B2T5X", name="鹿寨县恒达汽车配件有限公司",
                    region=Region.objects.get(code="450223100"))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server_url(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    env = {
        **os.environ,
        "KECHUANG_VAR_DIR": str(var),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{var / 'browser.sqlite3'}",
    }
    kechuang = str(BIN / "kechuang")
    for args in (
        ["migrate", "--noinput", "-v0"],
        ["regions", "builtin"],
        ["collectstatic", "--noinput", "-v0"],
        ["shell", "-c", SEED],
    ):
        subprocess.run([kechuang, *args], env=env, check=True, cwd=ROOT, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "kechuang.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}/accounts/login/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        server.kill()
        pytest.fail("gunicorn did not start")
    yield url
    server.terminate()
    server.wait(10)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server_url):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", base_url=live_server_url)
    outside = []
    # Any request to a host other than the test server is a defect (the intranet has no internet).
    context.route(
        "**/*",
        lambda route: (
            (outside.append(route.request.url), route.abort())
            if not route.request.url.startswith(live_server_url)
            else route.continue_()
        ),
    )
    page = context.new_page()
    yield page
    context.close()
    assert outside == [], f"pages requested outside hosts: {outside}"
