"""The downloads read every row straight from SQL (tables.Rows.records): they give the very values the
rows built in Python for the HTML table give, rounded as the report rounds them."""

import gzip
from decimal import Decimal

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation
from django.utils.formats import number_format
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cchc.middleware import DownloadGZipMiddleware
from communes.models import Unit
from indicators import figures
from indicators.dashboards import pages
from indicators.dashboards.tables import Rows, machine_value, records
from indicators.formatting import format_number, rounded
from indicators.models import Period, PeriodReport
from indicators.rates import rate, rounded_percent_expression
from tests.indicators.factories import make_commune, stats

pytestmark = pytest.mark.django_db

ROWS_PAGES = [pages.ranking, pages.overdue, pages.digitization, pages.online_payment, pages.submission_list]


def built_in_python(table):
    """What the downloads gave before they read SQL: the HTML table's rows, as machine values."""
    rows = table.rows.build(list(table.rows.lines), table.rows.lines.units)
    return [
        {column.key: machine_value(row.get(column.key), column.kind) for column in table.columns}
        for row in rows
    ]


@pytest.mark.parametrize("root_code", ["298", "30"])
@pytest.mark.parametrize("page", ROWS_PAGES, ids=lambda page: page.__name__)
def test_the_rows_read_from_sql_are_the_rows_built_in_python(page, root_code):
    h1 = Period.objects.get_by_code("2023-H1")
    district = Unit.objects.get(code="298")
    # A commune with counts but no score, and one whose report is a draft: no data, not nought.
    stats(make_commune(district, "Y1", "Xã Chỉ Có Số"), h1, received=7, resolved_overdue=2)
    drafted = make_commune(district, "Y2", "Xã Còn Nháp")
    stats(drafted, h1, received=3)
    PeriodReport.objects.create(unit=drafted, period=h1, status=PeriodReport.Status.DRAFT)
    root = Unit.objects.get(code=root_code)

    table = page(root, h1, Unit.objects.subtree(root)).table
    assert isinstance(table.rows, Rows)
    found = records(table)
    assert found == built_in_python(table)
    assert len(found) >= 23


def percent_of(part, whole):
    return Unit.objects.annotate(p=rounded_percent_expression(part, whole)).values_list("p", flat=True)[0]


@settings(max_examples=60, deadline=None)
@given(whole=st.integers(min_value=0, max_value=10**7), share=st.fractions(min_value=0, max_value=1))
@example(whole=20000, share=Decimal(19987) / 20000)  # 99,935% -> 99,94, half up
@example(whole=8, share=Decimal(1) / 8)  # 12,5% exactly
@example(whole=0, share=0)  # nothing to divide by: no rate
def test_sql_rounds_each_rate_half_up_as_the_report_does(whole, share):
    part = int(whole * share)
    expected = None if whole == 0 else float(rounded(rate(part, whole), 2))
    assert percent_of(part, whole) == expected


@pytest.mark.parametrize("language", ["vi", "en"])
def test_numbers_are_formatted_as_django_formats_them(language):
    values = [0, 7, 1698, 1234567, -1698, Decimal("99.935"), Decimal("0.005"), Decimal("-12345.675"), 3.14159]
    with translation.override(language):
        for value in values:
            for places in (0, 2):
                expected = number_format(rounded(value, places), places, force_grouping=True)
                assert format_number(value, places) == expected
    with translation.override("vi"):
        assert format_number(Decimal("1234567.891"), 2) == "1.234.567,89"


def compressed(content, content_type, accept="gzip"):
    request = RequestFactory().get("/", headers={"accept-encoding": accept})
    middleware = DownloadGZipMiddleware(lambda request: HttpResponse(content, content_type=content_type))
    return middleware(request)


def test_a_large_download_is_gzipped_and_comes_back_whole():
    content = b'{"rows": [' + b",".join(b'{"unit": "X\xc3\xa3 %d"}' % n for n in range(30000)) + b"]}"
    response = compressed(content, "application/json")
    assert response["Content-Encoding"] == "gzip" and "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content) == content
    assert int(response["Content-Length"]) == len(response.content) < len(content) / 5


def test_pages_and_clients_without_gzip_are_left_to_django():
    large = b"<p>" + b"x" * 300_000 + b"</p>"
    assert compressed(large, "text/html")["Content-Encoding"] == "gzip"  # Django's, padded against BREACH
    assert not compressed(large, "application/json", accept="br").has_header("Content-Encoding")
    assert not compressed(b"{}", "application/json").has_header("Content-Encoding")


def test_the_unit_name_in_sql_is_the_name_shown():
    names = figures.with_totals(Unit.objects.all(), Period.objects.get_by_code("2023-H1"))
    for row in names.annotate(shown=figures.unit_name()).values("pk", "shown"):
        assert row["shown"] == str(Unit.objects.get(pk=row["pk"]))
