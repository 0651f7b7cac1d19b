"""bench/load_client.py, the load bench's HTTP client: what it reads from a page (the forms a
browser would submit, the links) and from the wire (chunked and sized bodies, cookies, a
kept-alive connection the server closed). No database: a loopback asyncio server answers."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from bench.load_client import Browser, Recorder, forms, links

PAGE = """
<form method="post" id="decision"><input type="hidden" name="csrfmiddlewaretoken" value="t&amp;1">
  <input type="hidden" name="expected_version" value="7">
  <textarea name="comment">意见</textarea>
  <input type="checkbox" name="remember"><input type="checkbox" name="ok" checked>
  <select name="city"><option value="">全部</option>
    <option value="3" selected>杭州</option></select>
  <select name="level"><option value="a">A</option></select>
  <input type="file" name="logo">
  <button type="submit" formaction="/brands/5/act/approve/">通过</button>
</form>
<form action="/logout/" method="post"></form>
<a href="/brands/5/">x</a><a href="/brands/5/logo/">y</a>
<a href="/brands/6/">z</a><a href="/brands/5/">x</a>
"""


def run_in_own_loop(coroutine_function):
    """asyncio.run in a thread of its own: a browser test earlier in the same process (sync
    Playwright) leaves an event loop running in the main thread, where asyncio.run refuses."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine_function()).result(timeout=60)


def test_forms_submit_what_a_browser_would():
    decision, logout = forms(PAGE)
    assert decision.attrs["id"] == "decision" and decision.action is None
    assert decision.fields == [
        ("csrfmiddlewaretoken", "t&1"),
        ("expected_version", "7"),
        ("comment", "意见"),
        ("ok", "on"),
        ("city", "3"),
        ("level", "a"),
    ]
    assert decision.formactions == ["/brands/5/act/approve/"]
    assert logout.action == "/logout/" and logout.fields == []


def test_links_match_whole_hrefs_once():
    assert links(PAGE, r"/brands/\d+/") == ["/brands/5/", "/brands/6/"]


def test_bodies_cookies_and_a_closed_keep_alive_connection():
    answers = [
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nSet-Cookie: csrftoken=abc; Path=/\r\n"
        b"\r\n3\r\nfoo\r\n4\r\nbar!\r\n0\r\n\r\n",
        b"HTTP/1.1 302 Found\r\nLocation: https://127.0.0.1/next/?a=1\r\nContent-Length: 0\r\n"
        b'Set-Cookie: sessionid=s1; HttpOnly\r\nSet-Cookie: csrftoken=""; Max-Age=0\r\n\r\n',
    ]
    seen = []

    async def serve(reader, writer):
        # one request per connection, then close: the client's kept-alive connection is dead
        head = await reader.readuntil(b"\r\n\r\n")
        seen.append(head.decode())
        writer.write(answers[len(seen) - 1] if len(seen) <= len(answers) else b"")
        await writer.drain()
        writer.close()

    async def run():
        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        browser = Browser(server.sockets[0].getsockname()[1])
        first = await browser.get("/a/")
        second = await browser.post("/b/", [("x", "1")])
        browser.close()
        server.close()
        return first, second, browser.cookies

    first, second, cookies = run_in_own_loop(run)
    assert (first.status, first.body) == (200, b"foobar!")
    assert (second.status, second.location) == (302, "/next/?a=1")
    assert cookies == {"sessionid": "s1"}
    assert "X-Forwarded-Proto: https" in seen[0]
    assert "Cookie: csrftoken=abc" in seen[1] and "Origin: https://127.0.0.1:" in seen[1]


def test_recorder_counts_the_window_and_the_percentiles():
    rec = Recorder()
    for ms in range(1, 101):
        rec.times["page"].append(ms / 1000)
    rec.errors["page"]["HTTP 500"] += 2
    (row,) = rec.rows()
    assert (row["ok"], row["errors"], row["p50_ms"], row["p95_ms"], row["p99_ms"]) == (
        100,
        2,
        50.0,
        95.0,
        99.0,
    )


def test_think_time_pauses_start_users_at_the_steady_rate_and_end_with_the_phase():
    """bench/load.py --think: a phase's first pause is the rest of a pause caught at a random
    moment (mean 2/3 of the mean pause), so 200 users do not all send at the phase's start; no
    pause outlasts the phase."""
    import random
    import time

    from bench.load import pause, pause_seconds

    rng = random.Random(7)
    later = [pause_seconds(rng, 10) for _ in range(20000)]
    first = [pause_seconds(rng, 10, first=True) for _ in range(20000)]
    assert all(0 <= x <= 20 for x in later + first)
    assert abs(sum(later) / len(later) - 10) < 0.2
    assert abs(sum(first) / len(first) - 20 / 3) < 0.2
    # Most first pauses are short, as they are for users caught mid-pause: P(x < 5) = 7/16.
    assert abs(sum(x < 5 for x in first) / len(first) - 7 / 16) < 0.02

    rec = Recorder()
    rec.deadline = time.monotonic() + 0.05

    async def phase_end():
        started = time.monotonic()
        await pause(random.Random(1), 3600, rec)
        return time.monotonic() - started

    assert run_in_own_loop(phase_end) < 30  # cut at the deadline, not an hour's pause
