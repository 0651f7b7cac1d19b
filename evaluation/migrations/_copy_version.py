"""Ship a new published version of a scoring table as a copy of its latest published one, for
the data migrations that bind items to online rules (0018, 0019, 0020). Not a migration: the
loader skips modules whose name starts with an underscore.

The migrations that call it have run in production, so what it writes must stay what they
wrote: change it only in ways that keep their effect (tests/evaluation/test_copy_version.py).
It takes the historical models (`apps`) and uses nothing from today's code."""

import django.utils.timezone

#: The version's settings copied from its source (everything but identity and publication).
COPIED = (
    "allow_negative",
    "max_star_rise",
    "bonus_cap",
    "star2_rate",
    "star3_rate",
    "star4_rate",
    "star5_rate",
)


def ship_copy(apps, *, table, note, bound):
    """A published copy, noted `note`, of the latest published version of the table coded
    `table`: its settings, dimensions, items and category weights (分类权重), with the items
    keyed (dimension code, item code) in `bound` given that (online rule, scoring method).
    Nothing if a version of the table already has that note (the migration ran) or none is
    published. Returns the new version, or None."""
    TableVersion = apps.get_model("evaluation", "TableVersion")
    Dimension = apps.get_model("evaluation", "Dimension")
    Indicator = apps.get_model("evaluation", "Indicator")
    DimensionWeight = apps.get_model("evaluation", "DimensionWeight")
    versions = TableVersion.objects.filter(table__code=table)
    if versions.filter(note=note).exists():
        return None
    source = versions.filter(status="published").order_by("-number").first()
    if source is None:
        return None
    version = TableVersion.objects.create(
        table_id=source.table_id,
        number=versions.order_by("-number").first().number + 1,
        status="published",
        published_at=django.utils.timezone.now(),
        note=note,
        based_on=source,
        **{name: getattr(source, name) for name in COPIED},
    )
    for dimension in Dimension.objects.filter(version=source).order_by("sort_order", "pk"):
        indicators = list(Indicator.objects.filter(dimension=dimension).order_by("pk"))
        weights = list(DimensionWeight.objects.filter(dimension=dimension).order_by("pk"))
        dimension.pk, dimension.version = None, version
        dimension.save()
        for indicator in indicators:
            indicator.pk, indicator.dimension = None, dimension
            rule = bound.get((dimension.code, indicator.code))
            if rule:
                indicator.online_rule, indicator.method = rule
        Indicator.objects.bulk_create(indicators)
        for weight in weights:
            weight.pk, weight.dimension = None, dimension
        DimensionWeight.objects.bulk_create(weights)
    return version


def copy_missing_weights(apps, version):
    """The category weights of `version`'s source (`based_on`) onto `version`'s dimensions of
    the same code, if `version` has none and its source has some (a copy that left them out).
    Returns how many rows were written."""
    Dimension = apps.get_model("evaluation", "Dimension")
    DimensionWeight = apps.get_model("evaluation", "DimensionWeight")
    if version.based_on_id is None:
        return 0
    if DimensionWeight.objects.filter(dimension__version=version).exists():
        return 0
    targets = {d.code: d for d in Dimension.objects.filter(version=version)}
    rows = [
        DimensionWeight(
            dimension=targets[weight.dimension.code],
            category=weight.category,
            weight=weight.weight,
        )
        for weight in DimensionWeight.objects.filter(dimension__version_id=version.based_on_id)
        .select_related("dimension")
        .order_by("dimension__sort_order", "dimension__pk", "pk")
        if weight.dimension.code in targets
    ]
    DimensionWeight.objects.bulk_create(rows)
    return len(rows)
