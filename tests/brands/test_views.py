import pytest
from django.urls import reverse

from branches.models import Role
from brands import services
from brands.models import BrandApplication, Status
from tests.factories import grant
from tests.permissions import LOGIN, assert_permission_matrix

from .conftest import CONTENT, png_upload

pytestmark = pytest.mark.smoke


@pytest.fixture
def two_brands(org):
    """One application in review in each city, waiting at each city's first level."""
    apps = {}
    for unit, secretary in ((org.a1, org.users["secretary"]), (org.b1, org.sec_b1)):
        app = services.save_application_draft(
            actor=secretary, unit=unit, data=CONTENT, logo=png_upload()
        )
        apps[unit.code] = services.submit_application(actor=secretary, pk=app.pk)
    return apps


def by_unit(apps, route):
    return lambda unit: reverse(route, args=[apps[unit.code].pk])


def test_detail_matrix(client, org, two_brands):
    assert_permission_matrix(
        client,
        org,
        by_unit(two_brands, "brands:detail"),
        {
            "anonymous": LOGIN,
            "member": 403,
            "secretary": (200, 403),
            "general_branch_reviewer": (200, 403),
            "city_reviewer": (200, 403),
            "province_reviewer": 200,
            "committee_member": 200,
            "admin": 200,
        },
    )


def test_edit_matrix_only_the_own_secretary_while_editable(client, org, two_brands):
    for app in two_brands.values():
        BrandApplication.objects.filter(pk=app.pk).update(status=Status.RETURNED)
    assert_permission_matrix(
        client,
        org,
        by_unit(two_brands, "brands:edit"),
        {
            "anonymous": LOGIN,
            "member": 403,
            "secretary": (200, 403),
            # others who can see it are sent back to the detail page with a message
            "general_branch_reviewer": (302, 403),
            "city_reviewer": (302, 403),
            "province_reviewer": 302,
            "committee_member": 302,
            "admin": 302,
        },
    )


def test_create_matrix(client, org):
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("brands:create", args=[unit.pk]),
        {
            "anonymous": LOGIN,
            "member": 403,
            "secretary": (200, 403),
            "general_branch_reviewer": 403,
            "city_reviewer": 403,
            "province_reviewer": 403,
            "committee_member": 403,
            "admin": 403,
        },
    )


def test_queue_matrix(client, org, two_brands):
    assert_permission_matrix(
        client,
        org,
        lambda unit: reverse("brands:queue"),
        {
            "anonymous": LOGIN,
            "member": 403,
            "secretary": 403,
            "general_branch_reviewer": 200,
            "city_reviewer": 200,
            "province_reviewer": 200,
            "committee_member": 403,
            "admin": 403,
        },
    )


def test_act_matrix_only_the_current_level_decides(client, org, two_brands):
    """POSTing an approval: only GA's reviewer for A1; nobody in city A for B1."""

    def url(unit):
        return reverse("brands:act", args=[two_brands[unit.code].pk, "approve"])

    for role, own_ok in [("city_reviewer", False), ("general_branch_reviewer", True)]:
        client.force_login(org.users[role])
        for unit in (org.a1, org.b1):
            app = BrandApplication.objects.get(pk=two_brands[unit.code].pk)
            client.post(
                url(unit), {"comment": "", "expected_version": services.WORKFLOW.version_of(app)}
            )
        a1 = BrandApplication.objects.get(pk=two_brands["A1"].pk)
        assert (a1.current_level == org.city_a) is own_ok
        assert BrandApplication.objects.get(pk=two_brands["B1"].pk).current_level == org.city_b


def test_queue_shows_only_what_waits_at_my_level(client, org, two_brands):
    client.force_login(org.users["general_branch_reviewer"])
    body = client.get(reverse("brands:queue")).content.decode()
    assert "甲市网络运维党支部" in body and "乙市网络运维党支部" not in body
    client.force_login(org.users["city_reviewer"])
    assert "暂无待审核的申报" in client.get(reverse("brands:queue")).content.decode()


def test_queue_and_index_query_counts_do_not_grow(client, org, django_assert_max_num_queries):
    from tests.factories import OrgUnitFactory

    def add(n):
        for i in range(n):
            unit = OrgUnitFactory(parent=org.general_a, code=f"Q{add.count}", category="market")
            add.count += 1
            app = BrandApplication.objects.create(
                unit=unit,
                applicant=org.users["secretary"],
                status=Status.IN_REVIEW,
                current_level=org.general_a,
                name=f"品牌{i}",
                revision_number=1,
            )
            assert app

    add.count = 0
    client.force_login(org.users["general_branch_reviewer"])
    add(2)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("brands:queue"))
        client.get(reverse("brands:index"))
    add(25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("brands:queue"))
        client.get(reverse("brands:index"))


def test_file_save_draft_submit_through_the_browser_forms(client, org):
    client.force_login(org.users["secretary"])
    url = reverse("brands:create", args=[org.a1.pk])
    data = {k: v for k, v in CONTENT.items() if k != "measures"}
    data["measures_text"] = "\n".join(CONTENT["measures"])
    response = client.post(url, {**data, "save": "1", "logo_upload": png_upload()})
    app = BrandApplication.objects.get(unit=org.a1)
    assert response.url == reverse("brands:edit", args=[app.pk])
    assert app.measures == CONTENT["measures"] and app.status == Status.DRAFT
    # the draft resumes pre-filled
    body = client.get(response.url).content.decode()
    assert "设立党员先锋岗\n开展技术攻关" in body and 'data-testid="logo-preview"' in body
    response = client.post(response.url, {**data, "submit": "1"}, follow=True)
    app.refresh_from_db()
    assert app.status == Status.IN_REVIEW
    assert "已提交审核" in response.content.decode()


def test_incomplete_submission_keeps_the_draft_and_says_what_is_missing(client, org):
    client.force_login(org.users["secretary"])
    response = client.post(
        reverse("brands:create", args=[org.a1.pk]),
        {"name": "只写了名字", "submit": "1"},
        follow=True,
    )
    body = response.content.decode()
    assert "请补全以下内容后再提交" in body and "内容已保存为草稿" in body
    assert BrandApplication.objects.get(unit=org.a1).name == "只写了名字"


def test_return_without_comment_is_refused_with_a_message(client, org, two_brands):
    app = two_brands["A1"]
    client.force_login(org.users["general_branch_reviewer"])
    response = client.post(
        reverse("brands:act", args=[app.pk, "return"]),
        {"comment": "", "expected_version": services.WORKFLOW.version_of(app)},
        follow=True,
    )
    assert "必须填写意见" in response.content.decode()
    assert BrandApplication.objects.get(pk=app.pk).status == Status.IN_REVIEW


def _seen(*apps):
    """The bulk approval's post as the queue page makes it: the ids and the versions shown."""
    data = {"ids": [app.pk for app in apps]}
    for app in apps:
        data[f"version_{app.pk}"] = services.WORKFLOW.version_of(app)
    return data


def test_bulk_approve_reports_per_item(client, org, two_brands):
    client.force_login(org.users["general_branch_reviewer"])
    response = client.post(
        reverse("brands:bulk_approve"), _seen(two_brands["A1"], two_brands["B1"]), follow=True
    )
    body = response.content.decode()
    assert "已审核通过 1 项" in body and "没有权限" in body
    assert BrandApplication.objects.get(pk=two_brands["A1"].pk).current_level == org.city_a


def test_the_queue_page_posts_the_version_each_row_shows(client, org, two_brands):
    app = two_brands["A1"]
    client.force_login(org.users["general_branch_reviewer"])
    body = client.get(reverse("brands:queue")).content.decode()
    version = services.WORKFLOW.version_of(app)
    assert f'name="version_{app.pk}" value="{version}"' in body


def test_bulk_approve_refuses_a_stale_item_and_approves_the_rest(client, org, two_brands):
    """A1 was returned and resubmitted after the reviewer's page was drawn: the reviewer never
    saw that revision, so it is refused as already handled; the other item goes through."""
    reviewer = grant(org.users["general_branch_reviewer"], org.city_b, Role.REVIEWER)
    a1, b1 = two_brands["A1"], two_brands["B1"]
    seen = _seen(a1, b1)
    services.return_application(actor=reviewer, pk=a1.pk, comment="请补充成效")
    services.submit_application(actor=org.users["secretary"], pk=a1.pk)
    client.force_login(reviewer)
    response = client.post(reverse("brands:bulk_approve"), seen, follow=True)
    body = response.content.decode()
    assert "已审核通过 1 项" in body and "已被他人处理" in body
    assert BrandApplication.objects.get(pk=a1.pk).current_level == a1.current_level
    assert BrandApplication.objects.get(pk=b1.pk).current_level != b1.current_level


def test_bulk_approve_without_the_shown_version_approves_nothing(client, org, two_brands):
    app = two_brands["A1"]
    client.force_login(org.users["general_branch_reviewer"])
    response = client.post(reverse("brands:bulk_approve"), {"ids": [app.pk]}, follow=True)
    assert "页面已过期" in response.content.decode()
    assert BrandApplication.objects.get(pk=app.pk).current_level == app.current_level


def test_approve_applications_decides_each_item_in_one_call(org, two_brands):
    a1, b1 = two_brands["A1"], two_brands["B1"]
    decisions = services.approve_applications(
        actor=org.users["general_branch_reviewer"],
        seen={a1.pk: services.WORKFLOW.version_of(a1), b1.pk: services.WORKFLOW.version_of(b1)},
    )
    assert [(d.application.pk, d.approved) for d in decisions] == [(a1.pk, True), (b1.pk, False)]
    assert "没有权限" in decisions[1].reason


def test_attachment_download_is_scoped_and_forced_as_download(client, org, two_brands):
    from django.core.files.uploadedfile import SimpleUploadedFile

    app = BrandApplication.objects.get(pk=two_brands["A1"].pk)
    BrandApplication.objects.filter(pk=app.pk).update(status=Status.RETURNED)
    app.refresh_from_db()
    att = services.add_attachment(
        actor=org.users["secretary"],
        application=app,
        upload=SimpleUploadedFile("方案.pdf", b"%PDF-1.4 x"),
    )
    client.force_login(org.users["secretary"])
    response = client.get(reverse("brands:attachment", args=[att.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(org.sec_b1)
    assert client.get(reverse("brands:attachment", args=[att.pk])).status_code == 403
