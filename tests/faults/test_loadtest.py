"""The load test keeps working: a short run of the command, against PostgreSQL as always (see conftest.py)."""

import json
import os
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from benchmarks import load
from tests.faults.conftest import query

STEPS = {"preview", "confirm", "report"}


def scratch_databases(url):
    prefix = f"cchc_load_run_{os.getpid()}_"
    return [
        name
        for (name,) in query(load.server_url(url), "SELECT datname FROM pg_database")
        if name.startswith(prefix)
    ]


def test_a_short_load_test_reports_latencies_and_no_errors(postgres_url, wrk, tmp_path):
    output = tmp_path / "load.json"
    printed = StringIO()
    call_command(
        "loadtest", seconds=3, connections=4, database_url=postgres_url, output=str(output), stdout=printed
    )
    ranking, imports = json.loads(output.read_text())["runs"]
    assert ranking["scenario"] == "GET /xep-hang/?period=2023-H1"
    for run in (ranking, imports):
        assert run["requests"] > 0 and run["errors"] == {}, run
        assert 0 < run["latency_ms"]["p50"] <= run["latency_ms"]["p99"] <= run["latency_ms"]["max"]
    assert set(imports["steps"]) == STEPS
    assert imports["imports"] == imports["steps"]["report"]["requests"] > 0
    assert imports["conflicts"] == 0  # every connection imports into a report of its own
    assert "p99 ms" in printed.getvalue() and "errors: none" in printed.getvalue()
    assert scratch_databases(postgres_url) == [], "the scratch database must be dropped"


def test_sqlite_is_refused_with_a_reason():
    with pytest.raises(CommandError, match="The load test runs on PostgreSQL"):
        call_command("loadtest", database_url="sqlite:///db.sqlite3")
