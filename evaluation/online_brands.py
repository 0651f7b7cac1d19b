"""Online rules of the brand five-force table (品牌五力, issue #18 item 3), registered in
`online.RULES` when `evaluation.online` is imported (the 5521 table's brand rules stay in
`online.py`). What the portal knows about a brand — its six elements, its publications in
the period, its pairings (结对帮扶) — pre-fills the five-force items whose method text scores
exactly that; the committee still checks and adjusts them at acceptance (线上考核 +
线下验收). Brands are read only through `brands.selectors.scoring`. Each score is the item's
method as a share of its maximum, so an edited maximum keeps the rule:

* `brand_elements` (cbl-1 品牌要素完整): full points, a fifth off per missing element of six;
* `brand_promotion` (cbl-2 宣传推广): a fifth per publication in the period (any level: 公司级
  and above), up to full;
* `brand_pairing` (yxl-1 示范带动): full points with a pairing (结对帮扶) recorded, else 0
  (经验推广 is checked offline);
* `brand_top_media` (yxl-2 荣誉与媒体报道): the best publication in the period — 省部级 and
  above full, 市级 6/10, 公司内部 3/10 (表彰 is checked offline).
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _lazy

from brands.selectors.scoring import MediaLevel, missing_six_elements, pairing_counts

from .online import CENT, Online, _, _share, rule

# --- the five-force table (品牌五力) ---------------------------------------------------------

FIFTH = Decimal(1) / Decimal(5)
#: yxl-2: the share of the item's points the best publication earns, by its medium's level.
TOP_MEDIA_SHARES = {
    MediaLevel.NATIONAL: Decimal(1),
    MediaLevel.PROVINCIAL: Decimal(1),
    MediaLevel.CITY: Decimal("0.6"),
    MediaLevel.INTERNAL: Decimal("0.3"),
}


def load_pairings(known: dict) -> None:
    """For a batch (`online.scores_of_units`): each unit's count of pairings, one query for
    all, put in its known facts next to its application."""
    apps = {pk: facts.get("application") for pk, facts in known.items()}
    counts = pairing_counts([a.pk for a in apps.values() if a is not None])
    for pk, facts in known.items():
        facts["pairings"] = counts.get(apps[pk].pk, 0) if apps[pk] is not None else 0


def _no_brand() -> Online:
    return Online(Decimal(0), _("系统评分：本支部尚未申报品牌。"))


@rule("brand_elements", _lazy("品牌要素完整（六要素，每缺一项扣五分之一）"))
def brand_elements(facts, indicator) -> Online:
    app = facts.application
    if app is None:
        return _no_brand()
    missing = missing_six_elements(app)
    off = _share(indicator.max_points, FIFTH) * len(missing)
    score = max(Decimal(0), indicator.max_points - off)
    if not missing:
        return Online(score, _("系统评分：品牌六要素齐全（特色是否鲜明请线下核定）。"))
    return Online(
        score,
        _("系统评分：品牌缺少 %(missing)s。") % {"missing": "、".join(missing)},
    )


@rule("brand_promotion", _lazy("宣传推广（期内每发表一次得五分之一）"))
def brand_promotion(facts, indicator) -> Online:
    if facts.application is None:
        return _no_brand()
    n = len(facts.publication_levels)
    score = min(indicator.max_points, _share(indicator.max_points, FIFTH) * n)
    period = facts.period
    return Online(
        score.quantize(CENT),
        _("系统评分：期内（%(start)s 至 %(end)s）在公司级及以上平台宣传 %(n)d 次。")
        % {"n": n, "start": period.starts_on, "end": period.ends_on},
    )


@rule("brand_pairing", _lazy("示范带动（已登记结对帮扶得满分）"))
def brand_pairing(facts, indicator) -> Online:
    if facts.application is None:
        return _no_brand()
    pairings = facts.pairings
    if pairings:
        return Online(
            indicator.max_points,
            _("系统评分：已登记结对帮扶 %(n)d 个。") % {"n": pairings},
        )
    return Online(Decimal(0), _("系统评分：未登记结对帮扶（经验在上级推广的，请线下核定）。"))


@rule("brand_top_media", _lazy("荣誉与媒体报道（期内最高级别发表）"))
def brand_top_media(facts, indicator) -> Online:
    if facts.application is None:
        return _no_brand()
    levels = facts.publication_levels
    if not levels:
        return Online(Decimal(0), _("系统评分：期内无媒体报道（表彰请线下核定）。"))
    best = max(levels, key=lambda level: TOP_MEDIA_SHARES.get(level, Decimal(0)))
    return Online(
        _share(indicator.max_points, TOP_MEDIA_SHARES.get(best, Decimal(0))),
        _("系统评分：期内最高为%(level)s媒体报道（表彰请线下核定）。")
        % {"level": MediaLevel(best).label},
    )
