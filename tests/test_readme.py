"""The README tells a newcomer what the issue #14 (item 11) asked: which demo login does what,
with the password seed_demo sets, how to change the port and debug mode (as scripts/dev does
it), and that production needs collectstatic."""

import re
from pathlib import Path

from branches.demo import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DEV = (ROOT / "scripts" / "dev").read_text(encoding="utf-8")


def _section(title):
    return README.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_the_demo_logins_are_listed_with_their_password_and_what_to_try():
    logins = _section("Demo logins")
    assert f"`{DEMO_PASSWORD}`" in logins
    rows = [r for r in logins.splitlines() if r.startswith("| `")]
    named = " ".join(r.split("|")[1] for r in rows)
    for login in ("admin", "province", "jury1", "jury2", "general1", "secretary1", "member"):
        assert f"`{login}`" in named, login
    assert re.search(r"`city_\w+`", named)  # the committees' reviewers
    assert all(len(r.split("|")[3].strip()) > 20 for r in rows)  # each says what to try


def test_port_debug_and_collectstatic_are_explained_as_scripts_dev_does_them():
    assert "PORT=" in README and "${PORT:-127.0.0.1:8000}" in DEV
    assert "`127.0.0.1:8000`" in README  # the default the table names is the script's
    assert "DEBUG=${DEBUG:-1}" in DEV and "sets `DEBUG=1`" in README
    assert "collectstatic" in README
