import pytest
from django.core.exceptions import ValidationError

from brands import services
from brands.models import BrandApplication, Level, Revision, Status
from brands.selectors import applications as selectors
from tests.factories import grant
from workflow.models import AuditEntry, Notification
from workflow.transitions import AlreadyHandled, TransitionError

from .conftest import CONTENT, png_upload

pytestmark = pytest.mark.smoke


def test_submission_goes_up_the_chain_derived_from_the_tree(org, submitted):
    assert submitted.status == Status.IN_REVIEW
    assert submitted.current_level == org.general_a
    assert Notification.objects.filter(recipient=org.users["general_branch_reviewer"]).exists()

    app = services.approve_application(actor=org.users["general_branch_reviewer"], pk=submitted.pk)
    assert (app.status, app.current_level) == (Status.IN_REVIEW, org.city_a)
    app = services.approve_application(actor=org.users["city_reviewer"], pk=app.pk, comment="同意")
    assert app.current_level == org.province
    app = services.approve_application(actor=org.users["province_reviewer"], pk=app.pk)
    assert (app.status, app.current_level, app.approved_at is not None) == (
        Status.IMPLEMENTING,
        None,
        True,
    )
    actions = list(
        AuditEntry.objects.filter(object_id=app.pk)
        .order_by("at", "pk")
        .values_list("action", "actor__username")
    )
    assert actions == [
        ("create", "sec_a1"),
        ("submit", "sec_a1"),
        ("approve", "rev_ga"),
        ("approve", "rev_a"),
        ("approve", "rev_p"),
    ]
    assert Notification.objects.filter(
        recipient=org.users["secretary"], title__contains="已获批立项"
    ).exists()


def test_only_the_reviewer_of_the_current_level_may_decide(org, submitted):
    for role in ("city_reviewer", "province_reviewer", "secretary", "admin"):
        with pytest.raises(TransitionError):
            services.approve_application(actor=org.users[role], pk=submitted.pk)
    with pytest.raises(TransitionError):
        services.approve_application(actor=org.rev_b, pk=submitted.pk)
    assert BrandApplication.objects.get(pk=submitted.pk).current_level == org.general_a


def test_return_needs_a_comment_and_the_resubmission_shows_a_diff(org, submitted):
    reviewer = org.users["general_branch_reviewer"]
    with pytest.raises(TransitionError, match="必须填写意见"):
        services.return_application(actor=reviewer, pk=submitted.pk, comment="  ")
    services.return_application(actor=reviewer, pk=submitted.pk, comment="请细化建设目标")
    app = BrandApplication.objects.get(pk=submitted.pk)
    assert app.status == Status.RETURNED

    services.save_application_draft(
        actor=org.users["secretary"],
        application=app,
        data={**CONTENT, "goal": "三年内实现网络故障处理时长下降50%"},
    )
    app = services.submit_application(actor=org.users["secretary"], pk=app.pk)
    assert (app.revision_number, app.current_level) == (2, org.general_a)  # back to who returned
    assert list(Revision.objects.filter(application=app).values_list("number", flat=True)) == [1, 2]
    old, new, rows = selectors.diff_since_return(app)
    changed = [r for r in rows if r["changed"]]
    assert (old, new, [r["field"] for r in changed]) == (1, 2, ["goal"])
    assert ("5", True) in changed[0]["new"] and ("3", True) in changed[0]["old"]


def test_incomplete_submission_lists_what_is_missing_and_keeps_the_draft(org):
    app = services.save_application_draft(
        actor=org.users["secretary"], unit=org.a1, data={"name": "半成品"}
    )
    with pytest.raises(ValidationError) as exc:
        services.submit_application(actor=org.users["secretary"], pk=app.pk)
    assert "品牌标识" in exc.value.messages[0] and "创建举措" in exc.value.messages[0]
    app.refresh_from_db()
    assert (app.status, app.name, app.revision_number) == (Status.DRAFT, "半成品", 0)
    assert not Revision.objects.exists()


def test_a_branch_has_at_most_one_live_brand(org, draft):
    with pytest.raises(TransitionError, match="已有在建或已建成的品牌"):
        services.save_application_draft(actor=org.users["secretary"], unit=org.a1, data=CONTENT)


def test_after_rejection_the_branch_may_file_again(org, submitted):
    services.reject_application(
        actor=org.users["general_branch_reviewer"], pk=submitted.pk, comment="不符合"
    )
    again = services.save_application_draft(actor=org.users["secretary"], unit=org.a1, data=CONTENT)
    assert again.pk != submitted.pk


def test_a_stale_screen_gets_already_handled(org, submitted):
    seen = services.WORKFLOW.version_of(submitted)
    services.approve_application(actor=org.users["general_branch_reviewer"], pk=submitted.pk)
    # A second reviewer of the general branch still has the old page open.
    colleague = grant(org.users["member"], org.general_a, "reviewer")
    with pytest.raises(AlreadyHandled, match="已被他人处理"):
        services.return_application(
            actor=colleague, pk=submitted.pk, comment="x", expected_version=seen
        )


def test_secretary_of_another_branch_cannot_file_or_edit(org, draft):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.save_application_draft(actor=org.sec_b1, unit=org.a1, data=CONTENT)
    with pytest.raises(TransitionError):
        services.save_application_draft(actor=org.sec_b1, application=draft, data={"name": "篡改"})


def test_lifecycle_acceptance_built_and_provincial(org, submitted):
    from brands.acceptance import score_acceptance
    from tests.brands.test_acceptance import five_force_scores

    app = submitted
    for role in ("general_branch_reviewer", "city_reviewer", "province_reviewer"):
        app = services.approve_application(actor=org.users[role], pk=app.pk)
    app = services.request_acceptance(actor=org.users["secretary"], pk=app.pk)
    assert app.status == Status.ACCEPTANCE
    with pytest.raises(TransitionError):  # the general branch does not judge acceptance
        score_acceptance(
            actor=org.users["general_branch_reviewer"], pk=app.pk, scores=five_force_scores(9)
        )
    score_acceptance(
        actor=org.users["city_reviewer"],
        pk=app.pk,
        scores=five_force_scores(5),
        comment="成效材料不足",
    )
    app.refresh_from_db()
    assert app.status == Status.IMPLEMENTING
    services.request_acceptance(actor=org.users["secretary"], pk=app.pk)
    score_acceptance(actor=org.users["city_reviewer"], pk=app.pk, scores=five_force_scores(9))
    app.refresh_from_db()
    assert app.status == Status.BUILT and app.built_at
    with pytest.raises(Exception):  # noqa: B017 - the city may not name provincial brands
        services.name_provincial(actor=org.users["city_reviewer"], pk=app.pk)
    app = services.name_provincial(actor=org.users["province_reviewer"], pk=app.pk)
    assert app.level == Level.PROVINCIAL


def test_logo_is_reencoded_and_thumbnailed(org):
    app = services.save_application_draft(
        actor=org.users["secretary"],
        unit=org.a1,
        data={"name": "x"},
        logo=png_upload("../../etc/passwd.png", size=(3000, 1000)),
    )
    from PIL import Image

    with Image.open(app.logo.path) as im:
        assert max(im.size) == 1024
    with Image.open(app.logo_thumb.path) as im:
        assert max(im.size) == 240
    assert "passwd" not in app.logo.name and ".." not in app.logo.name


@pytest.mark.parametrize(
    "name,content",
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("logo.png", b"<html><script>alert(1)</script></html>"),
        ("logo.png", b"GIF89a-not-really"),
    ],
)
def test_non_images_are_refused_as_logo_whatever_their_name(org, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        services.save_application_draft(
            actor=org.users["secretary"],
            unit=org.a1,
            data={"name": "x"},
            logo=SimpleUploadedFile(name, content),
        )
    assert not BrandApplication.objects.exists()


def test_attachments_are_checked_by_content(org, draft):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = services.add_attachment(
        actor=org.users["secretary"],
        application=draft,
        upload=SimpleUploadedFile("方案.pdf", b"%PDF-1.4\n%%EOF"),
    )
    assert (pdf.content_type, pdf.original_name) == ("application/pdf", "方案.pdf")
    for name, content in [("a.pdf", b"<html></html>"), ("a.docx", b"PK\x03\x04junk")]:
        with pytest.raises(ValidationError):
            services.add_attachment(
                actor=org.users["secretary"],
                application=draft,
                upload=SimpleUploadedFile(name, content),
            )
