"""Reads of the printed ledgers: a branch's, one for its page."""

from django.db.models import QuerySet

from ..models import LedgerPrint


def prints_of(branch) -> QuerySet[LedgerPrint]:
    """The branch's printed ledgers, newest period first (one query)."""
    return LedgerPrint.objects.filter(branch=branch).select_related("requested_by")


def print_for_page(pk) -> LedgerPrint:
    return LedgerPrint.objects.select_related("branch", "requested_by").get(pk=pk)
