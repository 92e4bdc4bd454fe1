"""The report's body, section by section, as Blocks of wording.py: figures where the data has them,
placeholders where only the writer can judge."""

from communes.models import UnitLevel
from indicators.rates import Metric

from .assessment import classification, shortcomings, strengths
from .content import ONE_STOP_AREA
from .wording import (
    LEVEL_PLURAL,
    NO_FIGURE,
    Block,
    ask,
    check,
    collective,
    committee,
    committees,
    count,
    counted,
    decimal,
    field_list,
    fields_with,
    fraction,
    join_and,
    kind_word,
    kinds,
    lower_first,
    next_phrase,
    number,
    percent,
    period_phrase,
    review_word,
    text,
)


def body(content):
    period, unit = content.period, content.unit
    phrase, upcoming = period_phrase(period), next_phrase(period)
    blocks = [
        text(
            ask("căn cứ, kế hoạch số … ngày … của … về việc báo cáo công tác CCHC"),
            f"; UBND {kind_word(unit)} {unit.name} báo cáo {lower_first(review_word(period))} công tác Cải "
            f"cách hành chính (CCHC) {phrase} và phương hướng, nhiệm vụ CCHC {upcoming}, cụ thể như sau:",
        ),
        *missing_data(content),
        Block("heading1", [f"I. KẾT QUẢ THỰC HIỆN CÔNG TÁC CCHC {phrase.upper()}"]),
    ]
    for result in content.areas:
        area = result.area
        blocks.append(Block("heading2", [f"{area.number}. {area.name}"]))
        blocks.append(text(ask(f"kết quả thực hiện đối với cấp huyện và cấp xã trong lĩnh vực {area.name}")))
        if area.number == ONE_STOP_AREA:
            blocks += one_stop(content)
        blocks.append(text(area_scores(result)))
    blocks += [
        Block("heading1", ["II. ĐÁNH GIÁ CHUNG"]),
        Block("heading2", ["1. Mặt tích cực"]),
        *strengths(content),
        text(ask("đánh giá những kết quả nổi bật, điểm mới trong chỉ đạo, điều hành")),
        Block("heading2", ["2. Những tồn tại, hạn chế"]),
        *shortcomings(content),
        text(ask("những tồn tại, hạn chế khác trong từng lĩnh vực")),
        *classification(content),
        Block("heading2", ["3. Nguyên nhân của tồn tại, hạn chế"]),
        text(ask("nguyên nhân chủ quan và khách quan")),
        Block("heading1", [f"III. PHƯƠNG HƯỚNG, NHIỆM VỤ TRỌNG TÂM CCHC {upcoming.upper()}"]),
    ]
    for result in content.areas:
        blocks.append(Block("heading2", [f"{result.area.number}. {result.area.name}"]))
        blocks.append(text(ask(f"nhiệm vụ trọng tâm {upcoming} trong lĩnh vực {result.area.name}")))
    blocks.append(
        text(
            f"Trên đây là Báo cáo {lower_first(review_word(period))} công tác Cải cách hành chính {phrase} "
            f"và phương hướng, nhiệm vụ Cải cách hành chính {upcoming} của Ủy ban nhân dân {kind_word(unit)} "
            f"{unit.name}./."
        )
    )
    return blocks


def missing_data(content):
    without_dossiers = [line.unit for line in content.communes if not line.dossiers.has_data]
    without_scores = [line.unit for line in content.communes if not line.score]
    parts = []
    submitted = content.submitted
    if submitted["count"] < submitted["total"]:
        parts.append(f"mới có {submitted['count']}/{submitted['total']} xã, thị trấn gửi báo cáo kỳ này")
    if without_dossiers:
        parts.append(f"chưa có số liệu hồ sơ TTHC của {committees(without_dossiers)}")
    if without_scores:
        parts.append(f"chưa có điểm số của {committees(without_scores)}")
    if not parts:
        return []
    return [
        text(
            check(
                "; ".join(parts) + ". Dự thảo chỉ tính số liệu của các báo cáo đã gửi hoặc đã được phê duyệt"
            )
        )
    ]


# I. Results --------------------------------------------------------------------------------------------


def area_scores(result):
    kind = "kết quả chấm điểm" if result.appraised else "ước chấm điểm"
    opening = f"* Về {kind} chỉ số CCHC trong lĩnh vực {lower_first(result.area.name)}: "
    if not result.steps:
        return opening + "chưa có số liệu điểm số của UBND cấp xã."
    sentences = []
    for step in result.steps:
        units = [unit for unit, _percent in step.members]
        if len(units) == 1:
            unit, value = step.members[0]
            sentences.append(f"có 01 {collective(units)} đạt điểm số {percent(value)} ({committee(unit)})")
        else:
            sentences.append(
                f"có {count(len(units))} {collective(units)} đạt điểm số ở mức {step_range(step)} "
                f"({committees(units)})"
            )
    joined = "; ".join(sentences)
    return opening + joined[:1].upper() + joined[1:] + "."


def step_range(step):
    if step.upper is None:
        return f"từ {decimal(step.lower)}% - 100%"
    if not step.lower:
        return f"dưới {decimal(step.upper)}%"
    return f"từ {decimal(step.lower)}% đến dưới {decimal(step.upper)}%"


def dossiers(totals, fields=(), overdue_where=""):
    """The one-stop shop's dossiers as the report counts them; `fields` name where the few fell."""
    if not totals.has_data:
        return NO_FIGURE + "."

    def where(name):
        named = field_list(fields, name) if fields else ""
        return f" thuộc lĩnh vực: {named}" if named else ""

    said = [
        f"Tiếp nhận {number(totals.handled)} hồ sơ. Trong đó, kỳ trước chuyển sang giải quyết: "
        f"{number(totals.carried_over)} hồ sơ, tiếp nhận trong kỳ: {number(totals.received)} hồ sơ"
    ]
    if totals.resolved:
        said.append(
            f"đã giải quyết trả trước và đúng hạn {fraction(totals.resolved_on_time, totals.resolved)} hồ sơ "
            f"đạt tỷ lệ {percent(totals.on_time_rate)}"
        )
    else:
        said.append("chưa có hồ sơ được giải quyết")
    if totals.resolved_overdue:
        said.append(
            f"{count(totals.resolved_overdue)} hồ sơ giải quyết quá hạn (chiếm tỷ lệ "
            f"{percent(totals.overdue_rate)}){overdue_where or where('resolved_overdue')}"
        )
    elif totals.resolved:
        said.append("không có hồ sơ giải quyết quá hạn")
    for name, words in (
        ("pending", "hồ sơ đang trong thời hạn giải quyết"),
        ("paused", "hồ sơ đang tạm dừng"),
        ("returned", "hồ sơ trả lại"),
        ("cancelled", "hồ sơ đã hủy"),
    ):
        value = getattr(totals, name)
        if value:
            said.append(f"{count(value)} {words}{where(name) if name in ('returned', 'cancelled') else ''}")
    return "; ".join(said) + "."


def online(totals, fields, field_count):
    opening = "Hồ sơ tiếp nhận, giải quyết trực tuyến toàn trình và một phần: "
    if not totals.online_eligible:
        return opening + "chưa phát sinh hồ sơ thuộc diện xử lý trực tuyến."
    said = (
        f"{opening}Số lượng hồ sơ tiếp nhận, giải quyết là {number(totals.online)} hồ sơ/"
        f"{number(totals.online_eligible)} hồ sơ quy định xử lý trực tuyến "
        f"(đạt tỷ lệ {percent(totals.online_rate)})."
    )
    arisen = fields_with(fields, "online_eligible")
    said += " Phát sinh ở các lĩnh vực: " + "; ".join(
        f"{line.field.name}: {fraction(line.totals.online, line.totals.online_eligible)} hồ sơ "
        f"(tỷ lệ {percent(line.totals.online_rate)})"
        for line in arisen
    )
    said += "."
    if len(arisen) < field_count:
        said += " Các lĩnh vực còn lại chưa phát sinh hồ sơ."
    return said


def digitization(totals, level, averages):
    said = []
    for metric, words, part, whole in (
        (Metric.INPUTS_DIGITIZED, "số hóa đầy đủ thành phần hồ sơ (đầu vào)", "inputs_digitized", "inputs"),
        (Metric.RESULTS_DIGITIZED, "số hóa kết quả giải quyết (đầu ra)", "results_digitized", "results"),
    ):
        whole_count = getattr(totals, whole)
        figure = (
            f"{fraction(getattr(totals, part), whole_count)} đạt tỷ lệ {percent(totals.rate(metric))}"
            if whole_count
            else NO_FIGURE
        )
        said.append(f"{words}: {figure}")
    sentence = "Kết quả " + "; ".join(said)
    known = [(m, averages[m]) for m in (Metric.INPUTS_DIGITIZED, Metric.RESULTS_DIGITIZED) if m in averages]
    if known:
        means = ", ".join(
            f"{'đầu vào' if m == Metric.INPUTS_DIGITIZED else 'đầu ra'} {percent(v)}" for m, v in known
        )
        sentence += f" (trung bình chung của {LEVEL_PLURAL[level]} trong toàn tỉnh: {means})"
    return sentence + "."


def one_stop(content):
    own_level, commune_level = content.unit.level, UnitLevel.COMMUNE
    overdue_communes = [
        (c.unit, c.dossiers.resolved_overdue) for c in content.communes if c.dossiers.resolved_overdue
    ]
    blocks = [
        text("- Kết quả thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết TTHC:"),
        text("+ Tổng hợp, cập nhật kết quả giải quyết hồ sơ TTHC"),
        text("(1) Bộ phận Một cửa cấp huyện: " + dossiers(content.own, fields=content.own_fields)),
        text(online(content.own, content.own_fields, content.field_count)),
        text(
            "(2) Bộ phận Một cửa cấp xã: "
            + dossiers(
                content.communes_total,
                overdue_where=f" ở các xã: {counted(overdue_communes)}" if overdue_communes else "",
            )
        ),
        text(online(content.communes_total, content.commune_fields, content.field_count)),
        text("+ Về thực hiện số hoá hồ sơ, giấy tờ, kết quả giải quyết TTHC:"),
        text(
            "(1) Bộ phận Một cửa cấp huyện: "
            + digitization(content.own, own_level, content.averages[own_level])
        ),
        text(
            "(2) Bộ phận Một cửa cấp xã: "
            + digitization(content.communes_total, commune_level, content.averages[commune_level])
        ),
    ]
    leaders = standouts(content)
    if leaders:
        blocks.append(text(leaders))
    blocks.append(text(payment(content)))
    return blocks


def standouts(content):
    said = []
    fully_online = [
        c.unit for c in content.communes if c.dossiers.online_eligible and c.dossiers.online_rate == 100
    ]
    if fully_online:
        said.append(
            "Một số xã làm tốt trong việc giải quyết TTHC qua dịch vụ công trực tuyến, đạt 100% tỷ lệ hồ sơ "
            f"giải quyết trực tuyến: {committees(fully_online)}"
        )
    average = content.averages[UnitLevel.COMMUNE].get(Metric.INPUTS_DIGITIZED)
    if average is not None:
        above = sorted(
            (c for c in content.communes if (c.dossiers.inputs_digitized_rate or 0) >= average),
            key=lambda c: -c.dossiers.inputs_digitized_rate,
        )
        if above:
            said.append(
                "một số địa phương có tỷ lệ số hoá đầy đủ thành phần hồ sơ TTHC từ mức trung bình chung của "
                f"cấp xã trong toàn tỉnh ({percent(average)}) trở lên: "
                + ", ".join(
                    f"{committee(c.unit)} (số hoá đầy đủ thành phần hồ sơ là "
                    f"{percent(c.dossiers.inputs_digitized_rate)}, số hoá kết quả giải quyết là "
                    f"{percent(c.dossiers.results_digitized_rate)})"
                    for c in above
                )
            )
    if not said:
        return None
    joined = "; ".join(said)
    return joined[:1].upper() + joined[1:] + "."


def payment(content):
    rate = content.rates.get(Metric.ONLINE_PAYMENT)
    own, target = content.own, rate and rate.own_target
    if own.fee_bearing:
        paid = fraction(own.paid_online, own.fee_bearing)
        said = f"Ở cấp huyện đạt {percent(own.online_payment_rate)} ({paid} hồ sơ)"
        if target is not None:
            verdict = "đạt" if rate.own_met else "chưa đạt"
            said += f", {verdict} chỉ tiêu do UBND tỉnh giao ({percent(target)})"
    else:
        said = "Ở cấp huyện chưa phát sinh hồ sơ có phí, lệ phí"
    commune_target = rate and rate.communes_target
    if commune_target is None:
        said += f"; cấp xã đạt {percent(content.communes_total.online_payment_rate)}"
    else:
        groups = {}
        for line in content.communes:
            groups.setdefault(line.payment, []).append(line.unit)
        parts = [
            f"{count(len(groups[status]))} {kinds(groups[status])} {words} ({committees(groups[status])})"
            for status, words in (
                ("met", "đạt chỉ tiêu"),
                ("missed", "chưa đạt chỉ tiêu"),
                ("not_started", "chưa thực hiện thanh toán trực tuyến"),
                ("no_fee_bearing", "chưa phát sinh hồ sơ có phí, lệ phí"),
                ("no_data", "chưa báo cáo số liệu"),
            )
            if groups.get(status)
        ]
        if parts:
            said += f"; đối với cấp xã (chỉ tiêu {percent(commune_target)}): có {join_and(parts)}"
    return f"+ Về thanh toán trực tuyến phí, lệ phí: {said}."
