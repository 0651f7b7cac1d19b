"""Flagship brand (旗舰品牌) demonstration units and bases, chosen in a biennial cycle.

A cycle (FlagshipCycle) runs through declared phases: application (申报) → public notice (公示)
→ management (培育管理) → committee review (评审) → public vote (公开投票) → awards (表彰).
Branches whose brand is built file a candidacy (创建申报) that is reviewed up the org tree like a
brand application; the review committee (评审委员会: CommitteeMember rows of the cycle, one of
them the chair) scores the accepted candidates independently, the chair names the demonstration
units (示范单位, at most `quota`), every logged-in user may vote for up to K of them (one
ballot per cycle, enforced by the database), and the chair names the bases (示范基地, at most
`base_share_cap` % of the units) from a weighting of vote share and committee score. An honour
(Honour) is valid until the cycle's `honour_expires_on`; the scheduled job marks it expired.

Every number and date is data on the cycle, with the documents' values as defaults
(services/cycle.py `default_schedule`).
"""

from .candidacy import (
    EDITABLE_STATUSES,
    AttachmentKind,
    Candidacy,
    CandidacyAttachment,
    CandidacyRevision,
    CandidacyStatus,
    Objection,
    ObjectionStatus,
)
from .common import PERCENT, POINTS
from .cycle import (
    PHASE_ORDER,
    CommitteeMember,
    CriterionSource,
    FlagshipCycle,
    Phase,
    ReviewCriterion,
    ScoreAggregate,
)
from .decision import (
    Ballot,
    Honour,
    HonourKind,
    HonourStatus,
    Obligation,
    ObligationKind,
    Vote,
)
from .review import CommitteeScore, CommitteeScoreItem, SiteVisit, SiteVisitPhoto

__all__ = [
    "EDITABLE_STATUSES",
    "PHASE_ORDER",
    "AttachmentKind",
    "Ballot",
    "Candidacy",
    "CandidacyAttachment",
    "CandidacyRevision",
    "CandidacyStatus",
    "CommitteeMember",
    "CommitteeScore",
    "CommitteeScoreItem",
    "CriterionSource",
    "FlagshipCycle",
    "Honour",
    "HonourKind",
    "HonourStatus",
    "Objection",
    "ObjectionStatus",
    "Obligation",
    "ObligationKind",
    "PERCENT",
    "POINTS",
    "Phase",
    "ReviewCriterion",
    "ScoreAggregate",
    "SiteVisit",
    "SiteVisitPhoto",
    "Vote",
]
