"""Uploaded files kept on the server between their preview and the user's confirmation: the Excel page's
workbooks and the data administration's imports, under the same bounds.

The browser only gets a random token back; the file and the versions the preview showed stay on the server
(the file in EXCEL_UPLOAD_DIR, the rest in the user's session): a confirmation cannot slip in other data.
The disk they take is bounded: a day at most, the newest few per user whatever their number of sessions and
whichever page they came from, and a total for everybody, beyond which a preview is shown but cannot be
confirmed until older files are gone. A file that is refused is never kept.
"""

import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy
from import_export.tmp_storages import TempFolderStorage

SESSION_KEY = "excel_uploads"
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
KEEP_SECONDS = 24 * 3600
KEEP_PER_USER = 5
WORKBOOK, ADMIN_IMPORT = ".xlsx", ".admin"  # the Excel page's uploads, the data administration's

STORE_FULL = gettext_lazy(
    "The server is holding too many files waiting for confirmation: this one cannot be saved now. Upload it "
    "again in a few hours, or ask the administrator."
)


class StoreFull(Exception):
    """Every upload the server may keep is taken: this one cannot wait for its confirmation."""


@dataclass
class Stashed:
    token: str
    name: str
    data: bytes
    seen: dict


def _directory():
    directory = Path(settings.EXCEL_UPLOAD_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def _path(user, token, kind=WORKBOOK):
    # The user's id in the name: their files are counted across all their sessions.
    return _directory() / f"{user.pk}-{token}{kind}"


def _keep(user, data, kind):
    """Write the file among the user's uploads; returns the token that names it. Raises StoreFull."""
    for old in _newest_first(_directory().glob(f"{user.pk}-*"))[KEEP_PER_USER - 1 :]:
        old.unlink(missing_ok=True)
    if _purge_abandoned() + len(data) > settings.EXCEL_UPLOAD_MAX_TOTAL_BYTES:
        raise StoreFull
    token = secrets.token_urlsafe(24)
    _path(user, token, kind).write_bytes(data)
    return token


def stash(request, data, name, seen):
    """Keep the file for this session; returns the token that names it. Raises StoreFull."""
    user = request.user
    token = _keep(user, data, WORKBOOK)
    limit = time.time() - KEEP_SECONDS
    entries = {
        key: entry
        for key, entry in request.session.get(SESSION_KEY, {}).items()
        if entry["at"] > limit and _path(user, key).exists()
    }
    entries[token] = {"name": name, "seen": seen, "at": time.time()}
    request.session[SESSION_KEY] = entries
    return token


def _newest_first(paths):
    dated = []
    for path in paths:
        try:
            dated.append((path.stat().st_mtime, path))
        except FileNotFoundError:
            pass  # another worker removed it first
    return [path for _at, path in sorted(dated, reverse=True)]


def fetch(request, token):
    """The stashed upload of this session named by `token`, or None (unknown, expired or already used)."""
    entry = request.session.get(SESSION_KEY, {}).get(token) if TOKEN.fullmatch(token or "") else None
    if entry is None:
        return None
    path = _path(request.user, token)
    if not path.exists() or time.time() - entry["at"] > KEEP_SECONDS:
        discard(request, token)
        return None
    return Stashed(token, entry["name"], path.read_bytes(), entry["seen"])


def discard(request, token):
    entries = dict(request.session.get(SESSION_KEY, {}))
    if entries.pop(token, None) is not None:
        request.session[SESSION_KEY] = entries
    if TOKEN.fullmatch(token or ""):
        _path(request.user, token).unlink(missing_ok=True)


def _purge_abandoned():
    """Removes the previews nobody confirmed within a day; returns the bytes the others take.

    Their sessions may be gone, so age is the only thing to go by."""
    limit, kept = time.time() - KEEP_SECONDS, 0
    for path in _directory().glob("*"):
        try:
            status = path.stat()
            if status.st_mtime < limit:
                path.unlink(missing_ok=True)
            else:
                kept += status.st_size
        except FileNotFoundError:
            pass  # another worker removed it first
    return kept


def keep_admin_import(user, data):
    """Keep a file of the data administration's import, read and found readable, until its confirmation;
    returns its name. Raises StoreFull."""
    return _path(user, _keep(user, data, ADMIN_IMPORT), ADMIN_IMPORT).name


def is_waiting_admin_import(user, name):
    """Whether `name`, as the confirmation form sends it back, is one of this user's files still waiting."""
    token = name.removeprefix(f"{user.pk}-").removesuffix(ADMIN_IMPORT)
    if not TOKEN.fullmatch(token) or name != _path(user, token, ADMIN_IMPORT).name:
        return False
    try:
        return time.time() - _path(user, token, ADMIN_IMPORT).stat().st_mtime < KEEP_SECONDS
    except FileNotFoundError:
        return False


def discard_admin_import(user, name):
    if is_waiting_admin_import(user, name):
        (_directory() / name).unlink(missing_ok=True)


class AdminImportStorage(TempFolderStorage):
    """Where the data administration's import (django-import-export) reads a file kept by
    keep_admin_import() when its preview is confirmed, and removes it then (the package's default leaves
    every unconfirmed preview in the system's temporary folder, counted nowhere)."""

    def save(self, data):
        raise NotImplementedError("files are kept by keep_admin_import(), which counts them")

    def get_full_path(self):
        # The name comes back from the confirmation form: only ever a file of this folder.
        return str(_directory() / Path(self.name).name)
