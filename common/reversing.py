"""URLs of a page's many rows: `reverse` costs ~50 µs a call (the resolver's look-up, the
script prefix, quoting), a row's link differs from its neighbour's by its id only."""

from collections.abc import Callable

from django.urls import reverse

#: An id no row has, reversed in its place and then replaced by each row's id.
MARKER = 2147483647


def pk_url(viewname: str) -> Callable[[int], str]:
    """`reverse(viewname, args=[pk])` for many integer pks of one page: reversed once (per
    call of `pk_url`, not cached across requests) with a marker id, which each pk replaces.
    For a URL pattern whose only argument is an `<int:…>` id."""
    prefix, found, suffix = reverse(viewname, args=[MARKER]).rpartition(str(MARKER))
    if not found:  # pragma: no cover -- a pattern that does not write its argument as is
        return lambda pk: reverse(viewname, args=[pk])
    return lambda pk: f"{prefix}{int(pk)}{suffix}"
