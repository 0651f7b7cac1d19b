"""Pagination that stays cheap on a province of 100,000 branches.

Counting every matching row (`SELECT COUNT(*)`) and jumping to deep offsets both cost time
proportional to the data. Lists here count at most `max_rows` (shown as "10000+"), let the
caller supply a count it already knows (e.g. treebeard's numchild, or a cached subtree size),
and never go deeper than that: beyond it, people filter rather than page."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

MAX_ROWS = 10_000
#: A substring search cannot use an index, so counting its matches reads the whole table;
#: searches count fewer (the first 1,000 matches are found long before the end of the table).
SEARCH_MAX_ROWS = 1_000


class BoundedPaginator(Paginator):
    """`late_rows`: find the page's primary keys first, then read those rows. A deep page
    skips `offset` rows; skipping index entries is cheap, skipping whole rows with their
    joined tables (`select_related`) is not. Costs one more query per page."""

    def __init__(self, object_list, per_page, *, count=None, max_rows=None, late_rows=False):
        super().__init__(object_list, per_page)
        self._known_count = count
        self.max_rows = max_rows or MAX_ROWS
        self.late_rows = late_rows

    def _get_page(self, object_list, number, paginator):
        """`object_list` is this page's slice of the rows (Paginator.page cut it)."""
        if self.late_rows and hasattr(object_list, "values_list"):
            ids = list(object_list.values_list("pk", flat=True))
            found = self.object_list.order_by().in_bulk(ids)
            object_list = [found[pk] for pk in ids if pk in found]
        return super()._get_page(object_list, number, paginator)

    @cached_property
    def _rows_seen(self) -> int:
        """The known count, or the matching rows counted up to one past the cap."""
        if self._known_count is not None:
            return self._known_count
        rows = self.object_list
        if hasattr(rows, "order_by"):
            rows = rows.order_by()  # how many, not which: the count needs no sort
        return rows[: self.max_rows + 1].count()

    @property
    def count(self):
        return min(self._rows_seen, self.max_rows)

    @property
    def capped(self) -> bool:
        return self._rows_seen > self.max_rows


def paginate(
    request, queryset, per_page, *, count=None, max_rows=None, late_rows=False, param="page"
):
    """The requested page (bad or out-of-range numbers give the nearest valid page), and the
    query string without the page number, for the pagination links."""
    paginator = BoundedPaginator(
        queryset, per_page, count=count, max_rows=max_rows, late_rows=late_rows
    )
    page = paginator.get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    return page, query.urlencode()
