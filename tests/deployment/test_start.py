"""A fresh deployment starts and serves: the Dockerfile's commands, and the README's order without Docker.

Each follows its file: the commands that call manage.py, and gunicorn's, are read out of the Dockerfile's RUN
and CMD lines and out of the README's "Without Docker" sentence, and run as written, in their order, with
debug off, in a copy of the project as each deployment gets it (the image: .dockerignore applied; a
checkout: git's files), on an empty SQLite database and an empty static folder. gunicorn listens on a port of
127.0.0.1 chosen by the system (port 0: no other process can take it first) and must serve the login page
and the favicon, and refuse an oversized request, before the test stops its whole process group.
"""

import http.client
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from fnmatch import fnmatch
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow

ROOT = Path(settings.BASE_DIR)
# `python` and `gunicorn` in the commands are those of the environment running the tests.
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
LISTENING = re.compile(rb"Listening at: http://127\.0\.0\.1:(\d+) \(")
HASHED = r"[0-9a-f]{12}"


def dockerfile():
    """The final stage's ENV, its RUN commands that call manage.py, and its CMD as a shell script."""
    lines = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text()).splitlines()
    final = max(number for number, line in enumerate(lines) if line.upper().startswith("FROM "))
    env, runs, cmd = {}, [], None
    for line in lines[final:]:
        instruction, _, rest = line.strip().partition(" ")
        if instruction == "ENV":
            env.update(pair.split("=", 1) for pair in shlex.split(rest))
        elif instruction == "RUN" and "manage.py" in rest:
            runs.append(rest)
        elif instruction == "CMD":
            argv = json.loads(rest)
            cmd = argv[2] if argv[:2] == ["sh", "-c"] else shlex.join(argv)
    return env, runs, cmd


def readme_steps():
    """The commands of the README's "Without Docker:" sentence, in order."""
    sentence = (ROOT / "README.md").read_text().split("Without Docker:", 1)[1].split("\n\n", 1)[0]
    spans = re.findall(r"`([^`]+)`", sentence)
    return [span for span in spans if re.match(r"(pip|npm|python|gunicorn) ", span)]


def image_copy(target):
    """The project as the image holds it: `COPY . .` without what .dockerignore names, then the bundle the
    assets stage builds (`make test` has built it here)."""
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]

    def ignored(directory, names):
        relative = Path(directory).relative_to(ROOT)
        return {
            name
            for name in names
            for pattern in patterns
            if fnmatch((relative / name).as_posix(), pattern)
            or (pattern.startswith("**/") and fnmatch(name, pattern[3:]))
        }

    shutil.copytree(ROOT, target, ignore=ignored, symlinks=True)
    shutil.copytree(ROOT / "static" / "build", target / "static" / "build")
    return target


def checkout_copy(target):
    """The project as a git checkout holds it (files not yet committed included, ignored ones not)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # not a file another change has just deleted
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def environment(home, **variables):
    """A fresh shell's environment: nothing of the test process's own (no DJANGO_DEBUG, no secret key)."""
    return {"PATH": os.pathsep.join([str(BIN), "/usr/bin", "/bin"]), "HOME": str(home), **variables}


def production(folder):
    """Debug off, as deployed, on a database of its own."""
    return {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
    }


def run(command, cwd, env):
    # collectstatic, as the README writes it, asks for a confirmation.
    done = subprocess.run(
        ["sh", "-c", command], cwd=cwd, env=env, input="yes\n", capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, f"`{command}` failed:\n{done.stdout}{done.stderr}"


def on_loopback(command):
    """The command with gunicorn bound to a port of 127.0.0.1 that the system chooses."""
    command, bound = re.subn(r"--bind \S+", f"--bind {HOST}:0", command)
    assert bound == 1, command
    return command


@contextmanager
def serving(script, cwd, env, log_path):
    """Runs a shell script that ends by exec'ing gunicorn; yields the port it listens on and a reader of its
    log. The script's process group is stopped on the way out, however the test ends, and the port closed."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            ["sh", "-c", script],
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    port = None
    try:
        deadline = time.monotonic() + 120
        while port is None:
            found = LISTENING.search(log_path.read_bytes())
            if found:
                port = int(found.group(1))
            elif process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"gunicorn is not listening:\n{log_path.read_text(errors='replace')}")
            else:
                time.sleep(0.1)
        yield port, lambda: log_path.read_text(errors="replace")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                # The leader is not reaped yet: the group is still ours.
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    if port is not None:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((HOST, port), timeout=5).close()


def request(port, method, path, headers=()):
    """(status, headers, body) of a request as the proxy forwards one made over HTTPS; no body is sent."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.putrequest(method, path, skip_host=True)
        for name, value in [("Host", HOST), ("X-Forwarded-Proto", "https"), *headers]:
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def assert_serves(port, log):
    status, _headers, page = request(port, "GET", "/dang-nhap/")
    assert status == 200, log()
    text = page.decode()
    assert 'name="username"' in text
    assert re.search(rf'href="/static/css/site\.{HASHED}\.css"', text), text

    status, headers, _page = request(port, "GET", "/favicon.ico")
    assert status == 302, log()
    icon = headers["Location"]
    assert re.fullmatch(rf"/static/favicon\.{HASHED}\.svg", icon)
    status, headers, page = request(port, "GET", icon)
    assert status == 200 and headers["Content-Type"].startswith("image/svg+xml") and b"<svg" in page

    # Refused on its headers: the server answers without waiting for the gigabyte it was promised.
    too_large = [("Content-Type", "application/octet-stream"), ("Content-Length", str(2**30))]
    status, _headers, page = request(port, "POST", "/dang-nhap/", too_large)
    assert status == 413, log()


def test_the_docker_image_builds_its_static_files_then_starts_with_an_empty_database(tmp_path):
    env, runs, cmd = dockerfile()
    # The image carries the static files and their manifest; starting it only migrates, then serves.
    assert any("collectstatic" in command for command in runs), runs
    app = image_copy(tmp_path / "app")
    assert not (app / "staticfiles").exists()
    # `docker build`: the Dockerfile's ENV and nothing of the deployment's (no secret key, no database).
    for command in runs:
        run(command, app, environment(tmp_path, **env))
    # `docker compose up`: the deployment's variables as docker-compose.yml sets them, on SQLite; one worker.
    started = environment(tmp_path, **env, **production(tmp_path), DJANGO_DEBUG="0", GUNICORN_WORKERS="1")
    with serving(on_loopback(cmd), app, started, tmp_path / "gunicorn.log") as (port, log):
        assert_serves(port, log)


def test_the_readmes_order_without_docker_starts_from_an_empty_database(tmp_path):
    steps = readme_steps()
    assert steps[0] == "pip install .", steps  # the environment running the tests is that installation
    assert steps[1].startswith("npm "), steps  # the chart bundle: static/build/ is not in git
    assert steps[-1].startswith("gunicorn "), steps
    app = checkout_copy(tmp_path / "app")
    assert not (app / "static" / "build").exists()
    shutil.copytree(ROOT / "static" / "build", app / "static" / "build")  # what `make test` built with npm
    (tmp_path / "static").mkdir()
    env = environment(
        tmp_path, **production(tmp_path), DJANGO_STATIC_ROOT=str(tmp_path / "static"), CCHC_PUBLIC_RANKING="1"
    )
    for command in steps[2:-1]:
        assert command.startswith("python manage.py "), command
        run(command, app, env)
    # exec, as the Dockerfile's CMD: gunicorn is the process the test stops, not a shell around it.
    with serving(f"exec {on_loopback(steps[-1])}", app, env, tmp_path / "gunicorn.log") as (port, log):
        assert_serves(port, log)
        # The demo's reference data is there, and the chart bundle among the collected files.
        status, _headers, page = request(port, "GET", "/xep-hang/?period=2023-H1")
        assert status == 200, log()
        script = re.search(rf'src="(/static/build/plotly\.min\.{HASHED}\.js)"', page.decode())
        assert script and request(port, "GET", script[1])[0] == 200
