"""Shared checks of the 历史版本 pages (brand applications, flagship candidacies): each
submitted revision of an object has its own read-only page, linked from the object's page."""

from django.urls import reverse


def first_revision(route, found):
    """unit → the URL (`route`) of revision 1 of the unit's object in `found` (by unit code),
    the shape `assert_permission_matrix` takes."""
    return lambda unit: reverse(route, args=[found[unit.code].revisions.get(number=1).pk])


def linked_revisions(client, org, obj, *, detail_route, revision_route):
    """As the city reviewer: the object's page links every revision; returns the page of
    revision 1 (decoded) for the caller's checks of what was submitted."""
    client.force_login(org.users["city_reviewer"])
    detail = client.get(reverse(detail_route, args=[obj.pk])).content.decode()
    for rev in obj.revisions.all():
        assert reverse(revision_route, args=[rev.pk]) in detail
    rev = obj.revisions.get(number=1)
    page = client.get(reverse(revision_route, args=[rev.pk])).content.decode()
    assert "第1版" in page and "只读" in page
    assert "<form" not in page.split('data-testid="revision"')[1]  # nothing to edit
    return page


def assert_unknown_revision_is_404(client, org, revision_route):
    client.force_login(org.users["admin"])
    assert client.get(reverse(revision_route, args=[999])).status_code == 404
