"""Cached figures of the org tree (counts per scope) and their invalidation.

The tree changes rarely (an import, an admin edit) but is counted on every dashboard and list;
on 100,000 branches a count is a scan. Cached figures are keyed by a tree version that every
change of the tree replaces, and expire after TTL in any case."""

import hashlib
import time

from django.core.cache import cache

VERSION_KEY = "orgtree:version"
TTL = 600


def tree_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY)
    return version


def tree_changed() -> None:
    """Call after any write to the tree (save, move, delete, bulk load)."""
    cache.set(VERSION_KEY, time.time_ns(), None)


def cached_for_scope(name: str, paths: list[str], compute):
    digest = hashlib.sha1("|".join(paths).encode(), usedforsecurity=False).hexdigest()
    return cache.get_or_set(f"orgtree:{name}:{tree_version()}:{digest}", compute, TTL)
