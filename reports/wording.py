"""The report's sentences, written from content.py's figures the way the district's report writes them.

These are the document's content in the official language (Vietnamese), not interface text. What only the
writer can say (assessments, causes, priorities) is a Placeholder, which the document highlights.
"""

from dataclasses import dataclass

from communes.models import UnitKind, UnitLevel
from indicators.formatting import format_number
from indicators.rates import Metric

NO_FIGURE = "chưa có số liệu"


class Placeholder(str):
    """Text the writer must write or check before the report is issued; highlighted in the document."""


def ask(what):
    return Placeholder(f"[Người soạn thảo bổ sung: {what}]")


def check(what):
    return Placeholder(f"[Người soạn thảo kiểm tra: {what}]")


@dataclass
class Block:
    kind: str  # "heading1" (I.), "heading2" (1.), "text"
    parts: list  # str and Placeholder


def text(*parts):
    return Block("text", list(parts))


KIND_WORDS = {
    UnitKind.PROVINCE: "tỉnh",
    UnitKind.CITY: "thành phố",
    UnitKind.DISTRICT: "huyện",
    UnitKind.TOWN: "thị xã",
    UnitKind.URBAN_DISTRICT: "quận",
    UnitKind.COMMUNE: "xã",
    UnitKind.WARD: "phường",
    UnitKind.TOWNSHIP: "thị trấn",
    UnitKind.SPECIAL_ZONE: "đặc khu",
}
KIND_ORDER = [UnitKind.COMMUNE, UnitKind.WARD, UnitKind.TOWNSHIP, UnitKind.SPECIAL_ZONE]
# Who a province average is the average of: "trung bình chung của UBND cấp huyện trong toàn tỉnh".
LEVEL_PLURAL = {UnitLevel.DISTRICT: "UBND cấp huyện", UnitLevel.COMMUNE: "cấp xã"}
METRIC_PHRASES = {
    Metric.ON_TIME: "tỷ lệ hồ sơ được giải quyết trước và đúng hạn",
    Metric.ONLINE: "tỷ lệ hồ sơ tiếp nhận, giải quyết trực tuyến toàn trình và một phần",
    Metric.INPUTS_DIGITIZED: "tỷ lệ số hoá đầy đủ thành phần hồ sơ TTHC",
    Metric.RESULTS_DIGITIZED: "tỷ lệ số hoá kết quả giải quyết TTHC",
    Metric.ONLINE_PAYMENT: "tỷ lệ hồ sơ TTHC có phí, lệ phí được thanh toán trực tuyến",
}
ROMAN = ["I", "II", "III", "IV", "V"]


# Numbers -----------------------------------------------------------------------------------------------


def number(value):
    return format_number(value)


def count(value):
    """A count as the report writes it: two digits below ten (01, 09), grouped above (1.698)."""
    return f"{value:02d}" if 0 < value < 10 else format_number(value)


def decimal(value):
    """62,12 · 72,5 · 100: two places at most, no trailing zeros."""
    shown = format_number(value, 2)
    return shown.rstrip("0").rstrip(",") if "," in shown else shown


def percent(value):
    """98,2% as the report prints it; no rate (nothing to divide by) is said, never printed as 0%."""
    return NO_FIGURE if value is None else f"{decimal(value)}%"


def fraction(part, whole):
    return f"{number(part)}/{number(whole)}"


def change(value):
    if value is None:
        return None
    if value == 0:
        return "không thay đổi"
    return f"{'tăng' if value > 0 else 'giảm'} {decimal(abs(value))}%"


def fields_with(lines, name):
    """The procedure fields (content.FieldLine) in which a count is not zero."""
    return [line for line in lines if getattr(line.totals, name)]


def field_list(lines, name):
    """Tài nguyên - Môi trường (đất đai) · Tư pháp (02), Lao động (01): where a count falls."""
    named = fields_with(lines, name)
    if len(named) == 1:
        return named[0].field.name
    return ", ".join(f"{line.field.name} ({count(getattr(line.totals, name))})" for line in named)


# Units -------------------------------------------------------------------------------------------------


def kind_word(unit):
    return KIND_WORDS.get(unit.kind, unit.get_kind_display().lower())


def unit_name(unit):
    return f"{kind_word(unit)} {unit.name}"


def unit_title(unit):
    """Xã Ngọc Kỳ: the unit's name at the start of a line or a table cell."""
    name = unit_name(unit)
    return name[:1].upper() + name[1:]


def committee(unit):
    return f"UBND {unit_name(unit)}"


def join_and(items):
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} và {items[-1]}"


def _by_kind(units):
    groups = {}
    for unit in units:
        groups.setdefault(unit.kind, []).append(unit)
    order = {kind: position for position, kind in enumerate(KIND_ORDER)}
    return sorted(groups.items(), key=lambda item: order.get(item[0], len(order)))


def committees(units):
    """UBND xã Ngọc Kỳ · UBND các xã A, B và C · UBND các xã A, B và UBND thị trấn C."""
    groups = _by_kind(units)
    parts = []
    for _kind, members in groups:
        names = [unit.name for unit in members]
        if len(members) == 1:
            parts.append(committee(members[0]))
        else:
            listed = join_and(names) if len(groups) == 1 else ", ".join(names)
            parts.append(f"UBND các {kind_word(members[0])} {listed}")
    return join_and(parts)


def kinds(units):
    """xã · xã, thị trấn: the kinds of the units counted."""
    return ", ".join(kind_word(members[0]) for _kind, members in _by_kind(units))


def collective(units):
    return f"UBND {kinds(units)}"


def listed(unit):
    """A commune as the report lists it after "ở các xã:": the bare name, other kinds named."""
    return unit.name if unit.kind == UnitKind.COMMUNE else unit_name(unit)


def counted(pairs):
    """Hà Kỳ (04), Tái Sơn (01), thị trấn Tứ Kỳ (01)."""
    return ", ".join(f"{listed(unit)} ({count(value)})" for unit, value in pairs)


# Periods -----------------------------------------------------------------------------------------------


def period_phrase(period):
    kind, year, n = period.kind, period.year, period.number
    if kind == "Q":
        return f"Quý {ROMAN[n - 1]} năm {year}"
    if kind == "H":
        return f"6 tháng {'đầu' if n == 1 else 'cuối'} năm {year}"
    if kind == "9M":
        return f"9 tháng đầu năm {year}"
    return f"năm {year}"


def next_phrase(period):
    kind, year, n = period.kind, period.year, period.number
    if kind == "Q":
        return f"Quý {ROMAN[n]} năm {year}" if n < 4 else f"Quý I năm {year + 1}"
    if kind == "H":
        return f"6 tháng cuối năm {year}" if n == 1 else f"6 tháng đầu năm {year + 1}"
    if kind == "9M":
        return f"Quý IV năm {year}"
    return f"năm {year + 1}"


def review_word(period):
    return {"Q": "Kết quả", "Y": "Tổng kết"}.get(period.kind, "Sơ kết")


def subject(period):
    return (
        f"{review_word(period)} công tác Cải cách hành chính {period_phrase(period)} và phương hướng, "
        f"nhiệm vụ Cải cách hành chính {next_phrase(period)}"
    )


def comparable_phrase(content):
    return f"cùng kỳ năm {content.comparable.year}" if content.comparable else None


def lower_first(phrase):
    return phrase[:1].lower() + phrase[1:]


# Header and closing ------------------------------------------------------------------------------------


def issuer_lines(unit):
    return ["ỦY BAN NHÂN DÂN", f"{kind_word(unit)} {unit.name}".upper()]


def number_line():
    return "Số:          /BC-UBND"


def place_and_date(unit, today):
    # Decree 30: days below 10 and the months January and February take a leading zero.
    month = f"{today.month:02d}" if today.month < 3 else str(today.month)
    return f"{unit.name}, ngày       tháng {month} năm {today.year}"


def recipients(unit):
    """The "Nơi nhận" lines, each a list of parts: the obvious ones, and a placeholder for the rest."""
    parent = unit.parent
    return [
        [f"- Sở Nội vụ {unit_name(parent)};" if parent else "- Bộ Nội vụ;"],
        ["- ", ask("các cơ quan, đơn vị nhận khác"), ";"],
        [f"- Phòng Nội vụ {kind_word(unit)};"],
        ["- Lưu: VT, NV."],
    ]


def signature():
    return ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], ask("họ và tên người ký")


def appendix_reference(unit, today):
    blank = " " * 7
    issuer = f"UBND {unit_name(unit)}"
    return f"(Kèm theo Báo cáo số{blank}/BC-UBND ngày{blank}tháng{blank}năm {today.year} của {issuer})"
