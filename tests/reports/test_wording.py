"""The report's Vietnamese phrasing: periods, counts, dates and lists of communes."""

import datetime
from decimal import Decimal

import pytest

from communes.models import Unit
from indicators.models import Period
from reports import wording


@pytest.mark.parametrize(
    "kind, number, subject",
    [
        (
            "H",
            1,
            "Sơ kết công tác Cải cách hành chính 6 tháng đầu năm 2023 và phương hướng, nhiệm vụ Cải cách "
            "hành chính 6 tháng cuối năm 2023",
        ),
        (
            "H",
            2,
            "Sơ kết công tác Cải cách hành chính 6 tháng cuối năm 2023 và phương hướng, nhiệm vụ Cải cách "
            "hành chính 6 tháng đầu năm 2024",
        ),
        (
            "Q",
            4,
            "Kết quả công tác Cải cách hành chính Quý IV năm 2023 và phương hướng, nhiệm vụ Cải cách hành "
            "chính Quý I năm 2024",
        ),
        (
            "Q",
            2,
            "Kết quả công tác Cải cách hành chính Quý II năm 2023 và phương hướng, nhiệm vụ Cải cách hành "
            "chính Quý III năm 2023",
        ),
        (
            "9M",
            1,
            "Sơ kết công tác Cải cách hành chính 9 tháng đầu năm 2023 và phương hướng, nhiệm vụ Cải cách "
            "hành chính Quý IV năm 2023",
        ),
        (
            "Y",
            1,
            "Tổng kết công tác Cải cách hành chính năm 2023 và phương hướng, nhiệm vụ Cải cách hành chính "
            "năm 2024",
        ),
    ],
)
def test_the_subject_names_the_period_and_the_next(kind, number, subject):
    assert wording.subject(Period(year=2023, kind=kind, number=number)) == subject


def test_numbers_are_written_as_the_report_writes_them():
    assert [wording.count(n) for n in (0, 1, 9, 10, 1698)] == ["0", "01", "09", "10", "1.698"]
    assert wording.percent(Decimal("98.2035")) == "98,2%" and wording.percent(Decimal(100)) == "100%"
    assert wording.percent(None) == "chưa có số liệu"
    assert (
        wording.change(Decimal("29.094")) == "tăng 29,09%" and wording.change(Decimal("-1.5")) == "giảm 1,5%"
    )


def test_january_and_february_take_a_leading_zero_in_the_date_line():
    district = Unit(name="Tứ Kỳ", kind="huyen", level="district")
    assert wording.place_and_date(district, datetime.date(2024, 1, 5)).endswith("tháng 01 năm 2024")
    assert wording.place_and_date(district, datetime.date(2023, 7, 20)).endswith("tháng 7 năm 2023")
    assert wording.issuer_lines(district) == ["ỦY BAN NHÂN DÂN", "HUYỆN TỨ KỲ"]


def test_communes_are_listed_by_kind_the_township_last():
    a, b, town = (
        Unit(name=n, kind=k, level="commune") for n, k in (("A", "xa"), ("B", "xa"), ("T", "thi_tran"))
    )
    assert wording.committees([a]) == "UBND xã A"
    assert wording.committees([a, b]) == "UBND các xã A và B"
    assert wording.committees([town, a, b]) == "UBND các xã A, B và UBND thị trấn T"
    assert wording.collective([a, town]) == "UBND xã, thị trấn"
    assert wording.counted([(a, 4), (town, 1)]) == "A (04), thị trấn T (01)"
