"""The appendix tables: scores by commune and area, dossier statistics by commune (texts only)."""

from dataclasses import dataclass

from indicators.formatting import NO_DATA

from .wording import decimal, kind_word, number, period_phrase, unit_title


@dataclass
class Appendix:
    title: str
    headers: list
    widths: list  # centimetres
    rows: list  # lists of cell texts
    text_columns: tuple = (1,)  # left-aligned; the others hold figures
    total_rows: int = 0  # the last rows are totals, set in bold


def _value(value):
    return NO_DATA if value is None else decimal(value)


def scores(content):
    since = f"cùng kỳ năm {content.comparable.year}" if content.comparable else "cùng kỳ"
    areas = [result.area for result in content.areas]
    maximum = f" (tối đa {decimal(content.commune_max_points)} điểm)" if content.commune_max_points else ""
    headers = [
        "STT",
        "Đơn vị",
        *[f"{area.number}. {area.short_name} (%)" for area in areas],
        f"Tổng điểm{maximum}",
        "Tỷ lệ (%)",
        "Xếp loại",
        "Xếp hạng",
        f"Xếp hạng {since}",
        "Tăng (+), giảm (−) bậc",
    ]
    lines = content.ranked + [line for line in content.communes if not line.rank]
    rows = []
    for position, line in enumerate(lines, start=1):
        score = line.score
        moved = line.rank_change
        rows.append(
            [
                str(position),
                unit_title(line.unit),
                *[_value(line.areas.get(area.number)) for area in areas],
                _value(score.points) if score else NO_DATA,
                _value(score.percent) if score else NO_DATA,
                score.band.label if score and score.band else NO_DATA,
                str(line.rank) if line.rank else NO_DATA,
                str(line.previous_rank) if line.previous_rank else NO_DATA,
                NO_DATA if moved is None else (f"+{moved}" if moved > 0 else f"−{-moved}" if moved else "0"),
            ]
        )
    return Appendix(
        f"KẾT QUẢ CHẤM ĐIỂM CHỈ SỐ CCHC CỦA UBND CÁC XÃ, THỊ TRẤN {period_phrase(content.period).upper()}",
        headers,
        [1.2, 3.2, *[1.4] * len(areas), 1.7, 1.5, 3.9, 1.2, 1.4, 1.3],
        rows,
        text_columns=(1, 11),
    )


def _dossier_row(label, totals, late):
    if not totals.has_data:
        return [label, *[NO_DATA] * 12, NO_DATA if late is None else number(late)]
    return [
        label,
        number(totals.handled),
        number(totals.carried_over),
        number(totals.received),
        number(totals.resolved),
        number(totals.resolved_on_time),
        number(totals.resolved_overdue),
        _value(totals.on_time_rate),
        f"{number(totals.online)}/{number(totals.online_eligible)}",
        _value(totals.online_rate),
        _value(totals.inputs_digitized_rate),
        _value(totals.results_digitized_rate),
        _value(totals.online_payment_rate),
        NO_DATA if late is None else number(late),
    ]


def dossiers(content):
    own_late = content.own_late_on_software
    rows = [[""] + _dossier_row(f"Bộ phận Một cửa cấp {kind_word(content.unit)}", content.own, own_late)]
    for position, line in enumerate(content.communes, start=1):
        rows.append(
            [str(position)] + _dossier_row(unit_title(line.unit), line.dossiers, line.late_on_software)
        )
    communes_total, whole = content.communes_total, content.whole
    rows.append([""] + _dossier_row("Cộng cấp xã", communes_total, communes_total.late_on_software))
    rows.append([""] + _dossier_row(f"Toàn {kind_word(content.unit)}", whole, whole.late_on_software))
    headers = [
        "STT",
        "Đơn vị",
        "Tổng số hồ sơ",
        "Kỳ trước chuyển sang",
        "Tiếp nhận trong kỳ",
        "Đã giải quyết",
        "Trước và đúng hạn",
        "Quá hạn",
        "Tỷ lệ đúng hạn (%)",
        "Trực tuyến / thuộc diện trực tuyến",
        "Tỷ lệ trực tuyến (%)",
        "Số hoá thành phần hồ sơ (%)",
        "Số hoá kết quả (%)",
        "Thanh toán trực tuyến (%)",
        "Trễ hạn theo phần mềm",
    ]
    return Appendix(
        f"SỐ LIỆU GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH {period_phrase(content.period).upper()}",
        headers,
        [1.2, 3.3, 1.5, 1.6, 1.55, 1.55, 1.55, 1.3, 1.45, 2.65, 1.45, 1.45, 1.45, 1.5, 1.45],
        rows,
        total_rows=2,
    )
