"""A request id on every log line of a request, and in its response.

`RequestIdMiddleware` (first in MIDDLEWARE) takes the id a proxy or a client sent in
X-Request-ID when it is a plausible token (at most 64 letters, digits, '-', '_', '.'), or
makes one, keeps it in a context variable for the request's duration and returns it in the
response's X-Request-ID header. `RequestIdFilter`, on the log handlers (settings.LOGGING),
writes it into each record as `request_id` ("-" outside a request), so the text and the JSON
formats both carry it, and an operator can follow one request through the log."""

import contextvars
import re
import uuid

HEADER = "X-Request-ID"
_ACCEPTED = re.compile(r"[A-Za-z0-9._-]{1,64}")

current = contextvars.ContextVar("request_id", default="-")


def _incoming(request) -> str | None:
    value = request.headers.get(HEADER, "")
    return value if _ACCEPTED.fullmatch(value) else None


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _incoming(request) or uuid.uuid4().hex
        request.request_id = request_id
        token = current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter:
    """A logging filter that never drops a record, only adds `request_id` to it."""

    def filter(self, record) -> bool:
        request_id = current.get()
        if request_id == "-":
            # Django logs a 4xx/5xx response ("Not Found: …") after the middleware has
            # returned; the record carries the request, which carries its id.
            request_id = getattr(getattr(record, "request", None), "request_id", "-")
        record.request_id = request_id
        return True
