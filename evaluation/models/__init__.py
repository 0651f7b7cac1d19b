"""Evaluation (考核评价): scoring tables as versioned data, assessment periods, assessments.

One mechanism serves every table of the sources (six-good, five forces, 5521 stars, double
hundred, party-group quarterly): a table has versions; a version has dimensions (维度/指数);
a dimension has indicators (指标) of four kinds. A published version is frozen: editing it
means creating a new version (`services.tables.new_version`).

An assessment keeps its per-indicator scores in rows (`AssessmentScore`) and, denormalised on
itself, the totals, star and tier that `scoring.py` computes from them inside the transaction
that changed them, so rankings are plain window functions over indexed columns.
"""

from .assessments import (
    EDITABLE_STATUSES,
    Assessment,
    AssessmentScore,
    BonusItem,
    DimensionScore,
    Evidence,
    Status,
)
from .exports import ResultsExport
from .periods import SOURCE_KIND, AssessmentPeriod, PeriodKind, PeriodPublication
from .schedules import Schedule
from .tables import (
    POINTS,
    Dimension,
    DimensionWeight,
    FrozenWhenPublished,
    Indicator,
    IndicatorKind,
    ScoringTable,
    Subject,
    TableVersion,
    VersionStatus,
)

__all__ = [
    "EDITABLE_STATUSES",
    "POINTS",
    "SOURCE_KIND",
    "Assessment",
    "AssessmentPeriod",
    "AssessmentScore",
    "BonusItem",
    "Dimension",
    "DimensionScore",
    "DimensionWeight",
    "Evidence",
    "FrozenWhenPublished",
    "Indicator",
    "IndicatorKind",
    "PeriodKind",
    "PeriodPublication",
    "ResultsExport",
    "Schedule",
    "ScoringTable",
    "Status",
    "Subject",
    "TableVersion",
    "VersionStatus",
]
