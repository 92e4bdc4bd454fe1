import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

from communes.models import User
from indicators.models import AreaScore

LOCALE = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES"
SOURCES = ["cchc", "communes", "indicators", "reports", "benchmarks", "templates", "manage.py"]


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(LOCALE / "django.po"))


def test_the_vietnamese_catalogue_is_complete(catalogue):
    assert catalogue.percent_translated() == 100, [entry.msgid for entry in catalogue.untranslated_entries()]
    assert not catalogue.fuzzy_entries()
    assert not catalogue.obsolete_entries()


def test_the_compiled_catalogue_matches_the_source(catalogue):
    compiled = {entry.msgid: entry.msgstr for entry in polib.mofile(str(LOCALE / "django.mo"))}
    source = {entry.msgid: entry.msgstr for entry in catalogue.translated_entries()}
    assert compiled == source, "run `make messages` to recompile locale/vi"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext (apt-get install gettext)")
def test_every_translatable_string_is_in_the_catalogue(tmp_path, catalogue):
    for name in SOURCES:
        source = Path(settings.BASE_DIR) / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    shutil.copytree(LOCALE.parent.parent, tmp_path / "locale")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-location"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={"DJANGO_DEBUG": "1", "PATH": "/usr/bin:/bin"},
    )
    extracted = polib.pofile(str(tmp_path / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    missing = {entry.msgid for entry in extracted if not entry.obsolete} - {
        entry.msgid for entry in catalogue
    }
    assert not missing, f"not in the catalogue (run `make messages` and translate): {sorted(missing)}"
    # The other way round: a translated string that extraction no longer finds (one called through an alias
    # such as `_lazy`, which xgettext does not know) would be dropped by the next `make messages`.
    dropped = {entry.msgid for entry in extracted if entry.obsolete}
    assert not dropped, f"`make messages` would drop these translations: {sorted(dropped)}"


@pytest.mark.django_db
def test_the_data_administration_and_its_history_speak_vietnamese(client):
    admin = User.objects.create_user(
        "quan-tri", password="x", role=User.Role.ADMINISTRATOR, is_superuser=True, is_staff=True
    )
    client.force_login(admin)
    index = client.get("/quan-tri/").content.decode()
    assert "Theo dõi CCHC: quản trị dữ liệu" in index and "Django" not in index
    assert "Loại thay đổi" not in index  # the import preview's word, not the admin's "Thay đổi"
    # Words Django's and django-axes' catalogues leave in English, some only for screen readers.
    for english in (
        "Model name",
        "Add link",
        "Skip to main content",
        "Toggle theme",
        "Axes",
        "Access attempts",
    ):
        assert english not in index, english
    score = AreaScore.objects.first()
    history = client.get(f"/quan-tri/indicators/areascore/{score.pk}/history/").content.decode()
    for vietnamese in ("Lịch sử thay đổi", "Người thay đổi", "Lý do thay đổi"):
        assert vietnamese in history
    for english in ("Changed by", "Change reason", "View history", "entries", "None"):
        assert english not in history, english
    assert "hệ thống" in history  # the demo data was loaded by no user
