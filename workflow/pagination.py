"""Pagination that stays cheap on a province of 100,000 branches.

Counting every matching row (`SELECT COUNT(*)`) and jumping to deep offsets both cost time
proportional to the data. Lists here count at most `max_rows` (shown as "10000+"), let the
caller supply a count it already knows (e.g. treebeard's numchild, or a cached subtree size),
and never go deeper than that: beyond it, people filter rather than page."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

MAX_ROWS = 10_000


class BoundedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, count=None, max_rows=None):
        super().__init__(object_list, per_page)
        self._known_count = count
        self.max_rows = max_rows or MAX_ROWS

    @cached_property
    def count(self):
        if self._known_count is not None:
            return min(self._known_count, self.max_rows)
        rows = self.object_list
        if hasattr(rows, "order_by"):
            rows = rows.order_by()  # how many, not which: the count needs no sort
        return rows[: self.max_rows + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.max_rows or (
            self._known_count is not None and self._known_count > self.max_rows
        )


def paginate(request, queryset, per_page, *, count=None, param="page"):
    """The requested page (bad or out-of-range numbers give the nearest valid page), and the
    query string without the page number, for the pagination links."""
    page = BoundedPaginator(queryset, per_page, count=count).get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    return page, query.urlencode()
