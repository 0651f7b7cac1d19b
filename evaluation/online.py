"""Online scoring (线上考核): indicators the portal scores itself from what the branch has
already filed here, so the secretary neither retypes nor estimates it. The reviewer still
checks and may adjust it with a reason (线上考核 + 线下验收, "dual control").

An indicator opts in with `Indicator.online_rule`, one of the rules registered here (brand),
in `online_ledger.py` (台账) and in `online_groups.py` (党小组, 先锋岗, 五个一); the
shipped 5521 star table uses them for its brand index (星级品牌, from the brands data) and,
from v3 on, with the six-good v2 for the items the branch's ledger (台账) answers: meetings
held against the work templates, attendance, records kept complete. A rule is a plain function
`(facts, indicator) -> Online`; `scores()` runs the rules of a form's indicators over one
`Facts`, so what several rules read (the branch's brand, its ledger figures) is fetched once.

Which template kinds a ledger rule counts is part of the rule, not a parameter of the item:
`online_rule` is one code, and the groupings are few and named in the documents (三会一课,
主题党日, 组织生活会…), so each grouping is its own rule (`LEDGER_MEETING_RULES`)."""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.utils.http import urlencode
from django.utils.translation import get_language, gettext, override
from django.utils.translation import gettext_lazy as _lazy

from brands.selectors.scoring import (
    BrandStage,
    MediaLevel,
    brand_stage,
    brands_for_scoring,
    pairing_counts,
    publication_levels,
)

CENT = Decimal("0.01")
#: The rules that read the branch's ledger are named ledger_…, its brand's brand_….
LEDGER_PREFIX, BRAND_PREFIX = "ledger_", "brand_"
#: …and those that read the groups app's figures (pioneer posts, 五个一), groups_… (not group_…:
#: those score a party group's own quarterly table, `GROUP_RULES`), in `online_groups.py`
#: (registered at the end of this module).
GROUPS_PREFIX = "groups_"
#: …and those that read the branch's member assessments (counts only), members_…, in
#: `online_members.py`.
MEMBERS_PREFIX = "members_"


@dataclass(frozen=True)
class LedgerRecords:
    """The ledger records a score counted (`ledger.selectors.compliance.RecordRef`: id, local
    date, template name), for the pages to link as evidence; read live, never stored. The
    full list is the branch's records between `since` and `until` of the rule's `kinds`
    (none: every kind), recorded ones only when `recorded_only`."""

    refs: tuple
    since: date
    until: date
    kinds: tuple[str, ...] = ()
    recorded_only: bool = False

    @property
    def shown(self) -> tuple:
        return self.refs[:MAX_DATES]

    @property
    def more(self) -> bool:
        return len(self.refs) > MAX_DATES

    @property
    def query(self) -> str:
        """The record list's filters that list them all."""
        query = {"since": self.since.isoformat(), "until": self.until.isoformat()}
        if self.kinds:
            query["kinds"] = list(self.kinds)
        if self.recorded_only:
            query["status"] = "recorded"
        return urlencode(query, doseq=True)


class Online:
    """A rule's result: the score, and what it rests on.

    `basis` — the score's grounds in words, stored as the item's evidence text — and `records`
    — the ledger records behind it, for the links — may be handed in as functions of no
    arguments: they are called when first read, in the language and with the translations of
    the batch that scored (`scores_of_units`). A province's batch computes a million scores
    and shows none of them; a form reads one unit's. Immutable; equal when score, basis and
    records are (which formats both sides)."""

    __slots__ = ("score", "_basis", "_records", "_batch")

    def __init__(self, score: Decimal, basis, records=None):
        setattr_ = object.__setattr__
        setattr_(self, "score", score)
        setattr_(self, "_basis", basis)
        setattr_(self, "_records", records)
        setattr_(self, "_batch", _BATCH.get() if callable(basis) or callable(records) else None)

    def __setattr__(self, name, value):
        raise AttributeError(f"Online is immutable ({name})")

    @property
    def basis(self) -> str:
        """What the score rests on, in words: stored as the item's evidence text."""
        if callable(self._basis):
            object.__setattr__(self, "_basis", _in_batch(self._batch, self._basis))
        return self._basis

    @property
    def records(self) -> LedgerRecords | None:
        """The ledger records behind the score (ledger rules that counted any), for the links."""
        if callable(self._records):
            object.__setattr__(self, "_records", _in_batch(self._batch, self._records))
        return self._records

    def _key(self):
        return (self.score, self.basis, self.records)

    def __eq__(self, other):
        if not isinstance(other, Online):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def __reduce__(self):  # copy and pickle the formatted values (no setattr on rebuild)
        return (Online, self._key())

    def __repr__(self):
        return f"Online(score={self.score!r}, basis={self.basis!r}, records={self.records!r})"


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    compute: Callable


RULES: dict[str, Rule] = {}


def rule(code: str, label):
    def register(compute):
        RULES[code] = Rule(code, label, compute)
        return compute

    return register


def choices() -> list[tuple[str, str]]:
    return [(r.code, r.label) for r in RULES.values()]


class Facts:
    """What the rules read about one unit in one period, each fetched once, when first asked
    (or handed in, read for many units at once: `scores_of_units`)."""

    def __init__(self, unit, period, **known):
        self.unit, self.period = unit, period
        self.__dict__.update(known)  # read for many units at once: application, ledger…

    @cached_property
    def application(self):
        """The branch's live brand application (not rejected), or None."""
        from brands.selectors.applications import live_application_for

        return live_application_for(self.unit)

    @cached_property
    def publication_levels(self) -> list[str]:
        """The media levels of the publications about the brand dated within the period."""
        if self.application is None:
            return []
        return publication_levels(self.application, self.period.starts_on, self.period.ends_on)

    @cached_property
    def pairings(self) -> int:
        """How many pairings (结对帮扶) the brand has recorded (online_brands)."""
        if self.application is None:
            return 0
        return pairing_counts([self.application.pk]).get(self.application.pk, 0)

    @cached_property
    def groups(self):
        """The branch's pioneer posts and 五个一 figures over the period (groups app)."""
        from groups.selectors.scoring import scoring_figures as groups_figures

        return groups_figures([self.unit], self.period.starts_on, self.period.ends_on)[self.unit.pk]

    @cached_property
    def members(self):
        """The branch's member-assessment counts (groups app; `online_members.py`)."""
        from groups.selectors.scoring import member_figures

        return member_figures([self.unit], self.period.starts_on, self.period.ends_on)[self.unit.pk]

    @cached_property
    def ledger(self):
        """The branch's ledger figures over the period (`ledger.selectors.compliance`)."""
        from ledger.selectors.scoring import for_scoring

        return for_scoring(self.unit, self.period.starts_on, self.period.ends_on)


def scores(indicators, unit, period) -> dict[int, Online]:
    """The online score of each of `indicators` that has a rule, by indicator id."""
    return scores_of_units(indicators, [unit], period)[unit.pk]


def scores_of_units(
    indicators, units, period, *, with_dates=True, within=None
) -> dict[int, dict[int, Online]]:
    """`scores()` of many units over one period, by unit id: the ledger figures of all of them
    are counted at once (`ledger.selectors.scoring.scoring_figures`: a fixed number of
    queries), so scoring a province costs about what the database takes to count it.
    `with_dates=False` leaves the meetings' dates out of the basis (a figure, not a record);
    `within`: the units are the branches under this unit (a committee's batch).

    A ledger rule reads nothing but `facts.ledger` and the indicator, so units handed the same
    figures object (`scoring_figures` shares equal ones without dates) share its results; the
    basis and the records behind a score are formatted when first read (`Online`)."""
    from ledger.selectors.scoring import scoring_figures

    ruled = [i for i in indicators if i.online_rule in RULES and i.online_rule not in GROUP_RULES]
    units = list(units)
    known = {u.pk: {} for u in units}
    if any(i.online_rule.startswith(LEDGER_PREFIX) for i in ruled):
        figures = scoring_figures(
            units, period.starts_on, period.ends_on, with_dates=with_dates, within=within
        )
        for pk, ledger in figures.items():
            known[pk]["ledger"] = ledger
    if any(i.online_rule.startswith(BRAND_PREFIX) for i in ruled):
        brands = brands_for_scoring(known, period.starts_on, period.ends_on)
        for pk, facts in known.items():
            facts["application"], facts["publication_levels"] = brands.get(pk, (None, []))
        if any(i.online_rule == "brand_pairing" for i in ruled):
            load_pairings(known)
    if any(i.online_rule.startswith(GROUPS_PREFIX) for i in ruled):
        from groups.selectors.scoring import scoring_figures as groups_figures

        members = groups_figures(units, period.starts_on, period.ends_on, within=within)
        for pk, facts in known.items():
            facts["groups"] = members[pk]
    if any(i.online_rule.startswith(MEMBERS_PREFIX) for i in ruled):
        from groups.selectors.scoring import member_figures

        counted = member_figures(units, period.starts_on, period.ends_on, within=within)
        for pk, facts in known.items():
            facts["members"] = counted[pk]
    ledger_ruled = [i for i in ruled if i.online_rule.startswith(LEDGER_PREFIX)]
    others = [i for i in ruled if not i.online_rule.startswith(LEDGER_PREFIX)]
    shared = {}  # id(ledger figures) → their ledger rules' results (kept alive by `known`)
    result = {}
    batch = _BATCH.set(_Batch(get_language(), {}))  # translated once, formatted when read
    try:
        for unit in units:
            facts = known[unit.pk]
            scored = shared.get(id(facts.get("ledger"))) if ledger_ruled else {}
            if scored is None:
                scored = _computed(ledger_ruled, Facts(unit, period, **facts))
                shared[id(facts["ledger"])] = scored
            if others:
                scored = {**scored, **_computed(others, Facts(unit, period, **facts))}
                result[unit.pk] = {i.pk: scored[i.pk] for i in ruled}  # in the indicators' order
            else:
                result[unit.pk] = dict(scored)
    finally:
        _BATCH.reset(batch)
    return result


def _computed(indicators, facts) -> dict[int, Online]:
    return {i.pk: RULES[i.online_rule].compute(facts, i) for i in indicators}


@dataclass(frozen=True)
class _Batch:
    """Within `scores_of_units`: the active language, and {message: its translation}, so a
    province's batch translates each of the rules' messages once, not once per branch (the
    active language cannot change inside the call). A basis formatted later, when read, is
    formatted in the same language with the same texts. A context variable, so concurrent
    requests keep their own."""

    language: str | None
    texts: dict
    #: Results shared by the units that read the same objects (keys hold their ids; `alive`
    #: keeps those objects, so no id is reused within the batch).
    shared: dict = field(default_factory=dict)
    alive: list = field(default_factory=list)


_BATCH: ContextVar[_Batch | None] = ContextVar("online_batch", default=None)


def _(message: str) -> str:
    batch = _BATCH.get()
    if batch is None:
        return gettext(message)
    text = batch.texts.get(message)
    if text is None:
        text = batch.texts[message] = gettext(message)
    return text


def _in_batch(batch: _Batch | None, format_):
    """`format_()` (a basis, records) as the batch that scored would have formatted it."""
    if batch is None:
        return format_()
    token = _BATCH.set(batch)
    try:
        if batch.language == get_language():
            return format_()
        with override(batch.language):
            return format_()
    finally:
        _BATCH.reset(token)


def records_behind(results: dict[int, Online]) -> dict[int, LedgerRecords]:
    """The ledger records behind each of `scores()`'s results that counted any, by indicator
    id: what the assessment's pages link as evidence."""
    return {pk: r.records for pk, r in results.items() if r.records}


def _share(maximum: Decimal, fraction: Decimal) -> Decimal:
    return (maximum * fraction).quantize(CENT, rounding=ROUND_HALF_UP)


#: The 5521 table's 品牌创建 item: built 8 of 8, in implementation 5 of 8, otherwise nothing.
IMPLEMENTING_SHARE = Decimal(5) / Decimal(8)


@rule("brand_status", _lazy("品牌创建进度（一支部一品牌）"))
def brand_status(facts, indicator) -> Online:
    """Full points for a built brand, 5/8 of them while it is being implemented or in
    acceptance review, none before approval (the brand's status when the score is taken)."""
    app = facts.application
    if app is None:
        return Online(Decimal(0), _("系统评分：本支部尚未申报品牌。"))
    basis = _("系统评分：品牌“%(name)s”当前状态为“%(status)s”。") % {
        "name": app.name,
        "status": app.get_status_display(),
    }
    stage = brand_stage(app)
    if stage == BrandStage.BUILT:
        return Online(indicator.max_points, basis)
    if stage == BrandStage.IMPLEMENTING:
        return Online(_share(indicator.max_points, IMPLEMENTING_SHARE), basis)
    return Online(Decimal(0), basis)


#: Points per publication about the brand, by the medium's level (闪亮); any other level (in
#: the company) earns INTERNAL_POINTS.
MEDIA_POINTS = {
    MediaLevel.NATIONAL: Decimal(3),
    MediaLevel.PROVINCIAL: Decimal(2),
    MediaLevel.CITY: Decimal(1),
}
INTERNAL_POINTS = Decimal("0.5")


@rule("brand_media", _lazy("品牌传播（期内媒体发表，按级别计分）"))
def brand_media(facts, indicator) -> Online:
    """Per publication about the branch's brand dated within the period: national 3, provincial
    2, city 1, in-company 0.5 points, up to the item's maximum."""
    app, period = facts.application, facts.period
    if app is None:
        return Online(Decimal(0), _("系统评分：本支部尚未申报品牌，期内无品牌传播记录。"))
    levels = facts.publication_levels
    earned = sum((MEDIA_POINTS.get(level, INTERNAL_POINTS) for level in levels), Decimal(0))
    return Online(
        min(earned, indicator.max_points).quantize(CENT),
        _("系统评分：期内媒体发表 %(n)d 篇（%(start)s 至 %(end)s）。")
        % {"n": len(levels), "start": period.starts_on, "end": period.ends_on},
    )


MAX_DATES = 6


def _dates(dates) -> str:
    shown = "、".join(_("%(m)d月%(d)d日") % {"m": d.month, "d": d.day} for d in dates[:MAX_DATES])
    return shown + (_("等") if len(dates) > MAX_DATES else "")


# the ledger's rules (台账: meetings, attendance, completeness), the groups app's (the party
# groups' own quarterly table, GroupFacts, group_…; the branch's tables, 先锋岗, 五个一: groups_…)
# and the member assessments' (members_…) live in modules of their own, registered here
# (registration order is the rules' order in the choices, hence in migrations)
# isort: off
from .online_ledger import LEDGER_MEETING_RULES  # noqa: E402, F401
from .online_groups import GROUP_RULES, GroupFacts, group_scores  # noqa: E402, F401
from .online_members import members_assessment  # noqa: E402, F401

# the brand five-force table's (品牌五力: elements, promotion, pairing, media)
from .online_brands import load_pairings  # noqa: E402
# isort: on
