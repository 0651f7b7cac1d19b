"""The load bench's client side (bench/load.py): a small asyncio HTTP/1.1 client that keeps one
connection per simulated user (as a browser does), its cookies, the HTML forms it reads, and
the timings it records. No third-party client: the standard library's asyncio streams cost a
fraction of a millisecond of CPU per request, so the client takes little of the machine it
shares with the server it measures (bench/load.py prints its CPU time)."""

import asyncio
import math
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

HOST = "127.0.0.1"
TIMEOUT = 30.0  # seconds a request may take before it counts as an error


class RequestFailed(Exception):
    """No HTTP answer: refused or reset connection, timeout, malformed response."""


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    cookies: list[str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        """The path a redirect points to (absolute URLs reduced to their path and query)."""
        parts = urlsplit(self.headers.get("location", ""))
        return parts.path + (f"?{parts.query}" if parts.query else "")


class Browser:
    """One simulated user: a keep-alive connection, a cookie jar, and nothing else shared.

    Requests say they come through a TLS-terminating proxy (X-Forwarded-Proto, honoured by
    SECURE_PROXY_SSL_HEADER), so the production settings' HTTPS redirect and secure cookies stay
    on; POSTs carry the Origin Django's CSRF check compares with the host."""

    def __init__(self, port: int):
        self.port = port
        self.origin = f"https://{HOST}:{port}"
        self.cookies: dict[str, str] = {}
        self._reader = self._writer = None
        self._used = False  # the open connection has carried a request already

    async def get(self, path: str) -> Response:
        return await self.request("GET", path)

    async def post(self, path: str, fields: list[tuple[str, str]]) -> Response:
        return await self.request("POST", path, urlencode(fields).encode())

    async def request(self, method: str, path: str, body: bytes = b"") -> Response:
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {HOST}:{self.port}",
            "X-Forwarded-Proto: https",
            "User-Agent: portal-load-bench",
            "Accept: text/html",
        ]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if method == "POST":
            lines += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
                f"Origin: {self.origin}",
                f"Referer: {self.origin}{path}",
            ]
        data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        try:
            response = await asyncio.wait_for(self._exchange(data), TIMEOUT)
        except TimeoutError:
            self.close()
            raise RequestFailed("timeout") from None
        self._keep(response.cookies)
        return response

    async def _exchange(self, data: bytes) -> Response:
        # A kept-alive connection the server has closed meanwhile (gunicorn's keep-alive
        # timeout) fails at once: that one attempt is repeated on a new connection.
        for attempt in (1, 2):
            reused = self._writer is not None and self._used
            if self._writer is None:
                try:
                    self._reader, self._writer = await asyncio.open_connection(HOST, self.port)
                except OSError as exc:
                    raise RequestFailed(f"connect: {exc.__class__.__name__}") from None
                self._used = False
            try:
                self._writer.write(data)
                await self._writer.drain()
                response = await self._read()
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
                self.close()
                if reused and attempt == 1:
                    continue
                raise RequestFailed(f"connection: {exc.__class__.__name__}") from None
            self._used = True
            if response.headers.get("connection", "").lower() == "close":
                self.close()
            return response
        raise AssertionError("unreachable")

    async def _read(self) -> Response:
        head = await self._reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        try:
            status = int(status_line.split(" ", 2)[1])
        except (IndexError, ValueError):
            raise RequestFailed(f"bad status line {status_line[:40]!r}") from None
        headers, cookies = {}, []
        for line in header_lines:
            if not line:
                continue
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookies.append(value)
            headers[name] = value
        if status in (204, 304) or 100 <= status < 200:
            body = b""
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await self._reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self._reader.readuntil(b"\r\n")  # no trailers are sent
                    break
                chunks.append((await self._reader.readexactly(size + 2))[:-2])
            body = b"".join(chunks)
        elif "content-length" in headers:
            body = await self._reader.readexactly(int(headers["content-length"]))
        else:
            body = await self._reader.read()
            headers["connection"] = "close"
        return Response(status, headers, cookies, body)

    def _keep(self, set_cookies: list[str]) -> None:
        for cookie in set_cookies:
            pair, _, attributes = cookie.partition(";")
            name, _, value = pair.partition("=")
            name, value = name.strip(), value.strip()
            if not value or value == '""' or "max-age=0" in attributes.lower():
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None


# --- HTML forms ---------------------------------------------------------------------------------


@dataclass
class Form:
    action: str | None
    attrs: dict[str, str]
    fields: list[tuple[str, str]] = field(default_factory=list)
    formactions: list[str] = field(default_factory=list)  # buttons' formaction attributes

    def names(self) -> set[str]:
        return {name for name, _value in self.fields}


class _FormParser(HTMLParser):
    """The forms of a page with the values a browser would submit by default (no file
    inputs, no buttons: the caller adds the button it "presses")."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form = None
        self._textarea = None  # (name, [text parts])
        self._select = None  # (name, first value, selected value)

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action"), a)
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "button" and a.get("formaction"):
            self._form.formactions.append(a["formaction"])
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self._form.fields.append((a["name"], a.get("value", default)))
        elif tag == "textarea" and a.get("name"):
            self._textarea = (a["name"], [])
        elif tag == "select" and a.get("name"):
            self._select = [a["name"], None, None]
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select[1] is None:
                self._select[1] = value
            if "selected" in a:
                self._select[2] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea[0], "".join(self._textarea[1])))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, first, selected = self._select
            value = selected if selected is not None else first
            if value is not None:
                self._form.fields.append((name, value))
            self._select = None


def forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def links(html: str, pattern: str) -> list[str]:
    """The hrefs of the page matching the regular expression `pattern` (anchored), unique."""
    found = re.findall(r'href="(' + pattern + ')"', html)
    return list(dict.fromkeys(found))


# --- what was measured -------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


class Recorder:
    """Timings and outcomes per page type of one phase; `deadline` (monotonic) is where the
    phase's throughput window ends (requests still running then finish but are not counted
    in the throughput)."""

    def __init__(self):
        self.started = time.monotonic()
        self.deadline = math.inf
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, Counter] = defaultdict(Counter)
        self.refused: Counter = Counter()  # a form answered with its page again (not an error)
        self.in_window = 0

    def record(self, page: str, started: float, error: str | None = None) -> None:
        ended = time.monotonic()
        if ended <= self.deadline:
            self.in_window += 1
        if error is None:
            self.times[page].append(ended - started)
        else:
            self.errors[page][error] += 1

    def over(self) -> bool:
        return time.monotonic() >= self.deadline

    def window(self) -> float:
        return min(self.deadline, time.monotonic()) - self.started

    def rows(self) -> list[dict]:
        rows = []
        for page in sorted(set(self.times) | set(self.errors)):
            times = self.times.get(page, [])
            row = {
                "page": page,
                "ok": len(times),
                "errors": sum(self.errors[page].values()),
                "error_kinds": dict(self.errors[page].most_common(5)),
            }
            if times:
                row.update(
                    {f"p{q}_ms": round(percentile(times, q / 100) * 1000, 1) for q in (50, 95, 99)}
                )
            rows.append(row)
        return rows

    def summary(self) -> dict:
        window = self.window()
        return {
            "window_s": round(window, 1),
            "requests": sum(len(t) for t in self.times.values()),
            "errors": sum(sum(c.values()) for c in self.errors.values()),
            "refused_forms": dict(self.refused),
            "throughput_rps": round(self.in_window / window, 1) if window > 0 else None,
        }
