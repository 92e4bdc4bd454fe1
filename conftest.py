import os

import pytest


def pytest_configure(config):
    """Passwords hashed as fast as possible while tests run: the production hasher's million iterations
    (PBKDF2) cost about half a second each, and most tests create users. Tests of the real settings start
    processes of their own (tests/deployment), which keep them."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test is a failure: everything it needs must be installed there."""
    if os.environ.get("CI", "").lower() not in {"1", "true", "yes"}:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"CI: {len(skipped)} test(s) skipped; skips are failures in CI.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
