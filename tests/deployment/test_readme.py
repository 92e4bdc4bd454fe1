"""The management commands the README shows for development work as written in a fresh shell after `make run`.

A fresh shell has neither Django on the system Python nor DJANGO_DEBUG or DJANGO_SECRET_KEY set: each command
runs with the interpreter path and environment prefix the README writes, with `--help` appended, and its
arguments must satisfy the command's parser. Commands under "Deploying" run where the application is
deployed, with its variables set (the README says so), and are left alone.
"""

import re
import shlex
import subprocess

import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class

ROOT = settings.BASE_DIR
README = (ROOT / "README.md").read_text()
PREFIX = ["DJANGO_DEBUG=1", ".venv/bin/python", "manage.py"]
DEVELOPMENT = {"report", "import_data", "export_template", "bench", "loadtest", "axes_reset_username"}


def manage_commands():
    """(section title, command) for every code span of the README that runs manage.py."""
    found = []
    for section in re.split(r"^## ", README, flags=re.MULTILINE):
        title = section.split("\n", 1)[0]
        inline = re.sub(r"^```.*?^```", "", section, flags=re.MULTILINE | re.DOTALL)
        found += [(title, " ".join(span.split())) for span in re.findall(r"`([^`]+)`", inline)]
    return [(title, span) for title, span in found if "manage.py" in span]


DEVELOPMENT_COMMANDS = [span for _title, span in manage_commands() if span.split()[:3] == PREFIX]


def arguments(command):
    """The words of a command as the README writes it, optional parts included, an alternative's first."""
    return [word.split("|")[0] for word in shlex.split(command.replace("[", " ").replace("]", " "))]


def test_commands_outside_deploying_are_written_for_a_development_shell():
    for title, command in manage_commands():
        if not title.startswith("Deploying"):
            assert command.split()[:3] == PREFIX, f"{title}: `{command}`"
    assert DEVELOPMENT <= {command.split()[3] for command in DEVELOPMENT_COMMANDS}


@pytest.mark.parametrize("command", DEVELOPMENT_COMMANDS, ids=lambda command: command.split()[3])
def test_a_development_command_runs_as_written(command, tmp_path):
    words = arguments(command)
    name, args = words[3], words[4:]
    # Every argument as the command's parser reads it (unknown options, choices, numbers).
    load_command_class(get_commands()[name], name).create_parser("manage.py", name).parse_args(args)
    # A fresh shell in the project: no DJANGO_* variables, no virtual environment activated.
    done = subprocess.run(
        ["sh", "-c", shlex.join([*words, "--help"])],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"usage: manage.py {name}" in done.stdout
