"""`manage.py import_data`: the same checks and writes as the web upload, from the command line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils.translation import gettext as _

from communes.models import User
from indicators.excel.spreadsheets import LAYOUTS, STATS
from indicators.models import DossierStats, Period
from tests.fixtures_xlsx.builders import figures_snapshot, headers, make_user, stats_row, xlsx

pytestmark = pytest.mark.django_db

NGOC_KY, TU_KY = "11089", "298"


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(xlsx([headers(STATS), stats_row("2023-H1", NGOC_KY, "van-hoa", received=6)]))
    return path


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "sai.xlsx"
    good = stats_row("2023-H1", NGOC_KY, "van-hoa", received=6)
    bad = stats_row("2023-H1", NGOC_KY, "kinh-te", received=-2)
    path.write_bytes(xlsx([headers(STATS), good, bad]))
    return path


def run(*arguments):
    out = StringIO()
    call_command("import_data", *[str(argument) for argument in arguments], stdout=out)
    return out.getvalue()


def van_hoa():
    return DossierStats.objects.filter(
        unit__code=NGOC_KY, period=Period.objects.get_by_code("2023-H1"), field__code="van-hoa"
    )


def test_a_dry_run_shows_the_changes_and_writes_nothing(good_file):
    make_user("staff", User.Role.DISTRICT_STAFF, TU_KY)
    snapshot = figures_snapshot()
    output = run(good_file, "--dry-run", "--user=staff")
    assert figures_snapshot() == snapshot
    received = LAYOUTS[STATS].column("received").header
    assert f"{received}: — → 6" in output
    assert _("Dry run: nothing was saved.") in output


def test_the_file_is_imported_as_the_named_user(good_file):
    staff = make_user("staff", User.Role.DISTRICT_STAFF, TU_KY)
    output = run(good_file, "--user", "staff")
    assert _("Saved: %(new)s new rows and %(changed)s changed rows.") % {"new": 1, "changed": 0} in output
    row = van_hoa().get()
    assert (row.received, row.resolved_on_time) == (6, 6)
    assert row.history.get().history_user == staff


def test_a_refused_file_exits_with_an_error_and_writes_nothing(bad_file):
    make_user("staff", User.Role.DISTRICT_STAFF, TU_KY)
    snapshot = figures_snapshot()
    out = StringIO()
    with pytest.raises(CommandError, match=_("The file was refused: nothing was saved.")) as error:
        call_command("import_data", str(bad_file), "--user=staff", stdout=out)
    assert error.value.returncode == 1  # manage.py exits with it
    assert figures_snapshot() == snapshot
    negative = _("%(value)s is negative; figures cannot be negative.") % {"value": "-2"}
    column = LAYOUTS[STATS].column("received").header
    assert (
        _("Row %(row)s, column “%(column)s”: %(message)s")
        % {
            "row": 3,
            "column": column,
            "message": negative,
        }
        in out.getvalue()
    )


def test_the_users_scope_applies(good_file):
    make_user("canbo", User.Role.COMMUNE_OFFICER, "11143")
    with pytest.raises(CommandError):
        run(good_file, "--user=canbo")
    assert not van_hoa().exists()


def test_without_a_user_the_only_administrator_imports(good_file):
    admin = make_user("root", User.Role.ADMINISTRATOR, is_superuser=True)
    run(good_file)
    assert van_hoa().get().history.get().history_user == admin


@pytest.mark.parametrize("administrators", [0, 2])
def test_without_a_user_an_ambiguous_choice_is_refused(good_file, administrators):
    for number in range(administrators):
        make_user(f"root{number}", User.Role.ADMINISTRATOR)
    with pytest.raises(CommandError, match="--user"):
        run(good_file)
    assert not van_hoa().exists()


def test_an_unreadable_path_is_an_error(tmp_path):
    make_user("root", User.Role.ADMINISTRATOR)
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "missing.xlsx")
