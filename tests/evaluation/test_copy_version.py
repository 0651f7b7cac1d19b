"""Shipping a table version as a copy of the latest published one (migrations 0018–0020 through
`evaluation/migrations/_copy_version.py`) keeps the category weights (分类权重) an administrator
set; 0021 gives a five-force v2 shipped without them its source's."""

import importlib
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from evaluation.migrations._copy_version import copy_missing_weights, ship_copy
from evaluation.selectors.tables import weights_for
from tests.conftest import _historical_apps

FIVE_FORCE = importlib.import_module("evaluation.migrations.0020_five_force_online_version")
REPAIR = importlib.import_module("evaluation.migrations.0021_five_force_version_weights")
BEFORE = [("evaluation", "0019_member_tables")]
SHIP = [("evaluation", "0020_five_force_online_version")]
REPAIRED = [("evaluation", "0021_five_force_version_weights")]


def migrate(targets):
    """Move the evaluation app to `targets`; the models as they are there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def five_force(apps, number):
    return apps.get_model("evaluation", "TableVersion").objects.get(
        table__code="brand-five-forces", number=number
    )


def weigh(apps, version, code, category, weight):
    """A weight on a published version, past the frozen-version guard (as a migration writes)."""
    Dimension = apps.get_model("evaluation", "Dimension")
    DimensionWeight = apps.get_model("evaluation", "DimensionWeight")
    dimension = Dimension.objects.get(version=version, code=code)
    return DimensionWeight.objects.create(dimension=dimension, category=category, weight=weight)


@pytest.fixture
def before_0020():
    """The database as 0020 found it in production: five-force v1 only, and an administrator's
    weight on its 领导力 (ldl) for production branches; 0020 and 0021 not applied."""
    apps = migrate(BEFORE)
    try:
        apps.get_model("evaluation", "TableVersion").objects.filter(
            table__code="brand-five-forces", note=FIVE_FORCE.NOTE
        ).delete()
        weigh(apps, five_force(apps, 1), "ldl", "production", Decimal("1.5"))
        yield apps
    finally:
        migrate(REPAIRED)  # the latest state for the tests after this one


def dimension_of(version_number, code):
    from evaluation.models import Dimension

    return Dimension.objects.get(
        version__table__code="brand-five-forces", version__number=version_number, code=code
    )


@pytest.mark.django_db(transaction=True)
def test_the_five_force_version_0020_ships_keeps_the_category_weights(before_0020):
    migrate(SHIP)
    ldl = dimension_of(2, "ldl")
    assert ldl.version.note == FIVE_FORCE.NOTE
    assert weights_for(ldl.version_id, "production") == {ldl.pk: Decimal("1.5")}
    assert weights_for(ldl.version_id, "market") == {}  # unset: weighs 1, as on v1


@pytest.mark.django_db(transaction=True)
def test_0021_gives_a_v2_shipped_without_weights_those_of_v1_once(before_0020):
    apps = migrate(SHIP)
    v1, v2 = five_force(apps, 1), five_force(apps, 2)
    weigh(apps, v1, "yxl", "market", Decimal("0.5"))
    # 0020 as it first ran in production: no weights on v2
    apps.get_model("evaluation", "DimensionWeight").objects.filter(dimension__version=v2).delete()
    assert weights_for(v2.pk, "production") == {}

    migrate(REPAIRED)
    migrate(SHIP)  # reversing leaves the rows; running again adds none
    migrate(REPAIRED)

    ldl, yxl = dimension_of(2, "ldl"), dimension_of(2, "yxl")
    assert weights_for(v2.pk, "production") == {ldl.pk: Decimal("1.5")}
    assert weights_for(v2.pk, "market") == {yxl.pk: Decimal("0.5")}
    assert weights_for(v1.pk, "production") == {dimension_of(1, "ldl").pk: Decimal("1.5")}


def test_0021_looks_for_the_versions_0020_ships():
    assert REPAIR.FIVE_FORCE_NOTE == FIVE_FORCE.NOTE


def test_the_helper_is_not_a_migration():
    names = {name for app, name in MigrationLoader(None).disk_migrations if app == "evaluation"}
    assert "0021_five_force_version_weights" in names
    assert not {name for name in names if name.startswith("_")}


# --- the helper on its own --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_shipped_copy_takes_settings_items_weights_and_binds_the_named_items():
    apps = _historical_apps()
    TableVersion = apps.get_model("evaluation", "TableVersion")
    Indicator = apps.get_model("evaluation", "Indicator")
    source = (
        TableVersion.objects.filter(table__code="star-5521", status="published")
        .order_by("-number")
        .first()
    )
    TableVersion.objects.filter(pk=source.pk).update(bonus_cap=Decimal(5), max_star_rise=1)
    first = source.dimensions.order_by("sort_order").first()
    item = Indicator.objects.filter(dimension=first).order_by("pk").first()
    weigh(apps, source, first.code, "production", Decimal(2))

    bound = {(first.code, item.code): ("ledger_meetings", "线上评分：测试")}
    copy = ship_copy(apps, table="star-5521", note="测试副本", bound=bound)

    assert (copy.number, copy.status, copy.based_on_id) == (
        source.number + 1,
        "published",
        source.pk,
    )
    assert (copy.bonus_cap, copy.max_star_rise) == (Decimal(5), 1)
    assert list(copy.dimensions.order_by("sort_order").values_list("code", "name")) == list(
        source.dimensions.order_by("sort_order").values_list("code", "name")
    )
    items = Indicator.objects.filter(dimension__version=copy)
    assert items.count() == Indicator.objects.filter(dimension__version=source).count()
    copied = items.get(dimension__code=first.code, code=item.code)
    assert (copied.online_rule, copied.method) == bound[(first.code, item.code)]
    assert weights_for(copy.pk, "production") == {copied.dimension_id: Decimal(2)}

    assert ship_copy(apps, table="star-5521", note="测试副本", bound=bound) is None  # ran
    assert copy_missing_weights(apps, copy) == 0  # it has its weights
