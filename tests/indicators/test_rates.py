import datetime
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from indicators.figures import DossierTotals
from indicators.rates import Metric, rate
from indicators.templatetags.vi_format import percent, points


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (1641, 1642, "99,94%"),  # district on time
        (1, 1642, "0,06%"),  # district overdue
        (23359, 23378, "99,92%"),  # communes on time
        (22506, 23521, "95,68%"),  # communes, digitized inputs
        (22453, 23441, "95,79%"),  # communes, digitized results
        (1666, 1670, "99,76%"),  # district online
        (49, 53, "92,45%"),  # district online, Kinh tế
        (24482, 24573, "99,63%"),  # whole district online
        (24146, 25191, "95,85%"),  # whole district digitized inputs
        (24088, 25106, "95,95%"),  # whole district digitized results
        (14, 23, "60,87%"),
    ],
)
def test_report_rates_are_reproduced_from_raw_counts(part, whole, shown):
    assert percent(rate(part, whole)) == shown


def test_nothing_to_divide_by_is_no_data_not_zero_or_hundred():
    assert rate(0, 0) is None
    assert rate(5, 0) is None
    assert percent(None) == "—"
    assert rate(0, 7) == 0


def test_rates_are_not_rounded_before_they_are_shown():
    exact = rate(1641, 1642)
    assert exact != Decimal("99.94")
    assert exact.quantize(Decimal("0.0001")) == Decimal("99.9391")


def test_rounding_is_half_up_as_people_round():
    assert percent(Decimal("0.125")) == "0,13%"
    assert percent(Decimal("99.935")) == "99,94%"
    assert points(Decimal("62.125")) == "62,13"


def test_totals_of_several_rows_use_the_same_rates():
    totals = DossierTotals(
        resolved_on_time=1641,
        resolved_overdue=1,
        online=1666,
        online_eligible=1670,
        fee_bearing=250,
        paid_online=64,
    )
    assert percent(totals.on_time_rate) == "99,94%"
    assert percent(totals.rate(Metric.ONLINE_PAYMENT)) == "25,60%"
    assert totals.inputs_digitized_rate is None
    combined = totals + DossierTotals(resolved_on_time=23359, resolved_overdue=19)
    assert (combined.resolved_on_time, combined.resolved) == (25000, 25020)


def test_a_row_of_dossiers_shows_counts_and_rates_the_vietnamese_way():
    totals = DossierTotals(carried_over=698, received=1000, resolved_on_time=1641, resolved_overdue=1)
    row = Template("{% load vi_format %}{% dossier_row label totals %}").render(
        Context({"label": "<Xã>", "totals": totals})
    )
    cells = [cell.split("</td>")[0] for cell in row.split('<td class="num">')[1:]]
    assert row.startswith('<tr>\n  <th scope="row">&lt;Xã&gt;</th>')
    assert cells[:5] == [
        "1.698",
        "698",
        "1.000",
        '1.641/1.642 <span class="share">(99,94%)</span>',
        '1 <span class="share">(0,06%)</span>',
    ]
    # Nothing was asked online: no rate, not 0%.
    assert cells[9] == '0/0 <span class="share">(—)</span>'


def test_templates_write_numbers_and_dates_the_vietnamese_way():
    rendered = Template("{{ n }} {{ d|date:'SHORT_DATE_FORMAT' }} {{ x }}").render(
        Context({"n": 23664, "d": datetime.date(2026, 11, 24), "x": Decimal("62.12")})
    )
    assert rendered == "23.664 24/11/2026 62,12"


def test_day_first_dates_are_accepted_in_forms():
    class DateForm(forms.Form):
        day = forms.DateField()

    form = DateForm({"day": "24/11/2026"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2026, 11, 24)
