"""Benchmark: the leaders' cockpit under concurrent users (issue #4 item 10), against /healthz in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kechuang_bench_plans \\
        .venv/bin/python bench/cockpit_load.py [--clients 20] [--requests 50] [--workers 3 --threads 4]

Run it after bench/plans_assess.py on the same database: that script stores the assessments of ``bench-14``
(luzhai-14 over the synthetic province) that the cockpit reads. This one creates a leader account for the province
(``bench-leader``, or resets its password), collects the static files into a temp folder, starts gunicorn with DEBUG
off on a free port of 127.0.0.1 (gthread workers, as deploy/systemd/kechuang.service runs it), signs every client in
with its own session, and then, for each page in turn, lets ``--clients`` threads send ``--requests`` requests each
back to back (a new connection per request, no think time) after a warm-up of a few requests each:
  healthz     — GET /healthz without a cookie (answers without touching the database): the floor;
  cockpit     — GET /plans/cockpit/?plan=bench-14&region=450000&year=Y as the leader;
  comparison  — GET /plans/cockpit/comparison/?plan=…&region=…&year=… (the ranking of the 14 cities);
  healthz+session — /healthz with the leader's session cookie: what the middleware costs a signed-in request.
It prints p50, p95, p99 and requests per second of each, and the ratio of the cockpit's p95 to the floor's (the goal
is at most 5×). ``--rounds`` repeats the whole sequence. Every response is checked (status 200 and, for the cockpit,
its title) before it counts. The server is stopped at the end.
"""

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLAN_CODE = "bench-14"
PROVINCE = "450000"
USERNAME = "bench-leader"
PASSWORD = "Kc#Cockpit-Load-2026"
HOST = "127.0.0.1"
WARM_UP = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=50, help="timed requests per client and page")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--year", type=int, help="year shown (default: the last complete year)")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        parser.error("set DATABASE_URL to the database bench/plans_assess.py filled")
    work = Path(tempfile.mkdtemp(prefix="kc-bench-cockpit-"))
    env = os.environ | {
        "KECHUANG_VAR_DIR": str(work),
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + os.urandom(24).hex(),
        "ALLOWED_HOSTS": HOST,
        "DJANGO_SETTINGS_MODULE": "kechuang.settings",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.utils import timezone

    year = args.year or timezone.localdate().year - 1
    prepare(year)
    port = free_port()
    server = start_server(env, port, args.workers, args.threads, work)
    try:
        run(args, port, year)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        print(f"gunicorn (pid {server.pid}) stopped")
    shutil.rmtree(work)  # kept when a run fails, for the server's log


def prepare(year: int) -> None:
    """The leader account, and a check that the cockpit has something to show; the static files for DEBUG off."""
    from django.core.management import call_command

    from kechuang.accounts.choices import Role
    from kechuang.accounts.models import User
    from kechuang.accounts.services import user_create
    from kechuang.plans.models import Assessment
    from kechuang.regions.models import Region

    province = Region.objects.get(code=PROVINCE)
    stored = Assessment.objects.filter(plan__code=PLAN_CODE, current=True, year=year)
    if not stored.filter(region=province).exists():
        sys.exit(f"no assessment of {PLAN_CODE} for {PROVINCE} in {year}: run bench/plans_assess.py first")
    print(f"stored current assessments of {PLAN_CODE} for {year}: {stored.count()} regions")
    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        user_create(actor=None, username=USERNAME, role=Role.LEADER, password=PASSWORD, region=province)
    else:
        user.set_password(PASSWORD)
        user.failed_logins, user.locked_until, user.must_change_password = 0, None, False
        user.save()
    call_command("collectstatic", interactive=False, verbosity=0)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_server(env: dict, port: int, workers: int, threads: int, work: Path) -> subprocess.Popen:
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "kechuang.wsgi", "--bind", f"{HOST}:{port}",
               "--workers", str(workers), "--threads", str(threads), "--timeout", "120"]  # fmt: skip
    log = open(work / "gunicorn.log", "w")  # the server writes to it until it stops
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(port, "/healthz")[0] == 200:
                print(f"gunicorn pid {server.pid} on {HOST}:{port}: {workers} workers × {threads} threads; "
                      f"log {work / 'gunicorn.log'}")  # fmt: skip
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit(f"gunicorn did not answer; see {work / 'gunicorn.log'}")


# --- HTTP ---------------------------------------------------------------------------------------------------------


def get(port: int, path: str, cookie: str = "") -> tuple[int, bytes, dict]:
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


def _cookies(headers: list[tuple[str, str]]) -> dict[str, str]:
    found = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            found[key.strip()] = rest.split(";", 1)[0]
    return found


def login(port: int) -> str:
    """Sign the leader in through the login form; returns the Cookie header of the new session."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    page, cookies = response.read().decode(), _cookies(response.getheaders())
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookies['csrftoken']}"}
    connection.request("POST", "/accounts/login/", body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    session = _cookies(response.getheaders()).get("sessionid")
    if response.status != 302 or not session:
        sys.exit(f"login failed: HTTP {response.status}")
    return f"sessionid={session}; csrftoken={cookies['csrftoken']}"


# --- load ---------------------------------------------------------------------------------------------------------


def load(port: int, path: str, cookies: list[str], requests: int, expect: bytes) -> list[float]:
    """Every client sends WARM_UP untimed then ``requests`` timed requests back to back; all start together."""
    latencies: list[float] = []
    failures: list[str] = []
    lock, start = threading.Lock(), threading.Barrier(len(cookies))

    def client(cookie: str) -> None:
        mine = []
        for number in range(WARM_UP + requests):
            if number == WARM_UP:
                start.wait()
            began = time.perf_counter()
            status, body, _headers = get(port, path, cookie)
            elapsed = time.perf_counter() - began
            if status != 200 or expect not in body:
                failures.append(f"HTTP {status}")
                break
            if number >= WARM_UP:
                mine.append(elapsed)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(cookie,)) for cookie in cookies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        sys.exit(f"{path}: {len(failures)} clients failed ({failures[0]})")
    return latencies


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def run(args, port: int, year: int) -> None:
    query = urllib.parse.urlencode({"plan": PLAN_CODE, "region": PROVINCE, "year": year})
    sessions = [login(port) for _ in range(args.clients)]
    status, body, _headers = get(port, f"/plans/cockpit/?{query}", sessions[0])
    size = len(body)
    if status != 200 or "驾驶舱".encode() not in body or b"completion" not in body:
        sys.exit(f"the cockpit did not render its charts for the leader (HTTP {status})")
    print(f"{args.clients} clients signed in; cockpit page {size / 1024:.0f} KiB; {args.requests} timed requests "
          f"per client and page after {WARM_UP} warm-up requests")  # fmt: skip
    pages = (
        ("healthz", "/healthz", [""] * args.clients, b"ok"),
        ("cockpit", f"/plans/cockpit/?{query}", sessions, "驾驶舱".encode()),
        ("comparison", f"/plans/cockpit/comparison/?{query}", sessions, "对比排名".encode()),
        ("healthz+session", "/healthz", sessions, b"ok"),
    )
    for number in range(args.rounds):
        print(f"\nround {number + 1}: {'page':16} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>7}")
        p95 = {}
        for name, path, cookies, expect in pages:
            began = time.perf_counter()
            latencies = load(port, path, cookies, args.requests, expect)
            rate = len(latencies) / (time.perf_counter() - began)
            p95[name] = percentile(latencies, 0.95)
            print(f"         {name:16} {statistics.median(latencies) * 1000:8.1f} {p95[name] * 1000:8.1f} "
                  f"{percentile(latencies, 0.99) * 1000:8.1f} {rate:7.0f}")  # fmt: skip
        print(f"         p95 cockpit / p95 healthz:    {p95['cockpit'] / p95['healthz']:6.1f}x (goal <= 5x)")
        print(f"         p95 comparison / p95 healthz: {p95['comparison'] / p95['healthz']:6.1f}x")


if __name__ == "__main__":
    main()
