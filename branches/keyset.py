"""Keyset pagination for the org list: a page is "the next 50 units after this path", read
off the path index, however deep. The page-number pagination it replaces skipped `offset` rows
with their joined region and secretary (~9 ms at the middle page of 100,000 branches, growing
with the depth).

The page links carry the path of the row they continue from (`after` for the next page,
`before` for the previous one) next to the page number shown; the first page needs none and
the last page is read backwards from the end. Only a page number typed by hand (no key) still
skips rows, on the index first (`BoundedPaginator(late_rows=True)`). The order is the tree
order, `path`, which is unique: no row is shown twice or skipped between pages, even when
units are added meanwhile (they appear where they belong)."""

from django.core.paginator import Page

from common.pagination import BoundedPaginator

#: The query parameters of the keys (the path of the last row before / first row after).
AFTER, BEFORE = "after", "before"
KEY = "path"
#: Paths are short (steplen 4 × depth); a longer key is not one of ours.
MAX_KEY = 255


class KeysetPage(Page):
    """A page read by key: whether there is a page before or after comes from the rows read
    (one more than the page), not from the page number the link carried."""

    def __init__(self, object_list, number, paginator, *, has_previous, has_next):
        super().__init__(object_list, number, paginator)
        self._has_previous, self._has_next = has_previous, has_next
        if has_next and number >= paginator.num_pages:  # a stale number: keep the links sane
            self.number = max(1, paginator.num_pages - 1)
        if has_previous and self.number <= 1:
            self.number = 2

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self._has_previous

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return max(1, self.number - 1)


def _key(request, name) -> str:
    value = request.GET.get(name, "")
    return value if 0 < len(value) <= MAX_KEY else ""


def _number(paginator, raw) -> int:
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), paginator.num_pages)


def keyset_paginate(request, queryset, per_page, *, count=None, max_rows=None):
    """The requested page of `queryset` (ordered by path) and the query string without the
    paging parameters, for the links (`branches/_keyset_pagination.html`)."""
    paginator = BoundedPaginator(
        queryset, per_page, count=count, max_rows=max_rows, late_rows=False
    )
    number = _number(paginator, request.GET.get("page"))
    after, before = _key(request, AFTER), _key(request, BEFORE)
    query = request.GET.copy()
    for name in ("page", AFTER, BEFORE):
        query.pop(name, None)
    if after:
        rows = list(queryset.filter(**{f"{KEY}__gt": after}).order_by(KEY)[: per_page + 1])
        page = KeysetPage(
            rows[:per_page],
            number,
            paginator,
            has_previous=True,
            has_next=len(rows) > per_page and number < paginator.num_pages,
        )
    elif before:
        rows = list(queryset.filter(**{f"{KEY}__lt": before}).order_by(f"-{KEY}")[: per_page + 1])
        page = KeysetPage(
            rows[:per_page][::-1],
            number,
            paginator,
            has_previous=len(rows) > per_page,
            has_next=True,
        )
    elif number > 1 and number == paginator.num_pages and not paginator.capped:
        # the last page: its rows are the last ones, read backwards off the index
        size = paginator.count - (number - 1) * per_page
        rows = list(queryset.order_by(f"-{KEY}")[:size])[::-1]
        page = KeysetPage(rows, number, paginator, has_previous=True, has_next=False)
    else:
        # the first page, or a typed page number: then skip index entries, not rows
        paginator.late_rows = number > 1
        page = paginator.page(number)
    rows = list(page.object_list)
    page.object_list = rows
    page.after_key = getattr(rows[-1], KEY) if rows else ""
    page.before_key = getattr(rows[0], KEY) if rows else ""
    return page, query.urlencode()
