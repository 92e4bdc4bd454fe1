"""Backup and restore give back every row exactly: dumpdata/loaddata, and pg_dump/pg_restore on PostgreSQL.

The README's dumpdata recipe: natural foreign keys; content types and permissions left out, since `migrate`
creates them in the new database (with ids of its own: rows pointing to them are compared by natural key);
XML, because the JSON serializer cuts times to the millisecond (simple_history's dates, last logins).
"""

import subprocess

import psycopg
import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from benchmarks import load
from communes.models import User
from indicators import services
from indicators.models import AreaScore, DossierStats, Period
from tests.fixtures_xlsx.builders import make_user

DUMP = {"natural_foreign": True, "exclude": ["contenttypes", "auth.permission"], "format": "xml"}
MADE_BY_MIGRATE = (ContentType, Permission)


def every_row():
    """Every row of every table of every application, field by field, keyed by model.

    Content types and permissions are named by natural key, wherever they appear; the rows of the tables
    linking accounts and groups to permissions have no id of their own then.
    """
    names = {model: {row.pk: row.natural_key() for row in model.objects.all()} for model in MADE_BY_MIGRATE}
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [
            field
            for field in model._meta.concrete_fields
            if not (field.primary_key and (model in MADE_BY_MIGRATE or model._meta.auto_created))
        ]
        values = model._base_manager.values_list(*[field.attname for field in fields])
        targets = [
            field.related_model if field.related_model in MADE_BY_MIGRATE else None for field in fields
        ]
        rows[model._meta.label] = sorted(
            (
                tuple(
                    names[target][value] if target and value else value
                    for target, value in zip(targets, row, strict=True)
                )
                for row in values
            ),
            key=repr,
        )
    return rows


@pytest.fixture
def lived_in(client, db):
    """Besides the demo data: accounts with groups and permissions, a changed report with its history,
    a login session and django-axes' records of a failed and a successful login."""
    editors = Group.objects.create(name="Biên tập")
    editors.permissions.add(*Permission.objects.filter(codename__endswith="_dossierstats"))
    staff = make_user("staff", User.Role.DISTRICT_STAFF, "298", first_name="Nguyễn Thị Ánh")
    staff.groups.add(editors)
    staff.user_permissions.add(Permission.objects.get(codename="view_areascore"))
    row = DossierStats.objects.filter(
        unit__code="11089", period=Period.objects.get_by_code("2023-H1")
    ).first()
    row.received += 1
    row.resolved_on_time += 1
    score = AreaScore.objects.filter(unit=row.unit, period=row.period).first()
    score.note = "Đã rà soát; “ghi chú” có dấu <b>&amp;</b>"
    services.save_figures(staff, services.report_for(row.unit, row.period), scores=[score], stats=[row])
    login = reverse("login")
    client.post(login, {"username": "staff", "password": "wrong"}, REMOTE_ADDR="127.0.0.2")
    assert client.post(login, {"username": "staff", "password": "x"}).status_code == 302


def test_dumpdata_then_loaddata_into_a_new_database_gives_back_every_row(lived_in, tmp_path):
    backup = tmp_path / "backup.xml"
    call_command("dumpdata", output=str(backup), verbosity=0, **DUMP)
    before = every_row()
    for label in [
        "communes.User",
        "communes.User_groups",
        "auth.Group_permissions",
        "sessions.Session",
        "axes.AccessAttempt",
        "axes.AccessLog",
        "indicators.HistoricalDossierStats",
    ]:
        assert before[label], f"{label} has no rows: the round trip would prove nothing for it"

    # A new database as `migrate` leaves it: empty but for content types and permissions, which get ids
    # of their own (here: the other way round from before).
    if connection.vendor == "postgresql":  # TRUNCATE refuses tables with foreign key checks pending
        connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    if connection.vendor == "postgresql":
        connection.cursor().execute("SET CONSTRAINTS ALL DEFERRED")
    ContentType.objects.clear_cache()
    for model in reversed(apps.get_models()):
        ContentType.objects.get_for_model(model)
    call_command("migrate", verbosity=0)  # nothing to migrate: the post-migrate step adds the permissions
    assert every_row()["auth.Permission"] == before["auth.Permission"]
    assert not every_row()["communes.User"]

    call_command("loaddata", str(backup), verbosity=0)

    after = every_row()
    for label, rows in before.items():
        assert after[label] == rows, label


def tables(url):
    with psycopg.connect(url) as database:
        names = database.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
        return {name: database.execute(f'SELECT * FROM "{name}" ORDER BY 1').fetchall() for (name,) in names}


def test_pg_dump_then_pg_restore_into_a_new_database_gives_back_every_row(site, tmp_path):
    backup = tmp_path / "cchc.dump"
    before = tables(site.database_url)
    subprocess.run(["pg_dump", "-Fc", "-f", str(backup), "--dbname", site.database_url], check=True)
    restored = load.create_database(site.database_url, "restore")
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", restored, str(backup)], check=True
        )
        assert tables(restored) == before
        assert sum(len(rows) for rows in before.values()) > 1000
    finally:
        load.drop_database(restored)
