"""The indicators' data model, one module per concept: reference data (areas, fields, frameworks, targets),
reporting periods, what units enter (scores, statistics, reports), and the stored totals."""

from .entry import (
    BALANCE_OUT,
    CLOSING_STOCKS,
    COUNT_FIELDS,
    MAX_COUNT,
    OPENING_STOCKS,
    PARTS_OF_WHOLES,
    AreaScore,
    DossierStats,
    PeriodReport,
)
from .periods import Period
from .reference import (
    PERCENT_VALIDATORS,
    ClassificationBand,
    FrameworkArea,
    ProcedureField,
    ProvinceAverage,
    ReformArea,
    ScoringFramework,
    Target,
)
from .stored import CommuneFieldTotals, CommuneTotals, StoredCounts, UnitTotals

__all__ = [
    "BALANCE_OUT",
    "CLOSING_STOCKS",
    "COUNT_FIELDS",
    "MAX_COUNT",
    "OPENING_STOCKS",
    "PARTS_OF_WHOLES",
    "PERCENT_VALIDATORS",
    "AreaScore",
    "ClassificationBand",
    "CommuneFieldTotals",
    "CommuneTotals",
    "DossierStats",
    "FrameworkArea",
    "Period",
    "PeriodReport",
    "ProcedureField",
    "ProvinceAverage",
    "ReformArea",
    "ScoringFramework",
    "StoredCounts",
    "Target",
    "UnitTotals",
]
