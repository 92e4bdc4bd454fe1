"""python manage.py bench: figures of speed, queries, memory and page weight at a chosen scale.

Each scale gets a database of its own (see benchmarks/database.py), filled with synthetic data and dropped
afterwards; the configured database is never opened. Prints a table per scale and writes every figure as
JSON. The figures are for reading, never pass or fail: the command succeeds whatever they are.
"""

import datetime
import json
import platform
import signal
import sys
import tempfile
import time
import warnings
from pathlib import Path

import django
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from benchmarks import report, synthetic
from benchmarks.database import separate_database
from benchmarks.exchange import measure_exchange
from benchmarks.measure import BenchmarkError, measure_pages, measure_writes, ranking_floor, ranking_weight
from communes.models import User


class Command(BaseCommand):
    help = (
        "Measure the dashboards (server time, SQL queries, SQL floor), the Excel import and export and the "
        "ranking page's weight on synthetic data in a database of their own; print a table, write JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--communes", type=int, nargs="+", default=[23], help="Scale(s): communes in the district."
        )
        parser.add_argument("--repeat", type=int, default=5, help="Timed runs of each measure (median).")
        parser.add_argument(
            "--import-rows", type=int, default=10_000, help="Rows of the imported workbook (0: no import)."
        )
        parser.add_argument("--period", default=synthetic.LATEST_QUARTER, help="Period the pages show.")
        parser.add_argument("--seed", type=int, default=synthetic.SEED, help="Seed of the synthetic data.")
        parser.add_argument(
            "--output",
            help="JSON file to write (default: bench-<database>-<communes>.json in the temporary directory).",
        )
        parser.add_argument("--keep", action="store_true", help="Keep the benchmark databases afterwards.")

    def handle(self, *args, communes, repeat, import_rows, period, seed, output, keep, **options):
        if min(communes) < 1 or repeat < 1 or import_rows < 0:
            raise CommandError("--communes and --repeat must be at least 1, --import-rows at least 0.")
        # Stopped with SIGTERM (a CI timeout, kill): unwind, so the benchmark's database is dropped.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
        scales = "-".join(str(n) for n in communes)
        output = Path(output or Path(tempfile.gettempdir()) / f"bench-{connection.vendor}-{scales}.json")
        result = {
            "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "database": {"vendor": connection.vendor, "version": None, "names": []},
            "python": platform.python_version(),
            "django": django.get_version(),
            "machine": f"{platform.machine()}, {platform.system()} {platform.release()}",
            "repeat": repeat,
            "runs": [],
        }
        for count in communes:
            with separate_database(str(count), keep=keep) as name:
                result["database"]["names"].append(name)
                result["database"]["version"] = _server_version()
                try:
                    run = self.bench_scale(count, repeat, import_rows, period, seed)
                except BenchmarkError as error:
                    raise CommandError(str(error)) from None
                run["goals"] = report.goals(run, connection.vendor)
                result["runs"].append(run)
            self.stdout.write("\n".join(report.table(result, run)))
        counts = {tuple(page["queries"] for page in run["pages"]) for run in result["runs"]}
        result["same_queries_at_every_scale"] = len(counts) == 1
        if len(communes) > 1:
            self.stdout.write(
                f"\nsame number of queries at every scale: {'yes' if len(counts) == 1 else 'NO'}"
            )
        output.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
        kept = f" (databases kept: {', '.join(result['database']['names'])})" if keep else ""
        self.stdout.write(f"\nfigures written to {output}{kept}")

    def bench_scale(self, communes, repeat, import_rows, period, seed):
        self.stderr.write(f"{communes:,} communes: building the synthetic data…")
        started = time.perf_counter()
        rows = synthetic.build(communes, seed)
        run = {
            "communes": communes,
            "period": period,
            "generation": {"seconds": time.perf_counter() - started, "rows": rows},
        }
        leader = User.objects.get(username=synthetic.LEADER)
        # As in production: no SQL logging (DEBUG), the test client's host allowed, plain static paths
        # (whether or not collectstatic ran) so the page weight finds the files it links to.
        with (
            override_settings(
                DEBUG=False,
                ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
                STORAGES={
                    **settings.STORAGES,
                    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
                },
            ),
            warnings.catch_warnings(),
        ):
            warnings.filterwarnings("ignore", "No directory at")  # whitenoise, without collectstatic
            self.stderr.write("measuring the pages…")
            run["pages"] = measure_pages(leader, period, synthetic.PROFILED_COMMUNE, repeat)
            run["ranking_weight"] = ranking_weight(leader, period)
            run["ranking_floor_ms"] = ranking_floor(synthetic.ROOT_CODE, period, repeat)
            self.stderr.write("saving one commune's figures, approving its report…")
            run["writes"] = measure_writes(synthetic.PROFILED_COMMUNE, period, repeat)
        if import_rows:
            self.stderr.write(f"importing and exporting {import_rows:,} rows…")
            with override_settings(DEBUG=False):
                run["exchange"] = measure_exchange(import_rows, repeat, seed, log=self.stderr.write)
        return run


def _server_version():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return cursor.fetchone()[0]
    if connection.vendor == "sqlite":
        import sqlite3

        return sqlite3.sqlite_version
    return ""
