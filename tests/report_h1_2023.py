"""What the H1-2023 report of Tứ Kỳ district states, as plain data.

Transcribed from the report ("Sơ kết công tác Cải cách hành chính 6 tháng đầu năm 2023 …", UBND huyện Tứ Kỳ,
July 2023: fixtures/README.md), never computed from the fixtures: the tests compute each figure from the
stored raw counts and compare it with these. Rates are the figures as the report prints them (2 decimals
at most, rounded half-up); Decimal("98.2") == Decimal("98.20"), so "98,2%" needs no trailing zero.

Communes are named as the report names them. "Tứ Kỳ" on its own is the township (thị trấn Tứ Kỳ), the
commune-level unit; the district (huyện Tứ Kỳ) is identified by its code.
"""

from decimal import Decimal as D

PERIOD = "2023-H1"
PREVIOUS_PERIOD = "2022-H1"  # "cùng kỳ năm 2022": the demo data puts the 2022 figures on this period

DISTRICT_CODE = "298"
TOWNSHIP = "Tứ Kỳ"  # thị trấn Tứ Kỳ: the only commune-level unit of kind thi_tran

# The 23 commune-level units (22 xã + 1 thị trấn), in the order of the report's two classification lists.
COMMUNES = (
    "Phượng Kỳ",
    "Ngọc Kỳ",
    "Quang Trung",
    "Chí Minh",
    "Quang Khải",
    "An Thanh",
    "Tái Sơn",
    "Đại Hợp",
    "Đại Sơn",
    "Hưng Đạo",
    "Tân Kỳ",
    "Minh Đức",
    "Nguyên Giáp",
    "Hà Thanh",
    "Quảng Nghiệp",
    "Hà Kỳ",
    "Quang Phục",
    "Cộng Lạc",
    "Bình Lãng",
    "Văn Tố",
    "Dân Chủ",
    "Tiên Động",
    TOWNSHIP,
)
COMMUNE_COUNT = 23

# ---------------------------------------------------------------------------------------------------------
# One-stop shop (Bộ phận Một cửa), section I.3.
# ---------------------------------------------------------------------------------------------------------

# District level (cấp huyện): "Tiếp nhận 1.698 hồ sơ. Trong đó, kỳ trước chuyển sang 28, tiếp nhận trong kỳ
# 1.670; đã giải quyết trả trước và đúng hạn 1.641/1.642 (99,94%); 01 hồ sơ lĩnh vực đất đai giải quyết quá
# hạn (0,06%); 37 hồ sơ đang trong thời hạn giải quyết; 18 hồ sơ trả lại; 01 hồ sơ đã hủy thuộc lĩnh vực đất
# đai." The report names no paused dossier at district level: 28 + 1.670 = 1.641 + 1 + 37 + 18 + 1 leaves 0.
DISTRICT_COUNTS = {
    "handled": 1698,
    "carried_over": 28,
    "received": 1670,
    "resolved": 1642,
    "resolved_on_time": 1641,
    "resolved_overdue": 1,
    "pending": 37,
    "paused": 0,
    "returned": 18,
    "cancelled": 1,
    # "1.666 hồ sơ/1.670 hồ sơ quy định xử lý trực tuyến"
    "online": 1666,
    "online_eligible": 1670,
    # "số hóa đầy đủ thành phần hồ sơ (đầu vào): 1.640/1.670; số hóa kết quả (đầu ra): 1.635/1.665"
    "inputs_digitized": 1640,
    "inputs": 1670,
    "results_digitized": 1635,
    "results": 1665,
}
DISTRICT_RATES = {
    "on_time": D("99.94"),
    "overdue": D("0.06"),
    "online": D("99.76"),
    "inputs_digitized": D("98.23"),  # misprint: 1.640/1.670 is 98,20% (see MISPRINTS)
    "results_digitized": D("98.2"),
    "online_payment": D("25.6"),  # section II.2.3, 1/4-30/6/2023
}
# The field in which the district's one overdue and one cancelled dossier fall ("lĩnh vực đất đai").
DISTRICT_OVERDUE_FIELD = "tai-nguyen"
DISTRICT_CANCELLED_FIELD = "tai-nguyen"

# District online dossiers per procedure field, (online, eligible);
# "Các lĩnh vực còn lại chưa phát sinh hồ sơ".
DISTRICT_ONLINE_BY_FIELD = {
    "tai-chinh": (462, 462),
    "noi-vu": (124, 124),
    "tu-phap": (523, 523),
    "tai-nguyen": (496, 496),
    "kinh-te": (49, 53),
    "lao-dong": (2, 2),
    "van-hoa": (10, 10),
}
DISTRICT_ONLINE_RATE_BY_FIELD = {
    "tai-chinh": D("100"),
    "noi-vu": D("100"),
    "tu-phap": D("100"),
    "tai-nguyen": D("100"),
    "kinh-te": D("92.45"),
    "lao-dong": D("100"),
    "van-hoa": D("100"),
}

# Commune level, the 23 communes together (cấp xã): "Tiếp nhận, giải quyết 23.664 hồ sơ. Trong đó, kỳ trước
# chuyển sang 149, tiếp nhận trong kỳ 23.515; đã giải quyết trả trước và đúng hạn 23.359/23.378 (99,92%);
# 19 hồ sơ giải quyết quá hạn; 114 hồ sơ đang giải quyết; 24 hồ sơ đang tạm dừng; 148 hồ sơ trả lại."
# No cancelled dossier is named: 149 + 23.515 = 23.359 + 19 + 114 + 24 + 148 leaves 0.
COMMUNE_COUNTS = {
    "handled": 23664,
    "carried_over": 149,
    "received": 23515,
    "resolved": 23378,
    "resolved_on_time": 23359,
    "resolved_overdue": 19,
    "pending": 114,
    "paused": 24,
    "returned": 148,
    "cancelled": 0,
    "online": 22816,
    "online_eligible": 22903,
    "inputs_digitized": 22506,
    "inputs": 23521,
    "results_digitized": 22453,
    "results": 23441,
}
COMMUNE_RATES = {
    "on_time": D("99.92"),
    "online": D("99.62"),
    "inputs_digitized": D("95.68"),
    "results_digitized": D("95.79"),
}

# "19 hồ sơ giải quyết quá hạn ở các xã: Hà Kỳ (04), Tái Sơn (01), Đại Sơn (06), thị trấn Tứ Kỳ (01),
# Hưng Đạo (01), An Thanh (02), Bình Lãng (01), Văn Tố (01), Tân Kỳ (02)"; every other commune had none.
OVERDUE_BY_COMMUNE = {
    "Hà Kỳ": 4,
    "Tái Sơn": 1,
    "Đại Sơn": 6,
    TOWNSHIP: 1,
    "Hưng Đạo": 1,
    "An Thanh": 2,
    "Bình Lãng": 1,
    "Văn Tố": 1,
    "Tân Kỳ": 2,
}

# Section II.2.3, a second count: "còn để phát sinh 31 hồ sơ TTHC giải quyết trễ hạn trên phần mềm: Lĩnh vực
# Tài nguyên - Môi trường huyện (1), tại các xã: Hà Kỳ (4), Bình Lãng (1), Văn Tố (1), Đại Sơn (7), Tái Sơn
# (5), Quang Khải (2), Tân Kỳ (3), Cộng Lạc (1), Dân Chủ (3), thị trấn Tứ Kỳ (1), Hưng Đạo (1), An Thanh (1)".
# It disagrees with the 19 overdue dossiers above: the report is inconsistent, and the data keeps both counts.
LATE_ON_SOFTWARE_TOTAL = 31
DISTRICT_LATE_ON_SOFTWARE = 1
LATE_ON_SOFTWARE_BY_COMMUNE = {
    "Hà Kỳ": 4,
    "Bình Lãng": 1,
    "Văn Tố": 1,
    "Đại Sơn": 7,
    "Tái Sơn": 5,
    "Quang Khải": 2,
    "Tân Kỳ": 3,
    "Cộng Lạc": 1,
    "Dân Chủ": 3,
    TOWNSHIP: 1,
    "Hưng Đạo": 1,
    "An Thanh": 1,
}

# "đạt 100% tỷ lệ hồ sơ giải quyết trực tuyến, như xã Chí Minh, Hà Thanh, Minh Đức, Ngọc Kỳ, Phượng Kỳ,
# Quang Khải" ("như": such as, so these at least).
FULLY_ONLINE = ("Chí Minh", "Hà Thanh", "Minh Đức", "Ngọc Kỳ", "Phượng Kỳ", "Quang Khải")

# "UBND xã Quảng Nghiệp (99,19%)" for both digitization rates; "Quang Trung (số hoá đầy đủ thành phần hồ sơ
# là 98%, số hoá kết quả giải quyết là 98,89%)".
DIGITIZATION_BY_COMMUNE = {
    "Quảng Nghiệp": {"inputs_digitized": D("99.19"), "results_digitized": D("99.19")},
    "Quang Trung": {"inputs_digitized": D("98"), "results_digitized": D("98.89")},
}

# Whole district (toàn huyện), section III.1: rates over both levels together.
WHOLE_RATES = {
    "on_time": D("99.87"),  # misprint: the report's own counts give 25.000/25.020 = 99,92% (see MISPRINTS)
    "online": D("99.63"),
    "inputs_digitized": D("95.85"),
    "results_digitized": D("95.95"),
    "online_payment": D("38.18"),
}
# Change on H1 2022, in percentage points: "99,63%, tăng 29,09% so với cùng kỳ năm 2022 (trong đó huyện
# tăng 19,26%, cấp xã tăng 30,75%); số hoá ... 95,85%, tăng 4,87%; số hoá kết quả 95,95%, tăng 45,3%".
ONLINE_CHANGE = {"whole": D("29.09"), "district": D("19.26"), "communes": D("30.75")}
WHOLE_DIGITIZATION_CHANGE = {"inputs_digitized": D("4.87"), "results_digitized": D("45.3")}

# Province averages for H1 2023 (level, metric) -> percent: "trung bình chung của UBND cấp huyện trong toàn
# tỉnh là 97,6% (đầu vào), 97,71% (kết quả)"; "trung bình chung đối với cấp xã ... là 97,6%".
PROVINCE_AVERAGES = {
    ("district", "inputs_digitized"): D("97.6"),
    ("district", "results_digitized"): D("97.71"),
    ("commune", "inputs_digitized"): D("97.6"),
}
# The district's digitization is "cao hơn mức trung bình chung"; the communes' inputs rate "vẫn còn thấp hơn".
ABOVE_PROVINCE_AVERAGE = {("district", "inputs_digitized"), ("district", "results_digitized")}
BELOW_PROVINCE_AVERAGE = {("commune", "inputs_digitized")}

# Targets set by the province (UBND tỉnh giao): online payment 30% ("Ở cấp huyện đạt 25,6%, chưa đạt chỉ
# tiêu (30%)"; the whole district "38,18% ..., đạt chỉ tiêu giao của UBND tỉnh (30%)"); results digitized
# 100%, not reached at either level ("cả 2 cấp ... vẫn chưa đạt chỉ tiêu giao của UBND tỉnh (100%)").
ONLINE_PAYMENT_TARGET = D("30")
RESULTS_DIGITIZED_TARGET = D("100")

# Online payment at commune level against the 30% target: "Có 09 xã, thị trấn đạt chỉ tiêu, 13 xã chưa
# đạt chỉ tiêu giao và 01 xã chưa thực hiện thanh toán trực tuyến (UBND xã Tân Kỳ)".
PAYMENT_MET = 9
PAYMENT_NOT_MET = 13
PAYMENT_NOT_STARTED = ("Tân Kỳ",)

# ---------------------------------------------------------------------------------------------------------
# Reform index scores (ước chấm điểm), % of each area's maximum, communes.
# ---------------------------------------------------------------------------------------------------------

# area number -> {band as the report writes it: communes}. The communes are either a tuple of names or, where
# the report says "the other N" / "N communes" without naming them, the int N: all communes not named in
# that area, of which the report says there are N.
# Band texts: "90–100%" is 90 ≤ p ≤ 100, "80–<90%" is 80 ≤ p < 90, "60–73%" is 60 ≤ p ≤ 73, and a single
# value ("90%", "60,87%") is the score itself, rounded to 2 decimals.
AREA_BANDS = {
    1: {
        "90%": ("Ngọc Kỳ",),
        "80–<90%": (
            "Quang Trung",
            "Chí Minh",
            "Quang Khải",
            "Tái Sơn",
            "Đại Hợp",
            "Đại Sơn",
            "Hưng Đạo",
            "Tân Kỳ",
            "Quảng Nghiệp",
            "Hà Kỳ",
        ),
        "70–<80%": (
            "Phượng Kỳ",
            "An Thanh",
            "Minh Đức",
            "Nguyên Giáp",
            "Hà Thanh",
            "Quang Phục",
            "Cộng Lạc",
            "Bình Lãng",
            "Văn Tố",
            "Tiên Động",
        ),
        "60–<70%": ("Dân Chủ", TOWNSHIP),
    },
    2: {"90–100%": 22, "80%": ("Tân Kỳ",)},
    3: {
        "90–100%": (
            "Phượng Kỳ",
            "Ngọc Kỳ",
            "Quang Trung",
            "Chí Minh",
            "Quang Khải",
            "An Thanh",
            "Tái Sơn",
            "Đại Hợp",
            "Đại Sơn",
            "Nguyên Giáp",
            "Hà Thanh",
            "Quang Phục",
            "Cộng Lạc",
            "Bình Lãng",
            "Văn Tố",
            "Tiên Động",
        ),
        "80–<90%": 7,
    },
    4: {"90–100%": 23},
    5: {"60–73%": 22, "56%": ("Dân Chủ",)},
    6: {"90–100%": 18, "80–<90%": ("Đại Hợp", "Quảng Nghiệp", "Hà Kỳ", "Tiên Động", TOWNSHIP)},
    7: {"90–100%": 22, "60,87%": ("Tiên Động",)},
}

# Total score (maximum 74 points for a commune) and the classification it leads to.
COMMUNE_MAX_POINTS = D("74")
CLASSIFICATION = {
    # "Có 14 UBND xã đạt từ 80% - dưới 90% số điểm tối đa, dự kiến xếp loại ở mức Hoàn thành tốt nhiệm vụ"
    "Hoàn thành tốt nhiệm vụ": (
        "Phượng Kỳ",
        "Ngọc Kỳ",
        "Quang Trung",
        "Chí Minh",
        "Quang Khải",
        "An Thanh",
        "Tái Sơn",
        "Đại Hợp",
        "Đại Sơn",
        "Hưng Đạo",
        "Tân Kỳ",
        "Minh Đức",
        "Nguyên Giáp",
        "Hà Thanh",
    ),
    # "Có 09 UBND xã, thị trấn đạt từ trên 70% - dưới 80% số điểm tối đa, dự kiến xếp loại ở mức Hoàn thành
    # nhiệm vụ"
    "Hoàn thành nhiệm vụ": (
        "Quảng Nghiệp",
        "Hà Kỳ",
        "Quang Phục",
        "Cộng Lạc",
        "Bình Lãng",
        "Văn Tố",
        "Dân Chủ",
        "Tiên Động",
        TOWNSHIP,
    ),
}
# The total-score band of each classification list, in the same notation as AREA_BANDS (">70" excludes 70).
CLASSIFICATION_PERCENT = {"Hoàn thành tốt nhiệm vụ": "80–<90%", "Hoàn thành nhiệm vụ": ">70–<80%"}

# Section II.2.1: "UBND xã Tiên Động xếp thứ 23 (năm 2022 xếp thứ 20 và được đánh giá Không hoàn thành nhiệm
# vụ), UBND xã Quang Phục xếp thứ 17 (năm 2022 xếp thứ 15 và được đánh giá Không hoàn thành nhiệm vụ),
# UBND xã Dân Chủ xếp thứ 22 (năm 2022 xếp thứ 23)".
RANKS = {"Tiên Động": 23, "Dân Chủ": 22, "Quang Phục": 17}
RANKS_2022 = {"Tiên Động": 20, "Dân Chủ": 23, "Quang Phục": 15}
CLASSIFICATION_2022 = {"Tiên Động": "Không hoàn thành nhiệm vụ", "Quang Phục": "Không hoàn thành nhiệm vụ"}

# District (UBND huyện): "đạt được là 62,12 điểm, đạt 85,68% (điểm tối đa là 72,5 điểm)".
DISTRICT_POINTS = D("62.12")
DISTRICT_MAX_POINTS = D("72.5")
DISTRICT_PERCENT = D("85.68")

# ---------------------------------------------------------------------------------------------------------
# Where the report contradicts itself: the printed rate cannot come from the counts the report gives for it.
# (scope, metric) -> (printed rate, (part, whole) as the report counts them). Scopes: "district" (the
# district's own one-stop shop), "communes" (the 23 communes together), "whole" (both levels together).
# ---------------------------------------------------------------------------------------------------------
MISPRINTS = {
    # "1.640/1.670 đạt tỷ lệ 98,23%": 1.640/1.670 is 98,20%.
    ("district", "inputs_digitized"): (D("98.23"), (1640, 1670)),
    # "Tỷ lệ hồ sơ được giải quyết trước và đúng hạn ... toàn huyện đạt 99,87%": the two levels' counts,
    # (1.641 + 23.359)/(1.642 + 23.378) = 25.000/25.020, give 99,92%.
    ("whole", "on_time"): (D("99.87"), (1641 + 23359, 1642 + 23378)),
}
# Section II.2.3 repeats the commune-level inputs rate as "đã đạt trên 95,59%" (= 97,6% − 2,01%), where
# section I.3 gives 22.506/23.521 = 95,68%.
COMMUNE_INPUTS_RATE_II_2_3 = D("95.59")
