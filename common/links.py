"""Links to many objects of one kind on one page, reversed once.

`{% url 'brands:detail' app.pk %}` in a list's row runs the URL resolver's `reverse()` for
every row, ~25 µs each: 1–1.5 ms of a 50-row list page (issue #19, bench/requests.py).
`pk_link("brands:detail")` reverses once per call and returns a function writing the same URL
for any pk: a view calls it once per page and sets each row's link."""

from collections.abc import Callable

from django.urls import reverse

#: A pk no row has, standing in for the row's pk in the one reversed URL.
_MARKER = 9876543210123


def pk_link(name: str) -> Callable[[int], str]:
    """`lambda pk: reverse(name, args=[pk])` for a URL whose only argument is an integer pk,
    reversed once (with the current script prefix and URL configuration)."""
    head, marker, tail = reverse(name, args=[_MARKER]).rpartition(str(_MARKER))
    if not marker:  # the pattern does not write its argument as given
        return lambda pk: reverse(name, args=[pk])
    return lambda pk: f"{head}{int(pk)}{tail}"
