import os
import shutil
import tempfile
from pathlib import Path

import pytest


def pytest_configure(config):
    """Settings of the test processes (each worker of pytest-xdist is one).

    Passwords are hashed as fast as possible: the production hasher's million iterations (PBKDF2) cost
    about half a second each, and most tests create users. Tests of the real settings start processes of
    their own (tests/deployment), which keep them. Uploads waiting for a confirmation go to a folder of the
    process's own: the store counts a user's files by id, which every worker's database reuses.
    """
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EXCEL_UPLOAD_DIR = Path(tempfile.mkdtemp(prefix="cchc-test-uploads-"))


def pytest_unconfigure(config):
    from django.conf import settings

    shutil.rmtree(settings.EXCEL_UPLOAD_DIR, ignore_errors=True)


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test is a failure: everything it needs must be installed there."""
    if os.environ.get("CI", "").lower() not in {"1", "true", "yes"}:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"CI: {len(skipped)} test(s) skipped; skips are failures in CI.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
