"""Timing the dashboard pages, their SQL floor and the ranking page's weight.

Server time: a request through the whole Django stack (middleware, view, template, gzip) with the test
client, no network; the median of `repeat` runs after one warm-up run.
SQL floor: the very statements the page ran (recorded with an execute wrapper), executed again directly on
the database cursor with every row fetched: the database's share of the page, with no ORM, Python or
template work. page ÷ floor says how much the application adds on top of its own queries.
"""

import gzip
import re
import statistics
import time

import brotli
from django.contrib.staticfiles import finders
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from communes.models import User
from indicators import services
from indicators.models import DossierStats, Period, PeriodReport

# (name, URL name); the commune profile also needs a commune's code.
PAGES = [
    ("overview", "home"),
    ("ranking", "ranking"),
    ("overdue", "overdue"),
    ("digitization", "digitization"),
    ("online_payment", "online_payment"),
    ("commune_profile", "commune_profile"),
    ("submissions", "submissions"),
]
FORMATS = ["html", "json"]


class BenchmarkError(Exception):
    """The benchmark could not measure what it should (a page failed): a bug, not a slow figure."""


def spread(samples):
    return {
        "median": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
        "runs": len(samples),
    }


def stopwatch(function):
    """Seconds that one call of `function` takes."""
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def timed(function, repeat):
    """{median, min, max, runs} of `repeat` calls of `function`, in milliseconds."""
    return spread([stopwatch(function) * 1000 for _ in range(repeat)])


def logged_in_client(user):
    client = Client(headers={"accept-encoding": "gzip"})
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def page_url(name, url_name, commune_code):
    return reverse(url_name, args=[commune_code] if name == "commune_profile" else [])


def recorded_statements(request):
    """[(sql, params)] of every statement `request()` sent to the database."""
    statements = []

    def record(execute, sql, params, many, context):
        if many:
            raise BenchmarkError("A page ran executemany(): its floor cannot be replayed.")
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        request()
    return statements


def replay(statements):
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            if cursor.description is not None:
                cursor.fetchall()


def measure_page(client, url, params, repeat):
    def request():
        response = client.get(url, params, secure=True)
        if response.status_code != 200:
            raise BenchmarkError(f"{url}?{params}: status {response.status_code}")
        return response

    response = request()  # warm-up: templates compiled, code paths loaded
    statements = recorded_statements(request)
    server = timed(request, repeat)
    floor = timed(lambda: replay(statements), repeat)
    return {
        "url": url,
        "params": params,
        "queries": len(statements),
        "server_ms": server,
        "floor_ms": floor,
        "ratio": server["median"] / floor["median"] if floor["median"] else None,
        "bytes_sent": len(response.content),
    }


def measure_pages(user, period_code, commune_code, repeat):
    client = logged_in_client(user)
    results = []
    for name, url_name in PAGES:
        url = page_url(name, url_name, commune_code)
        for fmt in FORMATS:
            params = {"period": period_code, **({"format": fmt} if fmt != "html" else {})}
            results.append({"page": name, "format": fmt, **measure_page(client, url, params, repeat)})
    return results


_compressed_assets = {}


def static_assets(html):
    """{path: bytes} of the stylesheets, scripts and icons the page links to, from the static folders."""
    assets = {}
    for path in re.findall(r'(?:href|src)="/static/([^"]+)"', html):
        found = finders.find(path)
        if not found:
            raise BenchmarkError(f"static/{path} is missing: run `make test` (it builds static/build/).")
        with open(found, "rb") as stream:
            assets[path] = stream.read()
    return assets


def ranking_floor(root_code, period_code, repeat):
    """The ranking's first page written by hand: one statement on the stored totals, the least any page
    showing it must spend in the database."""
    sql = """
        SELECT u.code, u.name, t.rank, t.points, t.max_points, t.percent, t.band_id, t.appraised_areas
        FROM indicators_unittotals t
        JOIN communes_unit u ON u.id = t.unit_id
        JOIN indicators_period p ON p.id = t.period_id
        WHERE u.parent_id = (SELECT id FROM communes_unit WHERE code = %s)
          AND p.year = %s AND p.kind = %s AND p.number = %s AND t.percent IS NOT NULL
        ORDER BY t.rank, u.name COLLATE vietnamese, u.code
        LIMIT 50
    """
    year, kind, number = Period.parse_code(period_code)

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, [root_code, year, kind, number])
            return cursor.fetchall()

    if len(run()) == 0:
        raise BenchmarkError("The hand-written ranking found no row.")
    return timed(run, repeat)


def ranking_weight(user, period_code):
    """Compressed bytes a browser downloads for the ranking page: first visit and repeat visit.

    The page gzipped by the server, plus each static file brotli-compressed as whitenoise serves it; static
    files carry content hashes and are cached for good, so a repeat visit downloads the page only.
    tests/indicators/test_page_weight.py holds these figures to their budget.
    """
    response = logged_in_client(user).get(reverse("ranking"), {"period": period_code}, secure=True)
    if response.status_code != 200 or response.get("Content-Encoding") != "gzip":
        raise BenchmarkError("The ranking page did not come back gzipped.")
    page = len(response.content)
    assets = static_assets(gzip.decompress(response.content).decode())
    for path, body in assets.items():
        if path not in _compressed_assets:
            _compressed_assets[path] = len(brotli.compress(body, quality=11))
    return {
        "first_visit_bytes": page + sum(_compressed_assets[path] for path in assets),
        "repeat_visit_bytes": page,
        "assets": sorted(assets),
    }


class _RolledBack(Exception):
    pass


def _once_rolled_back(prepare, write):
    """Seconds that `write(*prepare())` takes, inside a transaction rolled back afterwards: the database is
    left as it was for the next run and the next measure."""
    try:
        with transaction.atomic():
            arguments = prepare()
            raise _RolledBack(stopwatch(lambda: write(*arguments)))
    except _RolledBack as done:
        return done.args[0]


def measure_writes(commune_code, period_code, repeat):
    """{save, approve}: ms of one commune's write through the services, stored totals kept in step in the
    same transaction, by an administrator (no deadline applies): one statistics row of its submitted report
    changed, then that report approved. Each run is rolled back."""
    administrator, _new = User.objects.get_or_create(
        username="bench.admin", defaults={"role": User.Role.ADMINISTRATOR, "is_staff": True}
    )

    def report_in(status):
        period = Period.objects.get_by_code(period_code)
        PeriodReport.objects.filter(unit__code=commune_code, period=period).update(status=status)
        reports = PeriodReport.objects.select_related("unit", "period")
        return reports.get(unit__code=commune_code, period=period)

    def changed_row():
        # Submitted, as most reports are when the Home Affairs Office corrects them: a status changed to an
        # unpublished one here, behind the totals' back, would unpublish the commune during the save.
        report = report_in(PeriodReport.Status.SUBMITTED)
        row = DossierStats.objects.filter(unit=report.unit, period=report.period).first()
        row.received += 1
        row.resolved_on_time += 1  # the row still balances
        return report, row

    def submitted():
        return (report_in(PeriodReport.Status.SUBMITTED),)

    def save(report, row):
        services.save_figures(administrator, report, stats=[row])

    def approve(report):
        services.approve_report(administrator, report, report.version)

    # The first run of each warms the caches.
    return {
        name: spread([1000 * _once_rolled_back(prepare, write) for _ in range(repeat + 1)][1:])
        for name, prepare, write in (("save", changed_row, save), ("approve", submitted, approve))
    }
