"""settings.LOGGING as the development server applies it: every record printed once.

Django applies its DEFAULT_LOGGING and then settings.LOGGING when it starts (django.setup()); the check runs
in a process of its own, with DEBUG on as in `make run`, so the test session's logging is left alone.
"""

import os
import subprocess
import sys

from django.conf import settings

SCRIPT = """
import logging
import django

django.setup()
logging.getLogger("django.server").info('"GET /xep-hang/ HTTP/1.1" 200 1234', extra={"status_code": 200})
logging.getLogger("django.request").warning("Not Found: /no-such-page/")
logging.getLogger("django.utils.autoreload").info("Watching for file changes with StatReloader")
logging.getLogger("cchc.outage").error("the database is unreachable")
logging.getLogger("axes.watch_login").info("AXES: User login succeeded")
logging.getLogger("axes.watch_login").warning("AXES: Locked out")
"""


def test_the_development_server_prints_each_log_line_once():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cchc.settings",
        "DJANGO_DEBUG": "1",
        "DJANGO_LOG_LEVEL": "INFO",
        "DJANGO_AXES_LOG_LEVEL": "WARNING",
    }
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    lines = run.stderr.splitlines()

    [request_line] = [line for line in lines if "GET /xep-hang/" in line]
    assert request_line.startswith("[") and request_line.endswith('] "GET /xep-hang/ HTTP/1.1" 200 1234')
    for message in [
        "Not Found: /no-such-page/",
        "Watching for file changes with StatReloader",
        "the database is unreachable",
        "AXES: Locked out",
    ]:
        assert lines.count(message) == 1, (message, lines)
    assert "AXES: User login succeeded" not in run.stderr  # axes stays at WARNING
    assert len(lines) == 5, lines
