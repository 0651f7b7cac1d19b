"""`common.reversing.pk_url` writes what `reverse` writes, one reverse for a page's rows."""

import pytest
from django.urls import reverse, set_script_prefix

from common.reversing import pk_url


@pytest.mark.parametrize("name", ["ledger:compliance", "ledger:compliance_unit", "brands:detail"])
def test_pk_url_is_reverse(name):
    url = pk_url(name)
    for pk in (1, 7, 42, 2147483646, 10**12):
        assert url(pk) == reverse(name, args=[pk])


def test_pk_url_keeps_the_script_prefix():
    set_script_prefix("/portal/")
    try:
        assert pk_url("ledger:compliance")(5) == reverse("ledger:compliance", args=[5])
        assert pk_url("ledger:compliance")(5).startswith("/portal/")
    finally:
        set_script_prefix("/")
