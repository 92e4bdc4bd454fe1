import pytest

from communes.models import Unit
from indicators.figures import communes_of, dossier_totals, dossier_totals_by_field, dossier_totals_by_unit
from indicators.models import Period

from .factories import make_commune, make_district, stats

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    return make_district()


@pytest.fixture
def communes(district):
    return make_commune(district, "D9-1", "Xã Một"), make_commune(district, "D9-2", "Xã Hai")


def period(code):
    return Period.objects.get_by_code(code)


def test_a_half_year_is_built_from_its_quarters(communes):
    one, _two = communes
    stats(
        one,
        period("2023-Q1"),
        carried_over=5,
        received=100,
        resolved_overdue=2,
        pending=7,
        paused=1,
        returned=3,
        online_eligible=90,
        online=80,
        inputs=100,
        inputs_digitized=95,
        fee_bearing=10,
        paid_online=4,
    )
    # Q2 opens with Q1's closing stock: 7 pending + 1 paused.
    stats(
        one,
        period("2023-Q2"),
        carried_over=8,
        received=50,
        pending=4,
        paused=2,
        cancelled=1,
        online_eligible=50,
        online=50,
        inputs=50,
        inputs_digitized=40,
        fee_bearing=5,
        paid_online=5,
    )
    h1 = dossier_totals(period("2023-H1"), Unit.objects.filter(pk=one.pk))
    assert h1.carried_over == 5  # the first quarter's opening stock
    assert (h1.pending, h1.paused) == (4, 2)  # the last quarter's closing stock
    assert (h1.received, h1.resolved_overdue, h1.returned, h1.cancelled) == (150, 2, 3, 1)
    assert h1.resolved_on_time == (100 + 5 - 2 - 7 - 1 - 3) + (50 + 8 - 4 - 2 - 1)
    # The identity still holds for the half-year.
    assert h1.carried_over + h1.received == (
        h1.resolved + h1.pending + h1.paused + h1.returned + h1.cancelled
    )
    assert (h1.online, h1.online_eligible, h1.inputs_digitized, h1.paid_online) == (130, 140, 135, 9)


def test_a_year_and_nine_months_take_stocks_from_their_own_first_and_last_quarters(communes):
    one, _two = communes
    for number, (carried, pending) in enumerate([(1, 2), (2, 3), (3, 4), (4, 5)], start=1):
        stats(one, period(f"2023-Q{number}"), carried_over=carried, received=10, pending=pending)
    units = Unit.objects.filter(pk=one.pk)
    year = dossier_totals(period("2023"), units)
    nine = dossier_totals(period("2023-9M"), units)
    assert (year.carried_over, year.pending, year.received) == (1, 5, 40)
    assert (nine.carried_over, nine.pending, nine.received) == (1, 4, 30)


def test_figures_entered_for_the_half_year_are_used_instead_of_its_quarters(communes):
    one, two = communes
    stats(one, period("2023-Q1"), received=100)
    stats(one, period("2023-Q2"), received=100)
    stats(one, period("2023-H1"), received=150)  # entered directly: wins for this commune
    stats(two, period("2023-Q1"), received=7)  # no direct figure: built from quarters
    by_unit = dossier_totals_by_unit(period("2023-H1"), Unit.objects.filter(pk__in=[one.pk, two.pk]))
    assert by_unit[one.pk].received == 150
    assert by_unit[two.pk].received == 7


def test_a_parent_total_is_the_sum_of_its_communes(district, communes):
    one, two = communes
    q1 = period("2023-Q1")
    stats(one, q1, received=10, resolved_overdue=1)
    stats(one, q1, field="tai-nguyen", received=5)
    stats(two, q1, received=20, returned=2)
    stats(district, q1, received=1000)  # the district's own one-stop shop is not a commune
    total = dossier_totals(q1, communes_of(district, q1))
    assert (total.received, total.resolved_overdue, total.returned, total.rows) == (35, 1, 2, 3)
    by_field = dossier_totals_by_field(q1, communes_of(district, q1))
    assert sorted(t.received for t in by_field.values()) == [5, 30]


def test_a_period_without_rows_has_no_data_and_no_rates(communes):
    totals = dossier_totals(period("2023-Q4"), Unit.objects.filter(pk__in=[c.pk for c in communes]))
    assert not totals.has_data
    assert totals.on_time_rate is None and totals.online_rate is None
