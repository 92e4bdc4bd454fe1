"""A fresh, migrated database for one benchmark run, on the configured database's server but never in it."""

import os
import shutil
import tempfile
from contextlib import contextmanager

from django.db import connection

PREFIX = "cchc_bench"


@contextmanager
def separate_database(label, keep=False):
    """Point the default connection at a new database for the duration of the block, then drop it.

    SQLite: a file in a new temporary directory. PostgreSQL: a database named cchc_bench_<pid>_<label> on
    the same server, created and dropped as the test runner does it (connection.creation). The configured
    database is never opened. Yields the new database's name.
    """
    settings_dict = connection.settings_dict
    original_name, original_test = settings_dict["NAME"], dict(settings_dict.get("TEST") or {})
    directory = None
    if connection.vendor == "sqlite":
        directory = tempfile.mkdtemp(prefix=f"{PREFIX}_")
        name = os.path.join(directory, f"{PREFIX}_{label}.sqlite3")
    else:
        name = f"{PREFIX}_{os.getpid()}_{label}"
    settings_dict["TEST"] = {**original_test, "NAME": name, "MIGRATE": True}
    try:
        # autoclobber: the name is ours alone (prefix, process id), a leftover of a crashed run at most.
        yield connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    finally:
        if settings_dict["NAME"] != original_name:  # created, even if migrating it then failed
            connection.creation.destroy_test_db(original_name, verbosity=0, keepdb=keep)
        settings_dict["NAME"], settings_dict["TEST"] = original_name, original_test
        if directory and not keep:
            shutil.rmtree(directory, ignore_errors=True)
