"""Section II of the report, the general assessment: the figures that speak for themselves (strengths),
those that fall short (shortcomings) and the communes' classification; the judgement stays the writer's."""

from communes.models import UnitLevel
from indicators.rates import Metric

from .wording import (
    LEVEL_PLURAL,
    METRIC_PHRASES,
    change,
    check,
    collective,
    committee,
    committees,
    comparable_phrase,
    count,
    counted,
    decimal,
    field_list,
    kind_word,
    percent,
    period_phrase,
    text,
)

# II. Assessment ----------------------------------------------------------------------------------------


def strengths(content):
    blocks = []
    rates, since = content.rates, comparable_phrase(content)
    said = []
    for metric in (Metric.ON_TIME, Metric.ONLINE, Metric.INPUTS_DIGITIZED, Metric.RESULTS_DIGITIZED):
        row = rates.get(metric)
        if not row or row.whole is None:
            continue
        phrase = f"{METRIC_PHRASES[metric]} của toàn {kind_word(content.unit)} đạt {percent(row.whole)}"
        moved = change(row.change)
        if metric != Metric.ON_TIME and moved and since:
            phrase += f", {moved} so với {since}"
            if metric == Metric.ONLINE and content.previous:
                detail = [
                    f"{label} {change(now - before)}"
                    for label, now, before in (
                        ("cấp huyện", content.own.online_rate, content.previous.own.online_rate),
                        (
                            "cấp xã",
                            content.communes_total.online_rate,
                            content.previous.communes_total.online_rate,
                        ),
                    )
                    if now is not None and before is not None
                ]
                if detail:
                    phrase += f" (trong đó {', '.join(detail)})"
        said.append(phrase)
    if said:
        joined = "; ".join(said)
        blocks.append(text("- " + joined[:1].upper() + joined[1:] + "."))
    payment_row = rates.get(Metric.ONLINE_PAYMENT)
    if payment_row and payment_row.whole is not None:
        sentence = (
            f"- Có {percent(payment_row.whole)} hồ sơ TTHC có phí, lệ phí phát sinh được thanh toán "
            "trực tuyến"
        )
        if payment_row.own_target is not None:
            met = payment_row.whole_met
            goal = percent(payment_row.own_target)
            sentence += f", {'đạt' if met else 'chưa đạt'} chỉ tiêu giao của UBND tỉnh ({goal})"
        blocks.append(text(sentence + "."))
    blocks += [text(s) for s in average_comparisons(content, above=True)]
    score = content.own_score
    if score:
        how = "Theo kết quả thẩm định" if score.is_appraised else "Theo ước tính"
        sentence = (
            f"- {how}, điểm số về đánh giá việc thực hiện CCHC của {committee(content.unit)} "
            f"{period_phrase(content.period)} đạt được là {decimal(score.points)} điểm, đạt "
            f"{percent(score.percent)} (điểm tối đa là {decimal(score.max_points)} điểm)"
        )
        if score.band:
            sentence += f", {'' if score.is_appraised else 'dự kiến '}xếp loại ở mức {score.band.label}"
        blocks.append(text(sentence + "."))
    return blocks


def average_comparisons(content, above):
    """The district's and the communes' digitization against the province's average for their level."""
    sentences = []
    for level, totals, who in (
        (content.unit.level, content.own, committee(content.unit)),
        (UnitLevel.COMMUNE, content.communes_total, "cấp xã trên địa bàn"),
    ):
        for metric, mean in content.averages[level].items():
            value = totals.rate(metric)
            if value is None or (value >= mean) != above:
                continue
            gap = decimal(abs(value - mean))
            relation = (
                f"cao hơn {gap}%" if value > mean else ("bằng" if value == mean else f"thấp hơn {gap}%")
            )
            sentences.append(
                f"- {METRIC_PHRASES[metric][:1].upper()}{METRIC_PHRASES[metric][1:]} của {who} đạt "
                f"{percent(value)}, {relation} so với trung bình chung của {LEVEL_PLURAL[level]} trong "
                f"toàn tỉnh ({percent(mean)})."
            )
    return sentences


def shortcomings(content):
    blocks = [*ranking(content), *overdue(content)]
    blocks += [text(s) for s in average_comparisons(content, above=False)]
    for metric in (Metric.ON_TIME, Metric.ONLINE, Metric.INPUTS_DIGITIZED, Metric.RESULTS_DIGITIZED):
        row = content.rates.get(metric)
        if not row:
            continue
        missed = [
            f"{label} đạt {percent(getattr(row, key))} (chỉ tiêu {percent(getattr(row, target))})"
            for label, key, target, met in (
                ("cấp huyện", "own", "own_target", "own_met"),
                ("cấp xã", "communes", "communes_target", "communes_met"),
            )
            if getattr(row, met) is False
        ]
        if missed:
            blocks.append(
                text(
                    f"- Về {METRIC_PHRASES[metric]}: {', '.join(missed)}, chưa đạt chỉ tiêu giao của "
                    "UBND tỉnh."
                )
            )
    return blocks


# The communes named as falling behind: the last three, and those that lost this many places or more (a
# one-place move is noise between close scores); the appendix shows every rank and change.
BOTTOM = 3
NOTABLE_FALL = 2


def ranking(content):
    ranked = content.ranked
    if not ranked:
        return []
    since = comparable_phrase(content)

    def placed(line):
        said = f"{committee(line.unit)} xếp thứ {line.rank}"
        if line.previous_rank and since:
            said += f" ({since} xếp thứ {line.previous_rank}"
            band = line.score.band if line.score else None
            if line.previous_band and (band is None or band.label != line.previous_band.label):
                said += f" và được đánh giá {line.previous_band.label}"
            said += ")"
        return said

    estimate = "kết quả thẩm định" if content.scores_appraised else "ước tính"
    bottom = list(reversed(ranked[-BOTTOM:]))
    blocks = [
        text(
            f"- Theo {estimate} số điểm đánh giá kết quả thực hiện CCHC của UBND cấp xã "
            f"{period_phrase(content.period)}, các đơn vị xếp hạng thấp nhất trong {count(len(ranked))} "
            f"đơn vị: {', '.join(placed(line) for line in bottom)} (chi tiết tại Phụ lục 01)."
        )
    ]
    fell = sorted(
        (line for line in ranked if (line.rank_change or 0) <= -NOTABLE_FALL and line not in bottom),
        key=lambda line: line.rank_change,
    )
    if fell and since:
        blocks.append(
            text(
                f"- Các đơn vị giảm từ {count(NOTABLE_FALL)} bậc trở lên so với {since}: "
                f"{', '.join(placed(line) for line in fell)}."
            )
        )
    return blocks


def overdue(content):
    own, communes = content.own, content.communes
    total = own.resolved_overdue + content.communes_total.resolved_overdue
    if not (own.has_data or content.communes_total.has_data):
        return []
    if not total:
        blocks = [
            text("- Bộ phận Một cửa cấp huyện, cấp xã không để phát sinh hồ sơ TTHC giải quyết quá hạn.")
        ]
    else:
        where = []
        if own.resolved_overdue:
            where.append(
                f"cấp huyện {count(own.resolved_overdue)} hồ sơ (lĩnh vực "
                f"{field_list(content.own_fields, 'resolved_overdue')})"
            )
        late_communes = [
            (c.unit, c.dossiers.resolved_overdue) for c in communes if c.dossiers.resolved_overdue
        ]
        if late_communes:
            where.append(f"tại các xã: {counted(late_communes)}")
        blocks = [
            text(
                f"- Tại Bộ phận Một cửa cấp huyện, cấp xã còn để phát sinh {count(total)} hồ sơ TTHC giải "
                f"quyết quá hạn: {'; '.join(where)}."
            )
        ]
    disagreements = content.late_disagreements()
    if disagreements:
        own_late = content.own_late_on_software or 0
        late = [(c.unit, c.late_on_software) for c in communes if c.late_on_software]
        late_total = content.whole.late_on_software or 0
        listed_late = ([f"cấp huyện {count(own_late)}"] if own_late else []) + (
            [f"tại các xã: {counted(late)}"] if late else []
        )
        differences = "; ".join(
            f"{committee(unit)}: {count(late_count)} theo phần mềm, {count(stated)} theo số liệu thống kê"
            for unit, late_count, stated in disagreements
        )
        blocks.append(
            text(
                check(
                    f"theo phần mềm một cửa có {count(late_total)} hồ sơ giải quyết trễ hạn"
                    + (f": {'; '.join(listed_late)}" if listed_late else "")
                    + f". Số liệu thống kê ghi {count(total)} hồ sơ giải quyết quá hạn. Chênh lệch ở: "
                    f"{differences}. Đề nghị thống nhất số liệu trước khi ban hành"
                )
            )
        )
    return blocks


def classification(content):
    if not content.classes:
        return []
    estimate = "kết quả thẩm định" if content.scores_appraised else "ước tính"
    maximum = content.commune_max_points
    blocks = [
        text(
            f"- Theo {estimate} điểm số đánh giá việc thực hiện CCHC của UBND các xã, thị trấn "
            f"{period_phrase(content.period)}"
            + (f" (điểm tối đa là {decimal(maximum)} điểm)" if maximum else "")
            + ":"
        )
    ]
    expected = "" if content.scores_appraised else "dự kiến "
    for group in content.classes:
        units = [line.unit for line in group.members]
        blocks.append(
            text(
                f"+ Có {count(len(units))} {collective(units)} đạt {band_range(group)} số điểm tối đa, "
                f"{expected}xếp loại ở mức {group.band.label}, gồm {committees(units)}."
            )
        )
    return blocks


def band_range(group):
    band, upper = group.band, group.upper
    lower = f"{'từ' if band.min_inclusive else 'từ trên'} {decimal(band.min_percent)}%"
    if upper is None:
        return f"{lower} trở lên"
    top = f"{'dưới' if upper.min_inclusive else 'đến'} {decimal(upper.min_percent)}%"
    if not band.min_percent and band.min_inclusive:
        return top
    return f"{lower} - {top}"
