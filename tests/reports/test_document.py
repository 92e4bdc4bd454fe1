"""The Word report of H1 2023 says what the source report says, in its wording, in the official layout.

Expected figures come from tests/report_h1_2023.py (transcribed from the report), formatted here the way the
report prints them; the document is built from the seeded raw counts and points.
"""

import io
import re
from decimal import Decimal

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_COLOR_INDEX
from docx.shared import Pt

from communes.models import Unit
from indicators import services, totals
from indicators.formatting import format_number as number
from indicators.models import Period, PeriodReport, ReformArea
from reports.content import SCORE_STEPS, _step
from tests import report_h1_2023 as report
from tests.indicators.factories import stats
from tests.reports.conftest import HEADLINE, TODAY, build, fraction, paragraphs, printed

pytestmark = pytest.mark.django_db


def two_digits(value):
    return f"{value:02d}"


@pytest.fixture(scope="module")
def text(report_docx):
    return "\n".join(paragraph.text for paragraph in paragraphs(report_docx))


def test_the_report_s_headline_figures(text):
    assert all(figure in text for figure in HEADLINE)


def test_the_one_stop_results_are_written_as_the_report_writes_them(text):
    district, communes = report.DISTRICT_COUNTS, report.COMMUNE_COUNTS
    assert (
        f"(1) Bộ phận Một cửa cấp huyện: Tiếp nhận {number(district['handled'])} hồ sơ. Trong đó, kỳ "
        f"trước chuyển sang giải quyết: {district['carried_over']} hồ sơ, tiếp nhận trong kỳ: "
        f"{number(district['received'])} hồ sơ; đã giải quyết trả trước và đúng hạn "
        f"{fraction(district, 'resolved_on_time', 'resolved')} hồ sơ đạt tỷ lệ "
        f"{printed(report.DISTRICT_RATES['on_time'])}%; "
        f"{two_digits(district['resolved_overdue'])} hồ sơ giải quyết quá hạn (chiếm tỷ lệ "
        f"{printed(report.DISTRICT_RATES['overdue'])}%) thuộc lĩnh vực: Tài nguyên"
    ) in text
    on_time = printed(report.COMMUNE_RATES["on_time"])
    assert f"{fraction(communes, 'resolved_on_time', 'resolved')} hồ sơ đạt tỷ lệ {on_time}%" in text
    assert f"{district['pending']} hồ sơ đang trong thời hạn giải quyết" in text
    assert f"{communes['paused']} hồ sơ đang tạm dừng; {communes['returned']} hồ sơ trả lại" in text
    overdue = ", ".join(
        f"{'thị trấn ' if name == report.TOWNSHIP else ''}{name} ({two_digits(count)})"
        for name, count in report.OVERDUE_BY_COMMUNE.items()
    )
    listed = re.search(r"19 hồ sơ giải quyết quá hạn \(chiếm tỷ lệ [\d,]+%\) ở các xã: ([^;]+);", text)
    assert listed and sorted(listed[1].split(", ")) == sorted(overdue.split(", "))


def test_online_rates_by_procedure_field(text):
    counts = report.DISTRICT_COUNTS
    assert (
        f"là {number(counts['online'])} hồ sơ/{number(counts['online_eligible'])} hồ sơ quy định "
        f"xử lý trực tuyến (đạt tỷ lệ {printed(report.DISTRICT_RATES['online'])}%)"
    ) in text
    for code, (online, eligible) in report.DISTRICT_ONLINE_BY_FIELD.items():
        rate = printed(report.DISTRICT_ONLINE_RATE_BY_FIELD[code])
        assert re.search(rf": {online}/{eligible} hồ sơ \(tỷ lệ {rate}%\)", text), code
    assert "Các lĩnh vực còn lại chưa phát sinh hồ sơ." in text
    communes = report.COMMUNE_COUNTS
    assert (
        f"là {number(communes['online'])} hồ sơ/{number(communes['online_eligible'])} hồ sơ quy "
        f"định xử lý trực tuyến (đạt tỷ lệ {printed(report.COMMUNE_RATES['online'])}%)"
    ) in text


def test_digitization_and_online_payment(text):
    communes = report.COMMUNE_COUNTS
    assert (
        f"(đầu vào): {fraction(communes, 'inputs_digitized', 'inputs')} đạt tỷ lệ "
        f"{printed(report.COMMUNE_RATES['inputs_digitized'])}%; số hóa kết quả giải quyết (đầu ra): "
        f"{fraction(communes, 'results_digitized', 'results')} đạt tỷ lệ "
        f"{printed(report.COMMUNE_RATES['results_digitized'])}%"
    ) in text
    # 1.640/1.670 is 98,2%: the application prints the rate of the counts, not the report's misprint.
    misprinted, (part, whole) = report.MISPRINTS["district", "inputs_digitized"]
    assert f"{number(part)}/{number(whole)} đạt tỷ lệ 98,2%" in text
    assert f"{printed(misprinted)}%" not in text
    fully_online = re.search(r"đạt 100% tỷ lệ hồ sơ giải quyết trực tuyến: ([^;]+);", text)
    assert fully_online and all(name in fully_online[1] for name in report.FULLY_ONLINE)
    for name, rates in report.DIGITIZATION_BY_COMMUNE.items():
        assert (
            f"UBND xã {name} (số hoá đầy đủ thành phần hồ sơ là {printed(rates['inputs_digitized'])}%" in text
        )
    target = printed(report.ONLINE_PAYMENT_TARGET)
    assert f"Ở cấp huyện đạt {printed(report.DISTRICT_RATES['online_payment'])}%" in text
    assert f"chưa đạt chỉ tiêu do UBND tỉnh giao ({target}%)" in text
    assert (
        f"đối với cấp xã (chỉ tiêu {target}%): có {two_digits(report.PAYMENT_MET)} xã, thị trấn đạt" in text
    )
    assert f"{report.PAYMENT_NOT_MET} xã chưa đạt chỉ tiêu" in text
    (tan_ky,) = report.PAYMENT_NOT_STARTED
    assert f"01 xã chưa thực hiện thanh toán trực tuyến (UBND xã {tan_ky})" in text
    assert f"{printed(report.WHOLE_RATES['online_payment'])}% hồ sơ TTHC có phí, lệ phí" in text


def test_whole_district_figures_and_changes_on_the_same_period_last_year(text):
    change = report.ONLINE_CHANGE
    assert (
        "trực tuyến toàn trình và một phần của toàn huyện đạt "
        f"{printed(report.WHOLE_RATES['online'])}%, tăng "
        f"{printed(change['whole'])}% so với cùng kỳ năm 2022 (trong đó cấp huyện tăng "
        f"{printed(change['district'])}%, cấp xã tăng {printed(change['communes'])}%)"
    ) in text
    for metric, moved in report.WHOLE_DIGITIZATION_CHANGE.items():
        assert f"đạt {printed(report.WHOLE_RATES[metric])}%, tăng {printed(moved)}% so với cùng kỳ" in text
    assert (
        f"đạt được là {printed(report.DISTRICT_POINTS)} điểm, đạt {printed(report.DISTRICT_PERCENT)}% (điểm "
        f"tối đa là {printed(report.DISTRICT_MAX_POINTS)} điểm)"
    ) in text


# The score bands ------------------------------------------------------------------------------------------

STEP = re.compile(r"^[Cc]ó (\d+) UBND [^()]*?đạt điểm số (?:ở mức )?(.+?) \((.+)\)$")


def names_in(committees):
    bare = re.sub(r"UBND (?:các )?(?:xã|thị trấn|phường|đặc khu) ", "", committees)
    return re.split(r", | và ", bare)


def percent_value(text):
    return Decimal(text.rstrip("%").replace(",", "."))


def written_range(text):
    """(low, high, high included) of "từ 80% đến dưới 90%", "từ 90% - 100%", "dưới 50%" or "56%"."""
    values = [percent_value(v) for v in re.findall(r"[\d,]+%", text)]
    if text.startswith("dưới"):
        return Decimal(0), values[0], False
    if len(values) == 1:
        return values[0], values[0], True
    return values[0], values[1], "dưới" not in text


def report_range(band):
    """The same for the report's notation: "90–100%", "80–<90%", ">70–<80%", "90%"."""
    values = [percent_value(v) for v in re.findall(r"[\d,]+", band)]
    if len(values) == 1:
        return values[0], values[0], True
    return values[0], values[1], "<" not in band.split("–")[1]


def within(inner, outer):
    low, high, included = inner
    outer_low, outer_high, outer_included = outer
    return low >= outer_low and (
        high < outer_high or (high == outer_high and (outer_included or not included))
    )


def area_steps(text, area):
    opening = f"* Về ước chấm điểm chỉ số CCHC trong lĩnh vực {area.name[:1].lower()}{area.name[1:]}: "
    (line,) = [line for line in text.split("\n") if line.startswith(opening)]
    steps = []
    for sentence in line[len(opening) :].rstrip(".").split("; "):
        match = STEP.match(sentence)
        assert match, sentence
        names = names_in(match[3])
        assert int(match[1]) == len(names), sentence
        steps.append((written_range(match[2]), names))
    return steps


@pytest.mark.parametrize("number", sorted(report.AREA_BANDS))
def test_each_area_names_the_communes_of_each_score_band_as_the_report_does(text, number):
    steps = area_steps(text, ReformArea.objects.get(number=number))
    bands = report.AREA_BANDS[number]
    named = {name for communes in bands.values() if isinstance(communes, tuple) for name in communes}
    matched = 0
    for band, communes in bands.items():
        found = [names for written, names in steps if within(written, report_range(band))]
        matched += len(found)
        listed = [name for names in found for name in names]
        if isinstance(communes, tuple):
            # One step of ours for one band of the report: the same communes in the same order.
            assert listed == list(communes) if len(found) == 1 else sorted(listed) == sorted(communes), band
        else:
            assert len(listed) == communes and not named & set(listed), band
    assert matched == len(steps)
    assert sum(len(names) for _range, names in steps) == report.COMMUNE_COUNT


def test_the_first_area_reads_like_the_report(text):
    first, second, *_ = report.AREA_BANDS[1]
    assert (
        f"Có 01 UBND xã đạt điểm số {first} (UBND xã Ngọc Kỳ); có 10 UBND xã đạt điểm số ở mức từ 80% "
        in text
    )
    names = report.AREA_BANDS[1][second]
    assert f"(UBND các xã {', '.join(names[:-1])} và {names[-1]})" in text
    last = "có 02 UBND xã, thị trấn đạt điểm số ở mức từ 60% đến dưới 70%"
    assert f"{last} (UBND xã Dân Chủ và UBND thị trấn {report.TOWNSHIP})" in text


def class_range(notation):
    """The report's ">70–<80%" as it writes it in words: "từ trên 70% - dưới 80%"."""
    low, high = notation.rstrip("%").split("–")
    low = f"từ trên {low[1:]}%" if low.startswith(">") else f"từ {low}%"
    high = f"dưới {high[1:]}%" if high.startswith("<") else f"đến {high}%"
    return f"{low} - {high}"


def test_classification_ranks_and_the_overdue_counts_that_disagree(text):
    for label, names in report.CLASSIFICATION.items():
        (line,) = [line for line in text.split("\n") if f"xếp loại ở mức {label}, gồm" in line]
        assert line.startswith(f"+ Có {two_digits(len(names))} UBND")
        assert f"đạt {class_range(report.CLASSIFICATION_PERCENT[label])} số điểm tối đa" in line
        assert names_in(line.split(", gồm ")[1].rstrip(".")) == list(names)
    assert f"(điểm tối đa là {printed(report.COMMUNE_MAX_POINTS)} điểm)" in text
    for name, rank in report.RANKS.items():
        previous = report.RANKS_2022[name]
        said = f"UBND xã {name} xếp thứ {rank} (cùng kỳ năm 2022 xếp thứ {previous}"
        if name in report.CLASSIFICATION_2022:
            said += f" và được đánh giá {report.CLASSIFICATION_2022[name]})"
        assert said in text
    assert f"theo phần mềm một cửa có {report.LATE_ON_SOFTWARE_TOTAL} hồ sơ giải quyết trễ hạn" in text
    for name, count in report.LATE_ON_SOFTWARE_BY_COMMUNE.items():
        assert f"{'thị trấn ' if name == report.TOWNSHIP else ''}{name} ({two_digits(count)})" in text


# Layout -----------------------------------------------------------------------------------------------------


def test_the_layout_follows_decree_30(report_docx):
    opened = docx.Document(io.BytesIO(report_docx))
    body, appendix = opened.sections
    # Word stores lengths in twentieths of a point: compare in whole millimetres.
    assert (round(body.page_width.mm), round(body.page_height.mm)) == (210, 297)
    assert 20 <= round(body.top_margin.mm) <= 25 and 20 <= round(body.bottom_margin.mm) <= 25
    assert 30 <= round(body.left_margin.mm) <= 35 and 15 <= round(body.right_margin.mm) <= 20
    assert appendix.orientation == WD_ORIENT.LANDSCAPE and round(appendix.page_width.mm) == 297
    normal = opened.styles["Normal"].font
    assert normal.name == "Times New Roman" and Pt(13) <= normal.size <= Pt(14)
    left, right = (cell.text.split("\n") for cell in opened.tables[0].rows[0].cells)
    assert left[:2] == ["ỦY BAN NHÂN DÂN", "HUYỆN TỨ KỲ"] and re.fullmatch(r"Số: +/BC-UBND", left[-1])
    assert right[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    date_line = opened.tables[0].rows[0].cells[1].paragraphs[-1]
    assert re.fullmatch(rf"Tứ Kỳ, ngày +tháng {TODAY.month} năm {TODAY.year}", date_line.text)
    assert all(run.italic for run in date_line.runs)
    texts = [paragraph.text for paragraph in opened.paragraphs]
    title = texts.index("BÁO CÁO")
    assert texts[title + 1].startswith("Sơ kết công tác Cải cách hành chính 6 tháng đầu năm 2023 và phương")
    headings = [t for t in texts if re.match(r"^(I|II|III)\. ", t)]
    assert [h.split(".")[0] for h in headings] == ["I", "II", "III"]
    assert [t.split(".")[0] for t in texts if re.match(r"^\d\. ", t)][:7] == [str(n) for n in range(1, 8)]
    closing = opened.tables[1].rows[0].cells
    assert closing[0].paragraphs[0].text == "Nơi nhận:" and "- Sở Nội vụ tỉnh Hải Dương;" in closing[0].text
    assert closing[1].text.startswith("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH")


def test_judgement_is_left_to_the_writer_as_highlighted_placeholders(report_docx):
    runs = [run for paragraph in paragraphs(report_docx) for run in paragraph.runs]
    marked = [run.text for run in runs if run.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    assert all(t.startswith("[Người soạn thảo") and t.endswith("]") for t in marked)
    asked = " ".join(marked)
    for subject in ("kết quả nổi bật", "nguyên nhân", "nhiệm vụ trọng tâm 6 tháng cuối năm 2023", "người ký"):
        assert subject in asked
    assert "cơ quan, đơn vị nhận khác" in asked and "trễ hạn" in asked
    # Every bracketed text is highlighted: no placeholder is left looking like finished text.
    assert sum(run.text.count("[Người soạn thảo") for run in runs) == len(marked)


def test_the_appendix_tables_hold_every_commune(report_docx):
    scores, dossiers = docx.Document(io.BytesIO(report_docx)).tables[2:]
    assert len(scores.rows) == 1 + report.COMMUNE_COUNT
    first = [cell.text for cell in scores.rows[1].cells]
    assert first[:2] == ["1", "Xã Phượng Kỳ"] and first[-4] == "Hoàn thành tốt nhiệm vụ"
    assert len(dossiers.rows) == 1 + 1 + report.COMMUNE_COUNT + 2
    whole = [cell.text for cell in dossiers.rows[-1].cells]
    assert whole[1] == "Toàn huyện" and whole[-1] == str(report.LATE_ON_SOFTWARE_TOTAL)
    assert whole[10] == printed(report.WHOLE_RATES["online"])


def test_unpublished_figures_stay_out_and_missing_figures_are_said(report_docx):
    PeriodReport.objects.filter(period__year=2023, unit__level="commune").update(
        status=PeriodReport.Status.DRAFT
    )
    totals.rebuild()  # written behind the services' back
    text = "\n".join(paragraph.text for paragraph in paragraphs(build()))
    assert "(2) Bộ phận Một cửa cấp xã: chưa có số liệu." in text
    assert "chưa có số liệu điểm số của UBND cấp xã" in text
    assert "chưa có số liệu hồ sơ TTHC của UBND các xã" in text
    assert " 0%" not in text and "0,00%" not in text and "23.664" not in text
    assert Unit.objects.get(code="298").name in text


def test_communes_that_did_not_report_are_not_said_to_have_no_fee_bearing_dossiers():
    """A partly reported period: one commune with figures, the other 22 have said nothing."""
    services.open_year(2099)
    stats(Unit.objects.get(code="11089"), Period.objects.get_by_code("2099-Q1"), received=40)
    written = "\n".join(paragraph.text for paragraph in paragraphs(build("2099-Q1")))
    payment = next(line for line in written.split("\n") if "thanh toán trực tuyến phí" in line)
    assert "1 xã chưa phát sinh hồ sơ có phí, lệ phí (UBND xã Ngọc Kỳ)" in payment
    assert "22 xã" in payment and "chưa báo cáo số liệu" in payment


def test_an_area_is_banded_by_its_exact_percentage_as_totals_are():
    """22,49 of 24,99 points is 89,996%: printed 90%, but below 90%, as a total's classification says."""
    exact = Decimal("22.49") * 100 / Decimal("24.99")
    assert SCORE_STEPS[_step(exact)] == 80
    assert SCORE_STEPS[_step(Decimal(90))] == 90
