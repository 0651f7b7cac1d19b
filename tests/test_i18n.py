"""The English catalog: key pages render in English once the user switches language, every
entry of locale/en/LC_MESSAGES/django.po is translated (none empty, none fuzzy, placeholders
kept), and the shipped django.mo holds exactly the messages of the .po (newcomers have no
gettext tools, so the compiled catalog is committed and must not go stale)."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"
PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%%|\{[a-z_0-9]*\}")


# ---------------------------------------------------------------------------------------------
# A tiny .po reader (no polib in the project): entries with their flags, msgid, msgid_plural
# and msgstr / msgstr[n], obsolete "#~" entries skipped.


def _unquote(line: str) -> str:
    return ast.literal_eval(line)


def read_po(path: Path) -> list[dict]:
    entries, entry, field = [], None, None

    def close():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            close()
            entry, field = None, None
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            field, entry["msgctxt"] = ("msgctxt", None), _unquote(line[8:])
        elif line.startswith("msgid_plural "):
            field, entry["msgid_plural"] = ("msgid_plural", None), _unquote(line[13:])
        elif line.startswith("msgid "):
            field, entry["msgid"] = ("msgid", None), _unquote(line[6:])
        elif line.startswith("msgstr["):
            index = int(line[7 : line.index("]")])
            field = ("msgstr", index)
            entry["msgstr"][index] = _unquote(line[line.index("]") + 1 :].strip())
        elif line.startswith("msgstr "):
            field = ("msgstr", 0)
            entry["msgstr"][0] = _unquote(line[7:])
        elif line.startswith('"') and field is not None:
            name, index = field
            if name == "msgstr":
                entry["msgstr"][index] += _unquote(line)
            else:
                entry[name] += _unquote(line)
        else:
            raise AssertionError(f"unexpected line in {path.name}: {raw!r}")
    close()
    return entries


@pytest.fixture(scope="module")
def po_entries():
    if not PO_FILE.exists():
        pytest.fail(f"{PO_FILE} is missing: run makemessages -l en and translate it")
    return read_po(PO_FILE)


# ---------------------------------------------------------------------------------------------
# (a) Pages in English


@pytest.fixture
def english(client):
    """The visitor chose English in the language switch (the same POST the user menu makes)."""
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_login_page_is_english(english):
    response = english.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    text = _text(response)
    assert "Sign in to the Party Branch Brand Building Management Platform" in text
    assert "Username" in text and "Password" in text
    assert "登录" not in text


def test_login_error_is_english(english, org):
    response = english.post(reverse("login"), {"username": "sec_a1", "password": "wrong"})
    assert "Incorrect username or password; please try again." in _text(response)


PAGES = [
    # (URL name, strings that must appear in English, Chinese source strings that must not)
    ("dashboard", ["Dashboard", "Hello, 孙管理", "My roles", "System administrator"], ["工作台"]),
    ("branches:unit_list", ["Organisations", "Name or code", "Provincial Party Committee"], []),
    ("brands:index", ["Brand building", "Brand applications in your jurisdiction"], ["品牌创建"]),
    ("evaluation:index", ["Assessment", "New assessment period"], ["考核评价"]),
    ("flagship:index", ["Flagship Brand Demonstration Unit Selection"], ["旗舰品牌"]),
]


@pytest.mark.parametrize(("name", "expected", "absent"), PAGES, ids=[p[0] for p in PAGES])
def test_key_pages_render_in_english(english, org, name, expected, absent):
    try:
        url = reverse(name)
    except NoReverseMatch:
        pytest.skip(f"{name} does not resolve")
    english.force_login(org.users["admin"])
    response = english.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    text = _text(response)
    for phrase in expected:
        assert phrase in text, f"{phrase!r} missing from {url}"
    for phrase in absent:
        assert phrase not in text, f"untranslated {phrase!r} on {url}"
    # The shared chrome: navigation and user menu, with the switch back to Chinese.
    for phrase in ("Brand showcase", "Change password", "Sign out", "简体中文"):
        assert phrase in text


def test_chinese_stays_the_default(client, org):
    client.force_login(org.users["admin"])
    html = client.get(reverse("dashboard")).content.decode()
    assert '<html lang="zh-hans"' in html
    assert "工作台" in html and "Dashboard" not in html


def test_python_messages_are_translated():
    with translation.override("en"):
        assert translation.gettext("省公司党委") == "Provincial Party Committee"
        assert translation.gettext("公示") == "Public notice"
        assert translation.ngettext("共 %(n)s 条", "共 %(n)s 条", 1) % {"n": 1} == "1 record"
        assert translation.ngettext("共 %(n)s 条", "共 %(n)s 条", 3) % {"n": 3} == "3 records"
    with translation.override("zh-hans"):
        assert translation.gettext("省公司党委") == "省公司党委"


# ---------------------------------------------------------------------------------------------
# (b) The catalog is complete


def test_catalog_is_complete(po_entries):
    header = next(e for e in po_entries if e["msgid"] == "")
    assert "fuzzy" not in header["flags"]
    assert "Language: en" in header["msgstr"][0]
    messages = [e for e in po_entries if e["msgid"]]
    assert len(messages) > 1000
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    assert not fuzzy, f"fuzzy entries: {fuzzy[:10]}"
    untranslated = [
        e["msgid"]
        for e in messages
        if not e["msgstr"]
        or not all(e["msgstr"].values())
        or ("msgid_plural" in e and sorted(e["msgstr"]) != [0, 1])
    ]
    assert not untranslated, f"{len(untranslated)} untranslated entries: {untranslated[:10]}"


def test_translations_keep_placeholders(po_entries):
    wrong = []
    for e in po_entries:
        if not e["msgid"]:
            continue
        sources = [e["msgid"], e.get("msgid_plural", e["msgid"])]
        for index, text in e["msgstr"].items():
            source = sources[min(index, 1)]
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                wrong.append((e["msgid"], text))
    assert not wrong, f"placeholders differ: {wrong[:5]}"


# ---------------------------------------------------------------------------------------------
# (c) The shipped .mo matches the .po


def test_mo_matches_po(po_entries):
    assert MO_FILE.exists(), "run: manage.py compilemessages -l en --ignore=.venv"
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    expected = {}
    for e in po_entries:
        if not e["msgid"]:
            continue
        key = e["msgid"] if "msgctxt" not in e else f"{e['msgctxt']}\x04{e['msgid']}"
        if "msgid_plural" in e:
            for index, text in e["msgstr"].items():
                expected[(key, index)] = text
        else:
            expected[key] = e["msgstr"][0]
    compiled = {k: v for k, v in compiled.items() if k != ""}
    stale = sorted(str(k) for k in expected.keys() ^ compiled.keys())
    assert not stale, f"django.mo is stale (recompile): {stale[:10]}"
    changed = [k for k in expected if expected[k] != compiled[k]]
    assert not changed, f"django.mo is stale (recompile): {changed[:10]}"


def test_every_workflow_action_and_state_reads_in_english():
    """Labels marked with `_lazy` (the transitions') are collected too: the management command
    `makemessages` adds that keyword (common/management/commands/makemessages.py)."""
    from brands.services import WORKFLOW as brands
    from evaluation.services.assessments import WORKFLOW as evaluation
    from flagship.services.candidacy import WORKFLOW as candidacy
    from flagship.services.cycle import WORKFLOW as cycle

    cjk = re.compile(r"[\u4e00-\u9fff]")
    untranslated = []
    with translation.override("en"):
        for workflow in (brands, evaluation, candidacy, cycle):
            states = workflow.model._meta.get_field(workflow.state_field).choices
            for label in [t.label for t in workflow.transitions] + [s for _v, s in states]:
                if cjk.search(str(label)):
                    untranslated.append(str(label))
    assert not untranslated, f"shown in Chinese in the English UI: {untranslated}"
