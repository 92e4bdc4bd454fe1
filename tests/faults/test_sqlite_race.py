"""Two saves of the same report at the same moment on SQLite: the later one is told "changed by someone else".

The suite's own SQLite database lives in memory, where locking works otherwise; so this runs a subprocess on
a database file, as `make run` does, with two threads posting the same screen at once (each thread has its
own connection, as two server processes would).
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 16

SCRIPT = textwrap.dedent(
    """
    import sys, threading
    import django
    django.setup()
    from django.test import Client
    from communes.models import User
    from indicators.models import Period, PeriodReport
    from indicators.services import open_year

    open_year(2099)
    period = Period.objects.get_by_code("2099-Q1")
    officer = User.objects.get(username="canbo.ngocky")
    url = f"/bao-cao/11089/{period.code}/"
    figures = {f"area-{n}-self_points": "3" for n in range(1, 8)}
    figures |= {"field-tu-phap-received": "100", "field-tu-phap-resolved_on_time": "90",
                "field-tu-phap-pending": "10"}

    for _ in range(int(sys.argv[1])):
        report = PeriodReport.objects.filter(unit__code="11089", period=period).first()
        seen = report.version if report else 0
        start, statuses = threading.Barrier(2), []

        def save(extra):
            client = Client(HTTP_HOST="localhost")
            client.force_login(officer)
            start.wait()
            # Each thread its own figures, both valid: 100 + extra received, 10 + extra still pending.
            data = {**figures, "action": "save", "report_version": seen,
                    "field-tu-phap-received": 100 + extra, "field-tu-phap-pending": 10 + extra}
            statuses.append(client.post(url, data).status_code)
            from django.db import connection
            connection.close()

        threads = [threading.Thread(target=save, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(sorted(statuses), flush=True)
    """
)


def test_the_loser_of_two_simultaneous_saves_gets_409_not_database_locked(tmp_path):
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    env |= {
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "cchc.settings",
        "CCHC_DEMO_PASSWORD": "race-demo-2099",
    }

    def run(*args):
        return subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )

    for command in (["migrate", "--no-input", "-v0"], ["seed_demo"]):
        done = run("manage.py", *command)
        assert done.returncode == 0, done.stderr[-2000:]
    raced = run("-c", SCRIPT, str(ROUNDS))
    assert raced.returncode == 0, raced.stderr[-3000:]
    rounds = raced.stdout.split("\n")[:-1]
    # Each round: one save goes through, the other is refused as based on an outdated screen.
    assert rounds == ["[302, 409]"] * ROUNDS, raced.stdout + raced.stderr[-3000:]
