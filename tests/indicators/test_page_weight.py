"""What a leader's browser downloads to open the ranking page, compressed as the server sends it."""

import pytest
from django.conf import settings
from django.urls import reverse

from benchmarks.measure import ranking_weight
from communes.models import Unit, User

pytestmark = pytest.mark.django_db

FIRST_VISIT_BUDGET = 450 * 1024
REPEAT_VISIT_BUDGET = 30 * 1024


@pytest.mark.skipif(
    not (settings.BASE_DIR / "static" / "build" / "plotly.min.js").exists(),
    reason="the chart bundle is not built: `make test` builds it (npm run build)",
)
def test_the_ranking_page_stays_within_its_weight_budget():
    user = User.objects.create_user(
        "w", password="x", role=User.Role.LEADER, unit=Unit.objects.get(code="298")
    )
    # The benchmark's own count (gzipped page, brotli static files), so that both report the same figure.
    weight = ranking_weight(user, "2023-H1")
    assert "build/plotly.min.js" in weight["assets"] and "js/charts.js" in weight["assets"]
    first, repeat = weight["first_visit_bytes"], weight["repeat_visit_bytes"]
    print(f"ranking page: first visit {first / 1024:.0f} KB, repeat visit {repeat / 1024:.1f} KB")
    assert first <= FIRST_VISIT_BUDGET
    assert repeat <= REPEAT_VISIT_BUDGET


def test_every_page_forbids_inline_scripts(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "unsafe-eval" not in policy and "frame-ancestors 'none'" in policy
