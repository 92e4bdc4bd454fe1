"""The production settings pass Django's deployment checks and send the security headers.

Both run in a subprocess with a production environment (DJANGO_DEBUG unset, a real secret key, one host),
as the Dockerfile starts the application: collectstatic first, then the checks, then a request.
"""

import json
import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

HOST = "cchc.example.gov.vn"
REQUEST = f"""
import json
from django.conf import settings
from django.test import Client
client = Client()
page = client.get("/dang-nhap/", secure=True, headers={{"host": "{HOST}"}})
plain = client.get("/dang-nhap/", headers={{"host": "{HOST}"}})
print(json.dumps({{
    "status": page.status_code,
    "headers": dict(page.headers),
    "cookies": {{name: dict(morsel) for name, morsel in page.cookies.items()}},
    "plain": [plain.status_code, plain.get("Location")],
    "settings": {{name: getattr(settings, name) for name in (
        "DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE"
    )}},
}}))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """run(*manage.py arguments) in the production environment; static files collected once."""
    folder = tmp_path_factory.mktemp("production")
    env = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="cchc.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_STATIC_ROOT=str(folder / "static"),
        # Nothing here touches the database; SQLite keeps the test session's database out of reach.
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
    )

    def run(*arguments):
        return subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    collected = run("collectstatic", "--no-input", "--verbosity", "0")
    assert collected.returncode == 0, collected.stderr
    return run


def test_check_deploy_finds_nothing_to_warn_about(production):
    result = production("check", "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    print(output)
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert not re.search(r"WARNING|ERROR|\((security|axes|admin|auth)\.[EW]\d+\)", output)


def test_a_production_response_carries_the_security_headers(production):
    result = production("shell", "--no-imports", "-c", REQUEST)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["settings"] == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
    }
    assert answer["plain"] == [301, f"https://{HOST}/dang-nhap/"]
    assert answer["status"] == 200
    headers = answer["headers"]
    hsts = headers["Strict-Transport-Security"]
    assert re.fullmatch(r"max-age=(\d+); includeSubDomains; preload", hsts)
    assert int(hsts.split("=")[1].split(";")[0]) >= 31536000
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = dict(
        (directive.split()[0], directive.split()[1:])
        for directive in headers["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == ["'self'"] and policy["default-src"] == ["'self'"]
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"} & set(policy["script-src"])
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    csrf = answer["cookies"]["csrftoken"]
    assert csrf["secure"] is True and csrf["httponly"] is True and csrf["samesite"] == "Lax"
