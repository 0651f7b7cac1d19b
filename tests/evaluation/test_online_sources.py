"""evaluation/online.py names other apps' values only through what they export: the ledger's
meeting kinds from `ledger.kinds` (no models, safe while rules register), the brand's stage and
publications from `brands.selectors.scoring`."""

import ast
from pathlib import Path

import pytest

from brands.models import BrandApplication, MediaPublication, Status
from brands.selectors.scoring import BrandStage, brand_stage
from evaluation import online
from ledger.kinds import MeetingKind
from ledger.models import MeetingKind as LedgerModelsMeetingKind

ROOT = Path(__file__).resolve().parents[2]


def test_every_ledger_rule_counts_kinds_the_ledger_declares():
    for _label, kinds in online.LEDGER_MEETING_RULES.values():
        assert kinds is None or set(kinds) <= set(MeetingKind.values)
    assert LedgerModelsMeetingKind is MeetingKind  # one declaration, re-exported by the models


def test_ledger_kinds_imports_no_model():
    tree = ast.parse((ROOT / "ledger" / "kinds.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert imported <= {"django.db", "django.utils.translation"}


def test_online_names_no_meeting_kind_or_status_as_a_literal():
    source = (ROOT / "evaluation" / "online.py").read_text(encoding="utf-8")
    literals = {
        node.value for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Constant)
    }
    assert not literals & {*MeetingKind.values, *Status.values, *MediaPublication.MediaLevel.values}


@pytest.mark.parametrize(
    "status, stage",
    [
        (Status.DRAFT, BrandStage.NOT_APPROVED),
        (Status.IN_REVIEW, BrandStage.NOT_APPROVED),
        (Status.REJECTED, BrandStage.NOT_APPROVED),
        (Status.IMPLEMENTING, BrandStage.IMPLEMENTING),
        (Status.ACCEPTANCE, BrandStage.IMPLEMENTING),
        (Status.BUILT, BrandStage.BUILT),
    ],
)
def test_the_brand_stage_the_star_table_scores(status, stage):
    assert brand_stage(BrandApplication(status=status)) == stage
