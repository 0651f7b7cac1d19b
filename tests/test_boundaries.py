"""Apps talk through selectors and services only (docs/architecture.md; issue #13, item 3).

Every module of a domain app is parsed with `ast`; importing another domain app's `models`
fails the test, naming the file and line, unless the (module, name) pair is on the allow-list
below. Imports used only for annotations (under `if TYPE_CHECKING:`) are not counted, and
migrations are left out (they reference models by their historical state). Read another
app's data with its selectors, change it with its services; what it exports for others (a
TextChoices, a constant) may be listed here with the reason."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAIN_APPS = (
    "branches",
    "evaluation",
    "brands",
    "flagship",
    "bulletins",
    "ledger",
    "groups",
    "honours",
    "rectification",
    "selection",
)

#: "app.models" → {name: reason}: what any other app may import from that app's models.
ALLOWED = {
    "branches.models": {
        # The org tree is the spine every app builds on (architecture.md): units carry their
        # place in the tree, users and roles are who acts. Reads of data scope still go
        # through branches.selectors / branches.access.
        "OrgUnit": "the org tree every app's objects hang on",
        "User": "the actor of every service",
        "Role": "role names (TextChoices) the apps' rules check",
        "UnitType": "unit types (TextChoices) the apps' rules check",
        "BranchCategory": "branch categories (TextChoices): evaluation's table variants, filters",
        "Region": "the region a unit belongs to: evaluation copies it onto an assessment",
        "COMMITTEE_TYPES": "constant exported for the committee-level pages",
        "CITY_COMMITTEE_TYPES": "constant exported for the lists filtered by city committee",
        "REVIEWING_TYPES": "constant exported for the demo data's reviewers",
    },
}

#: (importing file, "app.models", name) → reason: single exceptions, each to be removed.
EXCEPTIONS: dict[tuple[str, str, str], str] = {}


def _app_modules():
    for app in DOMAIN_APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield app, path


def _type_checking_lines(tree) -> set[int]:
    """Lines inside `if TYPE_CHECKING:` blocks (annotations only, never run)."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for inner in node.body:
                lines.update(range(inner.lineno, (inner.end_lineno or inner.lineno) + 1))
    return lines


def _models_imports(app, path):
    """(line, "other_app.models", name) for each import of another domain app's models."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skip = _type_checking_lines(tree)
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            parts = node.module.split(".")
            if parts[0] in DOMAIN_APPS and parts[0] != app:
                if len(parts) > 1 and parts[1] == "models":
                    for alias in node.names:
                        yield node.lineno, ".".join(parts[:2]), alias.name
                elif node.module == parts[0]:  # from brands import models
                    for alias in node.names:
                        if alias.name == "models":
                            yield node.lineno, f"{parts[0]}.models", "*"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] in DOMAIN_APPS and parts[0] != app and parts[1:2] == ["models"]:
                    yield node.lineno, ".".join(parts[:2]), "*"


def _violations():
    found = []
    for app, path in _app_modules():
        rel = path.relative_to(ROOT).as_posix()
        for line, module, name in _models_imports(app, path):
            if name in ALLOWED.get(module, {}) or (rel, module, name) in EXCEPTIONS:
                continue
            found.append(f"{rel}:{line}: imports {module}.{name}")
    return found


def test_apps_read_each_other_only_through_selectors_and_services():
    violations = _violations()
    assert not violations, (
        "Cross-app model imports (use the other app's selectors/services, or add an "
        "explained entry to tests/test_boundaries.py):\n" + "\n".join(violations)
    )


def test_exceptions_are_still_needed():
    """An exception whose import is gone is removed from the list, so it cannot hide a new one."""
    seen = {
        (path.relative_to(ROOT).as_posix(), module, name)
        for app, path in _app_modules()
        for _line, module, name in _models_imports(app, path)
    }
    assert set(EXCEPTIONS) <= seen, set(EXCEPTIONS) - seen


CASES = [
    ("from brands.models import Brand\n", [(1, "brands.models", "Brand")]),
    ("def f():\n    from evaluation.models import Period\n", [(2, "evaluation.models", "Period")]),
    ("import flagship.models\n", [(1, "flagship.models", "*")]),
    ("from brands import models\n", [(1, "brands.models", "*")]),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from brands.models import X\n", []),
    ("from .models import Own\nfrom brands.selectors import coverage\n", []),
    ("from bulletins.models import Bulletin\n", []),  # its own app
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_the_check_sees_every_form_of_import(tmp_path, source, expected):
    module = tmp_path / "mod.py"
    module.write_text(source, encoding="utf-8")
    assert list(_models_imports("bulletins", module)) == expected
