"""品牌重塑 under contention, on real PostgreSQL connections: two starts of the same brand's
reshaping make one; two province reviewers approving the last level at once replace the
brand once (one new revision, one audit entry)."""

from brands import reshaping as reshapes
from brands import services
from brands.models import BrandApplication, Reshaping, Revision
from tests.conftest import run_concurrently
from tests.factories import Org, UserFactory, grant
from workflow.models import AuditEntry
from workflow.transitions import AlreadyHandled, TransitionError

from .conftest import CONTENT, png_upload

CHAIN = ("general_branch_reviewer", "city_reviewer", "province_reviewer")


def _approved(org):
    app = services.save_application_draft(
        actor=org.users["secretary"], unit=org.a1, data=CONTENT, logo=png_upload()
    )
    app = services.submit_application(actor=org.users["secretary"], pk=app.pk)
    for role in CHAIN:
        app = services.approve_application(actor=org.users[role], pk=app.pk)
    return app


def test_two_starts_make_one_reshaping(transactional_db, postgres):
    org = Org()
    app = _approved(org)
    start = lambda: reshapes.start_reshaping(  # noqa: E731
        actor=org.users["secretary"], application=app
    )
    results = run_concurrently(start, start)
    assert sum(isinstance(r, Reshaping) for r in results) == 1, results
    assert sum(isinstance(r, TransitionError) for r in results) == 1, results
    assert Reshaping.objects.count() == 1


def test_two_last_approvals_replace_the_brand_once(transactional_db, postgres):
    org = Org()
    colleague = grant(UserFactory(username="rev_p2"), org.province, "province_reviewer")
    app = _approved(org)
    r = reshapes.start_reshaping(actor=org.users["secretary"], application=app)
    r = reshapes.save_reshaping_draft(
        actor=org.users["secretary"], reshaping=r, data={"name": "红色引擎2.0"}
    )
    r = reshapes.submit_reshaping(actor=org.users["secretary"], pk=r.pk)
    for role in CHAIN[:2]:
        r = reshapes.approve_reshaping(actor=org.users[role], pk=r.pk)
    seen = reshapes.RESHAPING.version_of(r)
    results = run_concurrently(
        lambda: reshapes.approve_reshaping(
            actor=org.users["province_reviewer"], pk=r.pk, expected_version=seen
        ),
        lambda: reshapes.approve_reshaping(actor=colleague, pk=r.pk, expected_version=seen),
    )
    assert sum(isinstance(x, Reshaping) for x in results) == 1, results
    assert sum(isinstance(x, AlreadyHandled) for x in results) == 1, results
    brand = BrandApplication.objects.get(pk=app.pk)
    assert (brand.name, brand.revision_number) == ("红色引擎2.0", 2)
    assert Revision.objects.filter(application=brand).count() == 2
    assert AuditEntry.objects.filter(object_id=brand.pk, action=reshapes.RESHAPED).count() == 1
