"""docker-compose.yml publishes the application to the host's reverse proxy only, and trusts that one proxy.

The application trusts X-Forwarded-Proto, and counts failed logins per address taken from X-Forwarded-For:
both are only true of requests that came through the proxy. Read as text (no YAML library is installed).
"""

import re

from django.conf import settings

COMPOSE = (settings.BASE_DIR / "docker-compose.yml").read_text()


def published_ports():
    """Each entry of every `ports:` list of the file."""
    entries = []
    for block in re.finditer(r"^(\s*)ports:\s*\n((?:\1\s+(?:#.*|- .*)\n)+)", COMPOSE, re.MULTILINE):
        entries += re.findall(r"^\s+- [\"']?([^\"'\s#]+)", block.group(2), re.MULTILINE)
    return entries


def test_the_application_is_published_on_loopback_only():
    ports = published_ports()
    assert ports, "the web service publishes its port"
    for entry in ports:
        assert re.fullmatch(r"127\.0\.0\.1:\d+:\d+", entry), f"{entry} is reachable from other machines"
    assert "127.0.0.1:8000:8000" in ports


def test_one_reverse_proxy_is_trusted_by_default():
    variable = r"^\s+DJANGO_TRUSTED_PROXY_COUNT:\s*[\"']?\$\{DJANGO_TRUSTED_PROXY_COUNT:-(\d+)\}"
    [default] = re.findall(variable, COMPOSE, re.MULTILINE)
    assert default == "1"
