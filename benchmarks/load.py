"""A production-like server for load and fault tests: a scratch PostgreSQL database, gunicorn on loopback.

The scratch database is created on the server of a PostgreSQL URL, migrated and given the demo data by a
subprocess (the calling process stays on its own database); gunicorn then runs with debug off, as deployed.
Traffic only ever goes to 127.0.0.1.
"""

import http.client
import io
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from importlib import import_module
from pathlib import Path

import dj_database_url
import openpyxl
import psycopg
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management import call_command

from communes.models import Unit, User
from indicators.excel.spreadsheets import LAYOUTS, STATS
from indicators.models import COUNT_FIELDS, Period, ProcedureField
from indicators.services import open_year

PREFIX = "cchc_load"
LOAD_YEAR = 2099  # a year whose periods stay open for entry, whatever today's date
DISTRICT = "298"  # the demo district: its communes' officers import
LEADER = "lanhdao"


class NotPostgres(Exception):
    pass


def server_url(url):
    """The URL of the maintenance database on the server of a PostgreSQL `url`."""
    try:
        engine = dj_database_url.parse(url)["ENGINE"]
    except ValueError:  # an unknown scheme, or no URL at all
        engine = None
    if engine != "django.db.backends.postgresql":
        raise NotPostgres(f"“{url.split(':', 1)[0]}”: a PostgreSQL URL is needed (postgres://…)")
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/postgres", query=""))


def _with_database(url, name):
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def admin(url, sql):
    """Run one statement on the server of `url` outside any transaction (CREATE/DROP DATABASE need that)."""
    with psycopg.connect(server_url(url), autocommit=True) as connection:
        connection.execute(sql)


def create_database(url, purpose):
    name = f"{PREFIX}_{purpose}_{os.getpid()}_{secrets.token_hex(3)}"
    admin(url, f'CREATE DATABASE "{name}"')
    return _with_database(url, name)


def drop_database(url):
    name = database_name(url)
    if not name.startswith(PREFIX):  # never anything this module did not create
        raise ValueError(name)
    admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_name(url):
    return urllib.parse.urlsplit(url).path.lstrip("/")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# What the subprocess runs (through `manage.py shell`) on the scratch database.
PREPARE = "from benchmarks.load import prepare; prepare()"


def prepare():
    """Migrate, load the demo data, and print the logins the load needs as JSON: run on the scratch database.

    Each commune of the demo district gets an officer of its own, so that concurrent imports each change
    their own report; their sessions are made by the session engine, as a login would.
    """
    call_command("migrate", verbosity=0)
    call_command("seed_demo", force_accounts=True, verbosity=0)
    open_year(LOAD_YEAR)
    periods = Period.objects.filter(year=LOAD_YEAR).order_by("end", "start")
    communes = Unit.objects.subtree(Unit.objects.get(code=DISTRICT)).communes()
    officers = {}
    # Communes merged since (the 2025 reform) have no reports to import in LOAD_YEAR.
    for commune in communes.existing_between(periods[0].start, periods.last().end).order_by("code"):
        # No password: the session made here is their only way in.
        user, _created = User.objects.get_or_create(
            username=f"load.{commune.code}",
            defaults={"role": User.Role.COMMUNE_OFFICER, "unit": commune, "is_staff": True},
        )
        officers[commune.code] = _session_for(user)
    result = {
        "officers": officers,
        "periods": [period.code for period in periods],
        "fields": list(ProcedureField.objects.order_by("code").values_list("code", flat=True)),
    }
    sys.stdout.write("PREPARED " + json.dumps(result) + "\n")


def _session_for(user):
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


SETTINGS = '''\
"""Written by benchmarks/load.py: the project's settings with static files collected into a scratch folder."""
from cchc.settings import *  # noqa: F403

STATIC_ROOT = {static_root!r}
# Hashed names as deployed; compressing the files (brotli) would only slow the start down.
STORAGES = {{
    **STORAGES,
    "staticfiles": {{"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}},
}}
'''


@dataclass
class Site:
    """The scratch database and the environment of processes that use it (debug off, loopback only)."""

    database_url: str
    workdir: Path
    password: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    # One key for every process: sessions made by one are signed for the others.
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))
    prepared: dict = field(default_factory=dict)

    @property
    def env(self):
        env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
        return env | {
            "DATABASE_URL": self.database_url,
            "DJANGO_SETTINGS_MODULE": "loadtest_settings",
            "PYTHONPATH": os.pathsep.join([str(self.workdir), str(settings.BASE_DIR)]),
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": self.secret_key,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_LOG_LEVEL": "WARNING",
            "CCHC_DEMO_PASSWORD": self.password,
            "EXCEL_UPLOAD_DIR": str(self.workdir / "uploads"),
        }

    def manage(self, *args):
        command = [sys.executable, str(settings.BASE_DIR / "manage.py"), *args]
        done = subprocess.run(command, env=self.env, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stdout}{done.stderr}")
        return done

    def build(self):
        """Static files, schema, demo data and the officers' sessions."""
        (self.workdir / "loadtest_settings.py").write_text(
            SETTINGS.format(static_root=str(self.workdir / "static"))
        )
        env = self.env
        collect = subprocess.Popen(
            [sys.executable, str(settings.BASE_DIR / "manage.py"), "collectstatic", "--no-input", "-v0"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            output = self.manage("shell", "-c", PREPARE).stdout
        finally:
            collected = collect.communicate()[0]
        if collect.returncode:
            raise RuntimeError(f"collectstatic failed:\n{collected}")
        self.prepared = json.loads(output.split("PREPARED ", 1)[1])
        return self


@dataclass
class Gunicorn:
    site: Site
    workers: int = 2
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def log_path(self):
        return self.site.workdir / f"gunicorn-{self.port}.log"

    def start(self, timeout=60):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn), "cchc.wsgi", "--workers", str(self.workers)]
        command += ["--bind", f"127.0.0.1:{self.port}", "--graceful-timeout", "5"]
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=self.site.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped:\n{self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not listen within {timeout} s:\n{self.log()}")

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class scratch_site:  # noqa: N801 - used as a context manager, like tempfile's
    """`with scratch_site(url, "purpose") as site:` a built Site whose database and files go afterwards."""

    def __init__(self, url, purpose, keep=False):
        self.url, self.purpose, self.keep = url, purpose, keep

    def __enter__(self):
        self.workdir = Path(tempfile.mkdtemp(prefix=f"{PREFIX}_"))
        self.database_url = create_database(self.url, self.purpose)
        try:
            return Site(self.database_url, self.workdir).build()
        except BaseException:
            self.__exit__()
            raise

    def __exit__(self, *exc):
        if not self.keep:
            drop_database(self.database_url)
            shutil.rmtree(self.workdir, ignore_errors=True)


CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
UPLOAD_TOKEN = re.compile(r'name="token" value="([^"]+)"')


class Browser:
    """One user's HTTP client. It keeps every cookie it is given and sends it back, Secure ones included:
    with debug off the cookies are marked Secure, and this server is plain http on loopback."""

    def __init__(self, port, cookies=None):
        self.port, self.cookies = port, dict(cookies or {})

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response.status, response.headers, content.decode("utf-8", "replace")

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, fields):
        body = urllib.parse.urlencode(fields)
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def upload(self, path, fields, name, data):
        boundary = secrets.token_hex(16)
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            for key, value in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n".encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.request("POST", path, b"".join(parts), headers)

    def csrf_token(self, path):
        status, _headers, page = self.get(path)
        match = CSRF_FIELD.search(page)
        if status != 200 or not match:
            raise RuntimeError(f"GET {path}: {status}, no form to post")
        return match.group(1)


def log_in(port, username, password):
    """A browser logged in through the login form, as a person would."""
    browser = Browser(port)
    token = browser.csrf_token("/dang-nhap/")
    status, _headers, _page = browser.post(
        "/dang-nhap/", {"csrfmiddlewaretoken": token, "username": username, "password": password}
    )
    if status != 302 or settings.SESSION_COOKIE_NAME not in browser.cookies:
        raise RuntimeError(f"logging in as {username}: {status}")
    return browser


def percentiles(latencies):
    """p50/p90/p99/max in milliseconds (nearest rank), of latencies in seconds."""
    ordered = sorted(latencies)
    if not ordered:
        return {"p50": None, "p90": None, "p99": None, "max": None}

    def rank(share):
        return round(ordered[max(0, -(-len(ordered) * share // 100) - 1)] * 1000, 1)

    return {"p50": rank(50), "p90": rank(90), "p99": rank(99), "max": round(ordered[-1] * 1000, 1)}


# wrk counts every status itself (its own tally only tells non-2xx/3xx apart) and prints JSON at the end.
WRK_SCRIPT = """
wrk.headers["Cookie"] = %(cookie)s
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local codes = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      codes[#codes + 1] = string.format('"%%d": %%d', status, count)
    end
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "p50": %%d, "p90": %%d, "p99": %%d, "max": %%d, ' ..
    '"errors": {"connect": %%d, "read": %%d, "write": %%d, "timeout": %%d}, "statuses": [{%%s}]}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.timeout, table.concat(codes, "}, {")))
end
"""


def ranking_load(port, workdir, cookies, path, seconds, connections):
    """wrk on one page, `connections` at a time for `seconds`; only a 200 counts as success."""
    script = Path(workdir) / "ranking.lua"
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    script.write_text(WRK_SCRIPT % {"cookie": json.dumps(cookie)})
    command = ["wrk", "--threads", str(min(2, connections)), "--connections", str(connections)]
    command += ["--duration", f"{seconds}s", "--timeout", "60s", "--script", str(script)]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 120,
    ).stdout
    raw = json.loads(output.split("WRKJSON ", 1)[1].splitlines()[0])
    statuses = {}
    for counts in raw["statuses"]:
        for status, count in counts.items():
            statuses[status] = statuses.get(status, 0) + count
    errors = {f"socket {kind}": count for kind, count in raw["errors"].items() if count}
    errors |= {f"HTTP {status}": count for status, count in statuses.items() if status != "200"}
    seconds_run = raw["duration_us"] / 1e6
    return {
        "scenario": f"GET {path}",
        "connections": connections,
        "seconds": round(seconds_run, 1),
        "requests": raw["requests"],
        "per_second": round(raw["requests"] / seconds_run, 1),
        "latency_ms": {key: round(raw[key] / 1000, 1) for key in ("p50", "p90", "p99", "max")},
        "errors": errors,
        "steps": {},
    }


class Tally:
    """Latencies and outcomes of the import load, by step (preview, confirm, the report page after it)."""

    EXPECTED = {"preview": 200, "confirm": 302, "report": 200}

    def __init__(self):
        self.latencies = {step: [] for step in self.EXPECTED}
        self.errors, self.conflicts, self.imports = {}, 0, 0
        self.samples = {}  # the first page of each kind of error, to show what went wrong
        self.lock = threading.Lock()

    def record(self, step, status, seconds, page=""):
        with self.lock:
            self.latencies[step].append(seconds)
            if status == 409 and step == "confirm":
                self.conflicts += 1  # someone saved the same report meanwhile: refused, as it must be
            elif status != self.EXPECTED[step]:
                key = f"{step}: HTTP {status}"
                self.errors[key] = self.errors.get(key, 0) + 1
                self.samples.setdefault(key, re.sub(r"\s+", " ", re.sub("<[^>]+>", " ", page))[-400:])
            elif step == "confirm":
                self.imports += 1

    def failed(self, step, what):
        with self.lock:
            key = f"{step}: {what}"
            self.errors[key] = self.errors.get(key, 0) + 1


def _timed(call, *args):
    started = time.perf_counter()
    result = call(*args)
    return result, time.perf_counter() - started


def _import_loop(port, session_key, workbooks, until, tally):
    browser = Browser(port, {settings.SESSION_COOKIE_NAME: session_key})
    try:
        csrf = browser.csrf_token("/excel/")
    except Exception as error:  # noqa: BLE001 - counted, the load goes on with the other users
        tally.failed("preview", type(error).__name__)
        return
    turn = 0
    while time.monotonic() < until:
        # The two files alternate, so every upload changes the figures the one before saved.
        data, turn, step = workbooks[turn], 1 - turn, "preview"
        try:
            fields = {"csrfmiddlewaretoken": csrf}
            (status, _h, page), spent = _timed(browser.upload, "/excel/nhap/", fields, "load.xlsx", data)
            tally.record(step, status, spent, page)
            token = UPLOAD_TOKEN.search(page)
            if status == 200 and not token:
                tally.failed(step, "nothing to confirm")
            if status != 200 or not token:
                continue
            step = "confirm"
            fields["token"] = token.group(1)
            (status, headers, _p), spent = _timed(browser.post, "/excel/nhap/xac-nhan/", fields)
            tally.record(step, status, spent)
            if status == 302:  # a person's browser follows on to the report, which shows the "saved" message
                step = "report"
                (status, _h, _p), spent = _timed(browser.get, headers["Location"])
                tally.record(step, status, spent)
        except Exception as error:  # noqa: BLE001 - counted as an error of its step
            tally.failed(step, type(error).__name__)


def stats_workbook(period, unit_code, fields, received):
    """A valid statistics file of one commune's report: every field received and resolved on time."""
    columns = LAYOUTS[STATS].columns
    workbook = openpyxl.Workbook()
    workbook.active.append([column.header for column in columns])
    for code in fields:
        values = {name: 0 for name in COUNT_FIELDS} | {"received": received, "resolved_on_time": received}
        values |= {"period": period, "unit_code": unit_code, "unit_name": "", "field": code}
        workbook.active.append([values.get(column.key) for column in columns])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def import_load(port, prepared, seconds, connections):
    """Each connection is one commune officer importing, again and again, a file of their own report.

    Connection i works on commune i modulo the communes and on a period of its own beyond that, so no two
    connections write the same report: a 409 (someone saved it meanwhile) would mean a bug here.
    """
    communes, periods = sorted(prepared["officers"]), prepared["periods"]
    if connections > len(communes) * len(periods):
        raise ValueError(f"at most {len(communes) * len(periods)} import connections")
    tally, until, threads = Tally(), time.monotonic() + seconds, []
    started = time.monotonic()
    for index in range(connections):
        code, period = communes[index % len(communes)], periods[index // len(communes)]
        workbooks = [stats_workbook(period, code, prepared["fields"], received) for received in (10, 11)]
        args = (port, prepared["officers"][code], workbooks, until, tally)
        threads.append(threading.Thread(target=_import_loop, args=args, daemon=True))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 300)
    elapsed = time.monotonic() - started
    every = [latency for step in tally.latencies.values() for latency in step]
    return {
        "scenario": "import: upload preview + confirm + report page",
        "connections": connections,
        "seconds": round(elapsed, 1),
        "requests": len(every),
        "per_second": round(len(every) / elapsed, 1),
        "latency_ms": percentiles(every),
        "errors": tally.errors,
        "imports": tally.imports,
        "conflicts": tally.conflicts,
        "error_samples": tally.samples,
        "steps": {
            step: {"requests": len(values), "latency_ms": percentiles(values)}
            for step, values in tally.latencies.items()
        },
    }
