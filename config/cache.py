"""The shared cache as an optimisation, never a dependency: Django's Redis cache, but a Redis
that cannot be reached (down, restarting, a full network queue) reads as a miss and writes as a
no-op, so every page serves from the database meanwhile instead of answering 500.

Every cached figure in the portal (`branches.cache`, `brands.cache`, `evaluation.cache`) is
derived from the database and keyed by versions, so a miss only costs the query it saved. A
version bump lost while Redis was away leaves figures cached before the outage visible until
their TTL (10 minutes) at most; that is the price of not failing the write that bumped it.

Used automatically when CACHE_URL is a redis:// URL (config/settings.py). A failure is logged
as one warning per WARN_EVERY seconds per process, not once per call.
"""

import functools
import logging
import threading
import time

import redis
from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)

#: Seconds to wait for Redis to accept a connection or answer, before treating it as away.
#: A page makes a handful of cache calls; at these bounds it still answers within a second or
#: two while Redis is blackholed (refused connections fail at once).
CONNECT_TIMEOUT = 0.25
SOCKET_TIMEOUT = 0.5
WARN_EVERY = 60.0

#: What "Redis is away" raises (redis-py wraps refused, reset and timed-out sockets in these).
UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

_warned_at = 0.0
_warn_lock = threading.Lock()


def _warn(operation: str, exc: Exception) -> None:
    global _warned_at
    with _warn_lock:
        now = time.monotonic()
        if now - _warned_at < WARN_EVERY and _warned_at:
            return
        _warned_at = now
    log.warning(
        "cache unreachable (%s: %s); serving from the database, next warning in %ss",
        operation,
        exc.__class__.__name__,
        int(WARN_EVERY),
    )


def _soft(fallback):
    """Wrap a cache method: an unreachable Redis gives `fallback(*args, **kwargs)` instead."""

    def wrap(method):
        @functools.wraps(method)
        def soft(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as exc:
                _warn(method.__name__, exc)
                return fallback(*args, **kwargs)

        return soft

    return wrap


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


class FailSoftRedisCache(RedisCache):
    """`RedisCache` whose reads miss and whose writes do nothing while Redis is unreachable."""

    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", CONNECT_TIMEOUT)
        options.setdefault("socket_timeout", SOCKET_TIMEOUT)
        super().__init__(server, params)

    get = _soft(lambda key, default=None, version=None: default)(RedisCache.get)
    get_many = _soft(lambda *args, **kwargs: {})(RedisCache.get_many)
    has_key = _soft(_false)(RedisCache.has_key)
    add = _soft(_false)(RedisCache.add)
    set = _soft(_nothing)(RedisCache.set)
    set_many = _soft(lambda data, *args, **kwargs: list(data))(RedisCache.set_many)
    touch = _soft(_false)(RedisCache.touch)
    delete = _soft(_false)(RedisCache.delete)
    delete_many = _soft(_nothing)(RedisCache.delete_many)
    clear = _soft(_nothing)(RedisCache.clear)

    def reachable(self) -> bool:
        """Whether Redis answers now (for /healthz); never raises."""
        try:
            return bool(self._cache.get_client(write=False).ping())
        except UNREACHABLE:
            return False
