"""Browser journeys: Playwright in the system Chromium against pytest-django's live server.

Later journeys (brands, evaluation, flagship) reuse the fixtures here: `page` (zh-CN desktop page
that fails the test on console errors, CSP violations or broken assets), `login`, `org`.
"""

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop running in the main thread, so Django's async-safety
# check would refuse every ORM call made by the test itself (factories, assertions on the database).
# The sync API never runs our code concurrently, which is what the documented opt-out assumes.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "demo-pass-123"  # tests.factories.UserFactory
E2E_DIR = Path(__file__).resolve().parent
_REPORTS = pytest.StashKey[dict]()

# Sent by the page to Python on every `securitypolicyviolation` event, from any document.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__e2eCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || e.documentURI}:${e.lineNumber}`);
});
"""


def pytest_collection_modifyitems(config, items):
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


def _unavailable(reason):
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"required service unavailable: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """Replaces pytest-playwright's: the system Chromium, since no browser download is possible."""
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser(playwright, browser_type_launch_args):
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    browser = playwright.chromium.launch(**browser_type_launch_args)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def browser_context_args():
    return {
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "viewport": {"width": 1366, "height": 900},
    }


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, started with SECURE_SSL_REDIRECT off.

    SecurityMiddleware reads SECURE_SSL_REDIRECT once, when the server thread builds its handler,
    so overriding it per test (the `settings` fixture) comes too late for a session-scoped server:
    every page would 301 to https:// and Chromium would fail with ERR_SSL_PROTOCOL_ERROR.
    """
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    addr = (
        request.config.getvalue("liveserver")
        or os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    plain_http = override_settings(SECURE_SSL_REDIRECT=False)
    plain_http.enable()
    try:
        server = LiveServer(addr)
    finally:
        plain_http.disable()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _plain_http(settings):
    # The live server speaks plain HTTP (cookies marked Secure would never be sent back) and
    # serves static files from the source folders, without collectstatic's manifest.
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


class BrowserProblems:
    """What the browser complained about while the test ran. A page answered with an error
    status on purpose (403, 429) is expected; its own "Failed to load resource" line is not
    counted, but a broken stylesheet, script or font is."""

    def __init__(self):
        self.console_errors = []
        self.page_errors = []
        self.csp_violations = []
        self.bad_responses = []
        self._error_documents = set()

    def on_console(self, message):
        if message.type != "error":
            return
        url = message.location.get("url", "")
        if message.text.startswith("Failed to load resource") and url in self._error_documents:
            return  # a page that answers 403/404/429 on purpose
        self.console_errors.append(f"{message.text} ({url})")

    def on_response(self, response):
        if response.status < 400:
            return
        if response.request.resource_type == "document":
            self._error_documents.add(response.url)
        else:
            self.bad_responses.append(f"{response.status} {response.url}")

    def on_request_failed(self, request):
        if request.failure == "net::ERR_ABORTED":
            return  # left behind by a navigation; a missing file is caught by its 404 above
        self.bad_responses.append(f"failed {request.url}: {request.failure}")

    def summary(self):
        lines = []
        for title, found in (
            ("console errors", self.console_errors),
            ("uncaught exceptions", self.page_errors),
            ("CSP violations", self.csp_violations),
            ("failed sub-resources", self.bad_responses),
        ):
            lines += [f"{title}:", *(f"  {x}" for x in found)] if found else []
        return "\n".join(lines)


def _screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    try:
        page.screenshot(path=path, full_page=True)
    except Exception:  # a broken page must not hide the original failure
        return None
    return path


@pytest.fixture
def page(request, browser, browser_context_args, live_server):
    """A fresh context per test, base URL on the live server. On failure a full-page screenshot
    goes to test-artifacts/<test name>.png; any browser problem fails the test at teardown."""
    context = browser.new_context(**{**browser_context_args, "base_url": live_server.url})
    context.set_default_timeout(10_000)
    problems = BrowserProblems()
    context.expose_function("__e2eCspViolation", lambda text: problems.csp_violations.append(text))
    context.add_init_script(_CSP_LISTENER)
    page = context.new_page()
    page.on("console", problems.on_console)
    page.on("pageerror", lambda exc: problems.page_errors.append(str(exc)))
    page.on("response", problems.on_response)
    page.on("requestfailed", problems.on_request_failed)
    page.problems = problems
    yield page

    reports = request.node.stash.get(_REPORTS, {})
    failed = any(r.failed for r in reports.values())
    found = problems.summary()
    if failed or found:
        # pytest-playwright parametrizes every browser test by browser name: leave that out
        _screenshot(page, request.node.name.replace("[chromium]", ""))
    context.close()
    if found and not failed:
        pytest.fail(f"the browser reported problems:\n{found}", pytrace=False)


def login(page, live_server, username, password=PASSWORD):
    """Sign in through the real login form; returns once the next page has loaded (the
    dashboard, or the form again with an error, or the lockout page)."""
    page.goto(f"{live_server.url}/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    return page


#: The two screens every journey of a phone-first page runs at.
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(SIZES))
def screen(request, page):
    """Run the test at 1366×900 and again at a phone's 390×844; yields the size's name."""
    page.set_viewport_size(SIZES[request.param])
    return request.param


def assert_no_horizontal_scroll(page):
    """Nothing on the page is wider than the screen (a phone user never scrolls sideways),
    measured on the finished page: loaded, its fonts (the icon font too) in place."""
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, (
        f"the page is {overflow}px wider than the screen at {page.url}; "
        f"sticking out: {page.evaluate(WIDEST_ELEMENTS)}"
    )


# The innermost elements whose right edge passes the screen's, so a failure names what to fix.
WIDEST_ELEMENTS = """() => {
  const width = document.documentElement.clientWidth;
  const out = [...document.body.querySelectorAll('*')].filter(
    (el) => el.getBoundingClientRect().right > width + 0.5
  );
  return out
    .filter((el) => !out.some((other) => other !== el && el.contains(other)))
    .slice(0, 5)
    .map((el) => `<${el.tagName.toLowerCase()} class="${el.className}"> `
      + `right=${Math.round(el.getBoundingClientRect().right)} `
      + `text="${(el.textContent || '').trim().slice(0, 40)}"`);
}"""


@pytest.fixture
def artifacts_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
