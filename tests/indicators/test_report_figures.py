"""The stored H1-2023 data, read through the selectors, reproduces every figure the report states.

The expected values come from tests/report_h1_2023.py (transcribed from the report); everything compared
with them is computed here from the raw counts and points that seed_demo loaded (see tests/conftest.py).
"""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import translation

from communes.models import Unit
from indicators.figures import (
    commune_lines,
    communes_of,
    dossier_totals,
    dossier_totals_by_field,
    dossier_totals_by_unit,
    score_totals,
)
from indicators.figures import overview as overview_of
from indicators.models import (
    AreaScore,
    DossierStats,
    Period,
    PeriodReport,
    ProcedureField,
    ProvinceAverage,
    Target,
)
from indicators.rates import Metric, rate
from indicators.templatetags.vi_format import percent
from tests import report_h1_2023 as report

pytestmark = pytest.mark.django_db

CENT = Decimal("0.01")


def shown(value):
    """A rate as the report prints it: rounded half-up to 2 decimals."""
    assert value is not None, "no rate: nothing to divide by"
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def band_check(text):
    """A predicate for a band written as the report writes it: "90–100%", "80–<90%", ">70–<80%", "60,87%"."""
    body = text.removesuffix("%").replace(",", ".")
    if "–" not in body:
        value = Decimal(body)
        return lambda p: shown(p) == value
    low, high = body.split("–")
    low_value, high_value = Decimal(low.lstrip(">")), Decimal(high.lstrip("<"))
    above_low = (lambda p: p > low_value) if low.startswith(">") else (lambda p: p >= low_value)
    below_high = (lambda p: p < high_value) if high.startswith("<") else (lambda p: p <= high_value)
    return lambda p: above_low(p) and below_high(p)


@pytest.mark.parametrize(
    ("text", "inside", "outside"),
    [
        ("90–100%", ["90", "100", "95.5"], ["89.99", "100.01"]),
        ("80–<90%", ["80", "89.99"], ["79.99", "90"]),
        (">70–<80%", ["70.01", "79.99"], ["70", "80"]),
        ("60–73%", ["60", "73"], ["59.99", "73.01"]),
        ("60,87%", ["60.87", "60.8695652"], ["60.86", "60.88"]),
    ],
)
def test_band_notation_is_read_as_the_report_means_it(text, inside, outside):
    check = band_check(text)
    assert all(check(Decimal(p)) for p in inside)
    assert not any(check(Decimal(p)) for p in outside)


# ---------------------------------------------------------------------------------------------------------
# Fixtures: the period, the district and its communes, as the selectors see them.
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def period():
    return Period.objects.get_by_code(report.PERIOD)


@pytest.fixture
def previous_period(period):
    previous = period.comparable_previous()
    assert previous is not None and previous.code == report.PREVIOUS_PERIOD
    return previous


@pytest.fixture
def district():
    return Unit.objects.get(code=report.DISTRICT_CODE)


def communes_by_name(district, period):
    communes = list(communes_of(district, period))
    by_name = {unit.name: unit for unit in communes}
    assert len(by_name) == len(communes), "commune names must be unique within the district"
    return by_name


@pytest.fixture
def communes(district, period):
    """{name: Unit} of the communes that existed in H1 2023."""
    return communes_by_name(district, period)


def own(unit):
    return Unit.objects.filter(pk=unit.pk)


def scope_totals(district, period):
    """DossierTotals of the three scopes the report speaks of: the district's own shop, its communes, both."""
    district_totals = dossier_totals(period, own(district))
    commune_totals = dossier_totals(period, communes_of(district, period))
    whole = district_totals + commune_totals
    return {"district": district_totals, "communes": commune_totals, "whole": whole}


@pytest.fixture
def totals(district, period):
    return scope_totals(district, period)


@pytest.fixture
def scores(district, period):
    """{name: ScoreTotal} of the communes in H1 2023, ranked."""
    ranked = score_totals(period, communes_of(district, period))
    return {unit.name: ranked[unit.pk] for unit in communes_of(district, period)}


# ---------------------------------------------------------------------------------------------------------
# Units.
# ---------------------------------------------------------------------------------------------------------


def test_the_district_has_the_23_communes_the_report_names(district, communes):
    assert district.level == Unit.Level.DISTRICT and district.kind == Unit.Kind.DISTRICT
    assert len(communes) == report.COMMUNE_COUNT
    assert set(communes) == set(report.COMMUNES)


def test_the_township_is_the_commune_level_tu_ky_not_the_district(district, communes):
    township = communes[report.TOWNSHIP]
    assert township.kind == Unit.Kind.TOWNSHIP and township.level == Unit.Level.COMMUNE
    assert township.pk != district.pk and township.parent_id == district.pk
    assert [unit.name for unit in communes.values() if unit.kind == Unit.Kind.TOWNSHIP] == [report.TOWNSHIP]


# ---------------------------------------------------------------------------------------------------------
# One-stop shop: counts, the balance identity, rates.
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), report.DISTRICT_COUNTS.items())
def test_district_count(totals, name, expected):
    assert getattr(totals["district"], name) == expected


@pytest.mark.parametrize(("name", "expected"), report.COMMUNE_COUNTS.items())
def test_commune_level_count(totals, name, expected):
    assert getattr(totals["communes"], name) == expected


@pytest.mark.parametrize(
    ("scope", "handled"),
    [("district", report.DISTRICT_COUNTS["handled"]), ("communes", report.COMMUNE_COUNTS["handled"])],
)
def test_carried_over_plus_received_equals_every_outcome(totals, scope, handled):
    t = totals[scope]
    outcomes = t.resolved_on_time + t.resolved_overdue + t.pending + t.paused + t.returned + t.cancelled
    assert t.carried_over + t.received == outcomes == handled


def rate_cases(scope, rates):
    """Every printed rate, except the misprints: the next test checks those against the report's counts."""
    for metric, printed in rates.items():
        if (scope, metric) not in report.MISPRINTS:
            yield pytest.param(scope, metric, printed, id=f"{scope}-{metric}")


@pytest.mark.parametrize(
    ("scope", "metric", "printed"),
    [
        *rate_cases("district", report.DISTRICT_RATES),
        *rate_cases("communes", report.COMMUNE_RATES),
        *rate_cases("whole", report.WHOLE_RATES),
    ],
)
def test_rate_as_printed(totals, scope, metric, printed):
    assert shown(totals[scope].rate(Metric(metric))) == printed


@pytest.mark.parametrize(("scope", "metric"), report.MISPRINTS)
def test_where_the_report_contradicts_itself_the_data_follows_its_counts(totals, scope, metric):
    printed, (part, whole) = report.MISPRINTS[(scope, metric)]
    computed = totals[scope].rate(Metric(metric))
    assert computed == rate(part, whole)
    assert shown(computed) != printed


def test_section_ii_repeats_the_commune_inputs_rate_differently(totals):
    computed = shown(totals["communes"].inputs_digitized_rate)
    assert computed == report.COMMUNE_RATES["inputs_digitized"]
    assert computed != report.COMMUNE_INPUTS_RATE_II_2_3


def test_rates_are_shown_the_vietnamese_way(totals):
    with translation.override("vi"):
        assert percent(totals["district"].on_time_rate) == "99,94%"
        assert percent(totals["whole"].online_payment_rate) == "38,18%"
        assert percent(totals["district"].overdue_rate) == "0,06%"


def test_the_overview_agrees_with_the_selectors(district, period, totals):
    overview = overview_of(district, period)
    lines = list(commune_lines(district, period))
    assert [line.name for line in lines] == [unit.name for unit in communes_of(district, period)]
    summed = {"district": overview.own, "communes": overview.communes_total, "whole": overview.whole}
    for scope, scope_total in summed.items():
        for metric in Metric:
            assert scope_total.part_and_whole(metric) == totals[scope].part_and_whole(metric)
    overdue = sum(line.resolved_overdue for line in lines)
    assert overdue == report.COMMUNE_COUNTS["resolved_overdue"]


# District, per procedure field.


@pytest.fixture
def district_by_field(district, period):
    return {field.code: totals for field, totals in dossier_totals_by_field(period, own(district)).items()}


@pytest.mark.parametrize(("code", "online_and_eligible"), report.DISTRICT_ONLINE_BY_FIELD.items())
def test_district_online_by_field(district, period, district_by_field, code, online_and_eligible):
    assert (district_by_field[code].online, district_by_field[code].online_eligible) == online_and_eligible
    assert shown(district_by_field[code].online_rate) == report.DISTRICT_ONLINE_RATE_BY_FIELD[code]
    # The same rate from the stored row itself (one row per unit, period and field).
    row = DossierStats.objects.get(unit=district, period=period, field__code=code)
    assert shown(row.online_rate) == report.DISTRICT_ONLINE_RATE_BY_FIELD[code]


def test_district_fields_sum_to_the_district_online_figure(district_by_field):
    assert sum(t.online for t in district_by_field.values()) == report.DISTRICT_COUNTS["online"]
    eligible = sum(t.online_eligible for t in district_by_field.values())
    assert eligible == report.DISTRICT_COUNTS["online_eligible"]


def test_the_other_fields_had_no_district_dossiers(district_by_field):
    all_fields = set(ProcedureField.objects.values_list("code", flat=True))
    other_fields = all_fields - set(report.DISTRICT_ONLINE_BY_FIELD)
    assert other_fields, "the reference data has fields the district had no dossiers in"
    for code in other_fields:
        assert code not in district_by_field or district_by_field[code].received == 0, code


def test_the_district_overdue_and_cancelled_dossiers_are_in_the_land_field(district_by_field):
    overdue = {code: t.resolved_overdue for code, t in district_by_field.items() if t.resolved_overdue}
    cancelled = {code: t.cancelled for code, t in district_by_field.items() if t.cancelled}
    assert overdue == {report.DISTRICT_OVERDUE_FIELD: report.DISTRICT_COUNTS["resolved_overdue"]}
    assert cancelled == {report.DISTRICT_CANCELLED_FIELD: report.DISTRICT_COUNTS["cancelled"]}


# Communes, one by one.


@pytest.fixture
def by_commune(district, period, communes):
    by_pk = dossier_totals_by_unit(period, communes_of(district, period))
    return {name: by_pk[unit.pk] for name, unit in communes.items()}


@pytest.mark.parametrize("name", report.COMMUNES)
def test_overdue_dossiers_of_each_commune(by_commune, name):
    assert by_commune[name].resolved_overdue == report.OVERDUE_BY_COMMUNE.get(name, 0)


def test_the_overdue_split_adds_up_to_the_commune_level_figure(by_commune):
    assert sum(t.resolved_overdue for t in by_commune.values()) == sum(report.OVERDUE_BY_COMMUNE.values())
    assert sum(report.OVERDUE_BY_COMMUNE.values()) == report.COMMUNE_COUNTS["resolved_overdue"]


@pytest.fixture
def late_on_software(period):
    """{unit id: the one-stop software's count of late dossiers}, as each unit's period report states it."""
    return dict(PeriodReport.objects.filter(period=period).values_list("unit", "overdue_on_software"))


def test_late_on_the_software_second_count(district, communes, late_on_software):
    assert late_on_software[district.pk] == report.DISTRICT_LATE_ON_SOFTWARE
    by_name = {name: late_on_software.get(unit.pk) or 0 for name, unit in communes.items()}
    assert by_name == {name: report.LATE_ON_SOFTWARE_BY_COMMUNE.get(name, 0) for name in communes}
    assert sum(by_name.values()) + late_on_software[district.pk] == report.LATE_ON_SOFTWARE_TOTAL


def test_the_two_late_counts_disagree_where_the_report_does(communes, by_commune, late_on_software):
    stated = {
        name
        for name in report.COMMUNES
        if report.LATE_ON_SOFTWARE_BY_COMMUNE.get(name, 0) != report.OVERDUE_BY_COMMUNE.get(name, 0)
    }
    stored = {
        name
        for name, unit in communes.items()
        if (late_on_software.get(unit.pk) or 0) != by_commune[name].resolved_overdue
    }
    assert stored == stated


@pytest.mark.parametrize("name", report.FULLY_ONLINE)
def test_communes_named_fully_online(by_commune, name):
    assert by_commune[name].online_rate == 100


@pytest.mark.parametrize(
    ("name", "metric", "printed"),
    [
        (name, metric, printed)
        for name, rates in report.DIGITIZATION_BY_COMMUNE.items()
        for metric, printed in rates.items()
    ],
)
def test_digitization_of_the_communes_the_report_praises(by_commune, name, metric, printed):
    assert shown(by_commune[name].rate(Metric(metric))) == printed


def test_online_payment_against_the_commune_target(by_commune):
    target = Target.objects.get(year=2023, level=Unit.Level.COMMUNE, metric=Metric.ONLINE_PAYMENT)
    assert target.min_percent == report.ONLINE_PAYMENT_TARGET
    not_started = {name for name, t in by_commune.items() if t.paid_online == 0 and t.fee_bearing > 0}
    started = {name: t for name, t in by_commune.items() if name not in not_started}
    met = {name for name, t in started.items() if target.is_met_by(t.online_payment_rate)}
    not_met = {name for name, t in started.items() if target.is_met_by(t.online_payment_rate) is False}
    assert not_started == set(report.PAYMENT_NOT_STARTED)
    assert (len(met), len(not_met)) == (report.PAYMENT_MET, report.PAYMENT_NOT_MET)
    assert len(met) + len(not_met) + len(not_started) == report.COMMUNE_COUNT


@pytest.mark.parametrize(("scope", "met"), [("district", False), ("whole", True)])
def test_online_payment_against_the_district_target(totals, scope, met):
    target = Target.objects.get(year=2023, level=Unit.Level.DISTRICT, metric=Metric.ONLINE_PAYMENT)
    assert target.min_percent == report.ONLINE_PAYMENT_TARGET
    assert target.is_met_by(totals[scope].online_payment_rate) is met


@pytest.mark.parametrize(("level", "scope"), [("district", "district"), ("commune", "communes")])
def test_results_digitization_target_is_not_met_at_either_level(totals, level, scope):
    target = Target.objects.get(year=2023, level=level, metric=Metric.RESULTS_DIGITIZED)
    assert target.min_percent == report.RESULTS_DIGITIZED_TARGET
    assert target.is_met_by(totals[scope].results_digitized_rate) is False


@pytest.mark.parametrize(("level_and_metric", "expected"), report.PROVINCE_AVERAGES.items())
def test_province_average_stored_for_the_period(period, level_and_metric, expected):
    level, metric = level_and_metric
    assert ProvinceAverage.objects.get(period=period, level=level, metric=metric).percent == expected


@pytest.mark.parametrize(
    ("level", "metric", "above"),
    [(*key, True) for key in sorted(report.ABOVE_PROVINCE_AVERAGE)]
    + [(*key, False) for key in sorted(report.BELOW_PROVINCE_AVERAGE)],
)
def test_rate_compared_with_the_province_average(period, totals, level, metric, above):
    average = ProvinceAverage.objects.get(period=period, level=level, metric=metric).percent
    computed = totals["district" if level == "district" else "communes"].rate(Metric(metric))
    assert (computed > average) is above


# Change on H1 2022.


@pytest.fixture
def previous_totals(district, previous_period):
    return scope_totals(district, previous_period)


@pytest.mark.parametrize(("scope", "change"), report.ONLINE_CHANGE.items())
def test_online_rate_change_on_h1_2022(totals, previous_totals, scope, change):
    assert previous_totals[scope].has_data
    assert shown(totals[scope].online_rate - previous_totals[scope].online_rate) == change


@pytest.mark.parametrize(("metric", "change"), report.WHOLE_DIGITIZATION_CHANGE.items())
def test_whole_district_digitization_change_on_h1_2022(totals, previous_totals, metric, change):
    now, before = totals["whole"].rate(Metric(metric)), previous_totals["whole"].rate(Metric(metric))
    assert shown(now - before) == change


# ---------------------------------------------------------------------------------------------------------
# Reform index scores.
# ---------------------------------------------------------------------------------------------------------


def area_band_cases():
    for area, bands in report.AREA_BANDS.items():
        for text, communes in bands.items():
            yield pytest.param(area, text, communes, id=f"area{area}-{text}")


@pytest.mark.parametrize(("area", "text", "named"), list(area_band_cases()))
def test_area_score_band(period, communes, area, text, named):
    if isinstance(named, int):
        # "the other N": every commune the report does not name for this area.
        named_elsewhere = {
            name for other in report.AREA_BANDS[area].values() if not isinstance(other, int) for name in other
        }
        names = set(communes) - named_elsewhere
        assert len(names) == named
    else:
        names = set(named)
    scores = {
        score.unit.name: score.percent
        for score in AreaScore.objects.filter(
            period=period, area__number=area, unit__in=communes.values()
        ).select_related("unit")
    }
    check = band_check(text)
    outside = {name: shown(scores[name]) for name in names if not check(scores[name])}
    assert outside == {}, f"area {area}, band {text}: outside the band"


@pytest.mark.parametrize("area", report.AREA_BANDS)
def test_every_commune_has_one_score_in_each_area(period, communes, area):
    scored = AreaScore.objects.filter(period=period, area__number=area, unit__in=communes.values())
    assert sorted(scored.values_list("unit__name", flat=True)) == sorted(communes)


def test_commune_totals_are_out_of_74_points(scores):
    assert {total.max_points for total in scores.values()} == {report.COMMUNE_MAX_POINTS}


def test_classification_of_every_commune(scores):
    expected = {name: label for label, names in report.CLASSIFICATION.items() for name in names}
    assert {name: total.band.label for name, total in scores.items()} == expected


@pytest.mark.parametrize(("label", "text"), report.CLASSIFICATION_PERCENT.items())
def test_classified_communes_lie_in_the_stated_total_band(scores, label, text):
    check = band_check(text)
    percents = {name: scores[name].percent for name in report.CLASSIFICATION[label]}
    outside = {name: shown(p) for name, p in percents.items() if not check(p)}
    assert outside == {}


@pytest.mark.parametrize(("name", "rank"), report.RANKS.items())
def test_rank(scores, name, rank):
    assert scores[name].rank == rank


@pytest.mark.parametrize(("name", "rank"), report.RANKS_2022.items())
def test_rank_in_2022(district, previous_period, name, rank):
    ranked = score_totals(previous_period, communes_of(district, previous_period))
    unit = communes_by_name(district, previous_period)[name]
    assert ranked[unit.pk].rank == rank


@pytest.mark.parametrize(("name", "label"), report.CLASSIFICATION_2022.items())
def test_classification_in_2022(district, previous_period, name, label):
    totals = score_totals(previous_period, communes_of(district, previous_period))
    unit = communes_by_name(district, previous_period)[name]
    assert totals[unit.pk].band.label == label


def test_district_score(district, period):
    total = score_totals(period, own(district))[district.pk]
    assert total.points == report.DISTRICT_POINTS
    assert total.max_points == report.DISTRICT_MAX_POINTS
    assert shown(total.percent) == report.DISTRICT_PERCENT
