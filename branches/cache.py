"""Cached figures of the org tree (counts per scope) and their invalidation.

The tree changes rarely (an import, an admin edit) but is counted on every dashboard and list;
on 100,000 branches a count is a scan. Cached figures are keyed by a tree version that every
change of the tree replaces, and expire after TTL in any case."""

import hashlib
import secrets

from django.core.cache import cache

VERSION_KEY = "orgtree:version"
TTL = 600


def new_version() -> int:
    """A version no earlier one equals. Not the clock: a frozen or repeated clock (a test under
    time-machine, two bumps in one tick) would give the same value and keep stale figures."""
    return secrets.randbits(62)


def current_versions(keys) -> dict[str, int]:
    """The version stored under each of `keys`, one made (`new_version`) where there is none
    yet. `add`, not `set`: a version bumped meanwhile by another process is kept. The apps'
    cached figures are keyed by such versions; bumping one drops every figure keyed by it."""
    keys = list(keys)
    found = cache.get_many(keys)
    if len(found) < len(keys):
        for key in set(keys) - found.keys():
            cache.add(key, new_version(), None)
        found = cache.get_many(keys)
    # With the cache unreachable (config/cache.py) nothing is stored or found: any version
    # serves, since no figure keyed by it can be stored either.
    return {key: found.get(key, 0) for key in keys}


def current_version(key: str) -> int:
    return current_versions([key])[key]


def scope_digest(paths: list[str]) -> str:
    """A short, stable cache-key part for a reader's scope (its path prefixes)."""
    return hashlib.sha1("|".join(paths).encode(), usedforsecurity=False).hexdigest()


def tree_version() -> int:
    return current_version(VERSION_KEY)


def tree_changed() -> None:
    """Call after any write to the tree (save, move, delete, bulk load)."""
    cache.set(VERSION_KEY, new_version(), None)


def cached_for_scope(name: str, paths: list[str], compute):
    key = f"orgtree:{name}:{tree_version()}:{scope_digest(paths)}"
    return cache.get_or_set(key, compute, TTL)
