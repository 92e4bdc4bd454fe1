"""Load on the ranking page and on the Excel import, against gunicorn on loopback and a scratch database."""

import json
import os
import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from benchmarks import load

RANKING = "/xep-hang/?period=2023-H1"


class Command(BaseCommand):
    help = (
        "Start gunicorn on 127.0.0.1 against a new PostgreSQL database with the demo data, then load the "
        "ranking page (wrk) and the Excel import (one officer per connection), each for --seconds; print "
        "latency percentiles and errors and write them as JSON. The database is dropped afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=30, help="Length of each of the two loads.")
        parser.add_argument("--connections", type=int, default=32, help="Concurrent connections.")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes.")
        parser.add_argument(
            "--database-url",
            default=os.environ.get("DATABASE_URL", ""),
            help="A PostgreSQL URL whose server gets the scratch database (default: DATABASE_URL).",
        )
        parser.add_argument("--output", default="loadtest.json", help="Where the JSON results go.")
        parser.add_argument("--keep", action="store_true", help="Keep the scratch database and files.")

    def handle(self, *args, seconds, connections, workers, database_url, output, keep, **options):
        try:
            load.server_url(database_url)
        except load.NotPostgres as error:
            # Two gunicorn processes on one SQLite file would measure the file's lock, not the application.
            raise CommandError(
                f"{error}. The load test runs on PostgreSQL, as deployed: set DATABASE_URL or pass "
                "--database-url postgres://…; only its server is used, for a database of its own."
            ) from None
        if shutil.which("wrk") is None:
            raise CommandError("wrk is not installed (Debian package wrk).")
        before = os.getloadavg()
        with load.scratch_site(database_url, "run", keep=keep) as site:
            with load.Gunicorn(site, workers=workers) as server:
                leader = load.log_in(server.port, load.LEADER, site.password)
                status, _headers, _page = leader.get(RANKING)
                if status != 200:
                    raise CommandError(f"GET {RANKING} as {load.LEADER}: {status}")
                ranking = load.ranking_load(
                    server.port, site.workdir, leader.cookies, RANKING, seconds, connections
                )
                imports = load.import_load(server.port, site.prepared, seconds, connections)
            server_errors = server.log().count("Traceback")
            if keep:
                self.stdout.write(f"kept: {site.database_url} and {site.workdir}")
        results = {
            "gunicorn_workers": workers,
            "machine": {"cpus": os.cpu_count(), "load_before": before, "load_after": os.getloadavg()},
            "server_tracebacks": server_errors,
            "runs": [ranking, imports],
        }
        self._table(results)
        Path(output).write_text(json.dumps(results, indent=2, ensure_ascii=False))
        self.stdout.write(f"JSON: {output}")
        unexpected = sum(sum(run["errors"].values()) for run in results["runs"]) + server_errors
        if unexpected:
            raise CommandError(f"{unexpected} unexpected errors (see above)")

    def _table(self, results):
        self.stdout.write(
            f"{'':44} {'conn':>4} {'s':>5} {'requests':>8} {'req/s':>7} "
            f"{'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8}"
        )
        for run in results["runs"]:
            rows = [(run["scenario"], run)] + [(f"  {step}", data) for step, data in run["steps"].items()]
            for label, data in rows:
                latency = data["latency_ms"]
                head = f"{label[:44]:44} {run['connections']:>4} {run['seconds']:>5}"
                if data is not run:
                    head = f"{label:44} {'':>4} {'':>5}"
                self.stdout.write(
                    f"{head} {data['requests']:>8} {run['per_second'] if data is run else '':>7} "
                    + " ".join(f"{latency[key] if latency[key] is not None else '-':>8}" for key in latency)
                )
            errors = ", ".join(f"{kind}: {count}" for kind, count in run["errors"].items()) or "none"
            self.stdout.write(f"  errors: {errors}")
            if "imports" in run:
                self.stdout.write(
                    f"  imports saved: {run['imports']}; "
                    f"refused as changed meanwhile (409): {run['conflicts']}"
                )
        machine = results["machine"]
        self.stdout.write(
            f"gunicorn workers: {results['gunicorn_workers']}; tracebacks in the server log: "
            f"{results['server_tracebacks']}; CPUs: {machine['cpus']}; load average before "
            f"{machine['load_before'][0]:.2f}, after {machine['load_after'][0]:.2f}"
        )
