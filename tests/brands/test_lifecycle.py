"""A brand's life after approval: activities, 三亮 (擦亮 records, 闪亮), pairing, publications."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from branches.models import Role
from brands import lifecycle
from brands.models import (
    ActivityPhoto,
    BrandActivity,
    BrandApplication,
    Level,
    MediaPublication,
    Pairing,
    ShineKind,
    ShineRecord,
    Status,
)
from brands.services import BrandError
from brands.views.lifecycle import PAGE_SIZE
from tests.factories import OrgUnitFactory, grant
from tests.permissions import LOGIN, assert_permission_matrix
from workflow.models import AuditEntry, Notification

from .conftest import png_upload

pytestmark = pytest.mark.smoke

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
TOMORROW = TODAY + datetime.timedelta(days=1)
NOW = lifecycle.current_period()
LAST_YEAR = f"{TODAY.year - 1}H2"
NEXT_YEAR = f"{TODAY.year + 1}H1"

#: Who may see the lifecycle page (and photos): whoever may see the application.
VIEWERS = {
    "anonymous": LOGIN,
    "member": 403,
    "secretary": (200, 403),
    "general_branch_reviewer": (200, 403),
    "city_reviewer": (200, 403),
    "province_reviewer": 200,
    "committee_member": 200,
    "admin": 200,
}


def only(role_statuses, default=403):
    """A matrix in which everyone but the listed roles is refused."""
    matrix = dict.fromkeys(VIEWERS, default)
    matrix["anonymous"] = LOGIN
    matrix.update(role_statuses)
    return matrix


@pytest.fixture
def apps(org):
    """One brand in implementation (实施推进) in each city, created directly."""
    return {
        unit.code: BrandApplication.objects.create(
            unit=unit,
            applicant=secretary,
            status=Status.IMPLEMENTING,
            name=f"{unit.name}品牌",
            revision_number=1,
            approved_at=timezone.now(),
        )
        for unit, secretary in ((org.a1, org.users["secretary"]), (org.b1, org.sec_b1))
    }


@pytest.fixture
def app(apps):
    return apps["A1"]


@pytest.fixture
def provincial(app):
    BrandApplication.objects.filter(pk=app.pk).update(status=Status.BUILT, level=Level.PROVINCIAL)
    app.refresh_from_db()
    return app


def secretary_of(org, application):
    return org.users["secretary"] if application.unit == org.a1 else org.sec_b1


def post_activity(org, application, **overrides):
    data = {
        "date": YESTERDAY,
        "title": "党员先锋岗进社区",
        "text": "组织党员到社区开展宽带义诊。",
        "photos": [],
    }
    data.update(overrides)
    return lifecycle.add_activity(
        actor=secretary_of(org, application), application=application, **data
    )


# --- services: activities -------------------------------------------------------------


def test_secretary_posts_an_activity_with_reencoded_photos(org, app):
    activity = post_activity(org, app, photos=[png_upload("a.png"), png_upload("b.png")])
    photos = list(activity.photos.order_by("pk"))
    assert len(photos) == 2
    for photo in photos:
        assert photo.image.name.endswith(".jpg") and photo.thumb.name.endswith("_t.jpg")
        assert photo.image.storage.exists(photo.image.name)
    entry = AuditEntry.objects.get(action="add_activity")
    assert (entry.actor, entry.unit, entry.object_id) == (
        org.users["secretary"],
        org.a1,
        activity.pk,
    )


@pytest.mark.parametrize("status", [Status.ACCEPTANCE, Status.BUILT])
def test_activities_continue_under_acceptance_and_after_built(org, app, status):
    BrandApplication.objects.filter(pk=app.pk).update(status=status)
    assert post_activity(org, app).pk


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.RETURNED])
def test_no_activity_before_the_brand_is_approved(org, app, status):
    BrandApplication.objects.filter(pk=app.pk).update(status=status)
    with pytest.raises(BrandError, match="获批立项后"):
        post_activity(org, app)
    assert not BrandActivity.objects.exists()


def test_activity_date_may_not_be_in_the_future(org, app):
    with pytest.raises(ValidationError, match="活动日期不能晚于今天"):
        post_activity(org, app, date=TOMORROW)
    assert post_activity(org, app, date=TODAY).pk


def test_a_photo_that_is_not_an_image_is_refused_and_nothing_is_saved(org, app):
    fake = SimpleUploadedFile("photo.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        post_activity(org, app, photos=[png_upload(), fake])
    message = exc.value.message_dict["photos"][0]
    assert "第 2 张照片（photo.jpg）" in message and "无法识别的图片文件" in message
    assert not BrandActivity.objects.exists() and not ActivityPhoto.objects.exists()


def test_at_most_nine_photos_of_at_most_5_mb(org, app):
    with pytest.raises(ValidationError, match="最多上传 9 张照片，您选择了 10 张"):
        post_activity(org, app, photos=[png_upload(f"{i}.png") for i in range(10)])
    big = SimpleUploadedFile("big.png", b"\0" * (5 * 1024 * 1024 + 1), content_type="image/png")
    with pytest.raises(ValidationError, match="文件过大"):
        post_activity(org, app, photos=[big])


def test_only_the_branch_secretary_posts_activities(org, apps):
    for actor in (org.users["city_reviewer"], org.users["province_reviewer"], org.sec_b1):
        with pytest.raises(PermissionDenied):
            lifecycle.add_activity(
                actor=actor, application=apps["A1"], date=TODAY, title="t", text="x"
            )
    assert not BrandActivity.objects.exists()


def test_removing_an_activity_removes_its_photo_files(org, app, django_capture_on_commit_callbacks):
    activity = post_activity(org, app, photos=[png_upload()])
    photo = activity.photos.get()
    storage, names = photo.image.storage, [photo.image.name, photo.thumb.name]
    with pytest.raises(PermissionDenied):
        lifecycle.remove_activity(actor=org.sec_b1, activity=activity)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.remove_activity(actor=org.users["secretary"], activity=activity)
    assert not BrandActivity.objects.exists() and not ActivityPhoto.objects.exists()
    assert not any(storage.exists(n) for n in names)
    assert AuditEntry.objects.filter(action="delete_activity", object_id=activity.pk).exists()


# --- services: 擦亮 records -----------------------------------------------------------


def add_shine(org, application, period=NOW, kind=ShineKind.INNOVATION, title="5G 网格化运维"):
    return lifecycle.add_shine_record(
        actor=secretary_of(org, application),
        application=application,
        period=period,
        kind=kind,
        title=title,
        text="内容",
    )


def test_one_shine_record_per_kind_and_period(org, app):
    record = add_shine(org, app, period=NOW.lower())
    assert record.period == NOW  # normalised
    with pytest.raises(ValidationError, match=f"{NOW} 期已登记过“创新举措”"):
        add_shine(org, app, title="另一项")
    add_shine(org, app, kind=ShineKind.CASE)
    add_shine(org, app, period=LAST_YEAR)  # another period is another slot
    assert ShineRecord.objects.count() == 3


@pytest.mark.parametrize("period", ["2026H3", "2026", "26H1", "2026Q5", "H1-2026", "1999H1", ""])
def test_shine_period_format(org, app, period):
    with pytest.raises(ValidationError, match="期次格式"):
        add_shine(org, app, period=period)


def test_a_period_that_has_not_begun_cannot_be_recorded(org, app):
    with pytest.raises(ValidationError, match=f"期次 {NEXT_YEAR} 尚未开始"):
        add_shine(org, app, period=NEXT_YEAR)


def test_shine_records_need_the_secretary_and_an_approved_brand(org, app):
    with pytest.raises(PermissionDenied):
        lifecycle.add_shine_record(
            actor=org.users["province_reviewer"],
            application=app,
            period=NOW,
            kind=ShineKind.CASE,
            title="t",
            text="x",
        )
    BrandApplication.objects.filter(pk=app.pk).update(status=Status.IN_REVIEW)
    with pytest.raises(BrandError, match="获批立项后"):
        add_shine(org, app)


def test_shine_progress_says_what_each_period_lacks(org, app):
    add_shine(org, app, period=LAST_YEAR, kind=ShineKind.INNOVATION)
    add_shine(org, app, period=LAST_YEAR, kind=ShineKind.DISSEMINATION)
    add_shine(org, app, period=LAST_YEAR, kind=ShineKind.CASE)
    add_shine(org, app, period=NOW, kind=ShineKind.DISSEMINATION)
    progress = lifecycle.shine_progress(app.shine_records.all())
    assert [p.period for p in progress] == [NOW, LAST_YEAR]
    assert progress[0].missing == ["创新举措", "品牌案例"] and not progress[0].complete
    assert progress[1].complete and progress[1].missing == []


def test_shine_progress_shows_the_current_period_even_when_empty():
    day = datetime.date(2026, 8, 1)
    (empty,) = lifecycle.shine_progress([], today=day)
    assert empty.period == "2026H2" and len(empty.missing) == 3
    quarterly = [ShineRecord(period="2026Q2", kind=ShineKind.CASE)]
    assert [p.period for p in lifecycle.shine_progress(quarterly, today=day)] == [
        "2026Q3",
        "2026Q2",
    ]
    assert lifecycle.period_start("2026Q4") == datetime.date(2026, 10, 1)
    assert lifecycle.period_start("2026H2") == datetime.date(2026, 7, 1)


# --- services: pairing ----------------------------------------------------------------


def pair(org, application, partner, actor=None, **kwargs):
    return lifecycle.add_pairing(
        actor=actor or org.users["secretary"],
        application=application,
        partner=partner,
        started_on=kwargs.pop("started_on", YESTERDAY),
        note=kwargs.pop("note", "每季度联合开展一次主题党日"),
    )


def test_a_provincial_brand_pairs_with_an_unbranded_branch(org, provincial):
    partner_secretary = grant(org.users["member"], org.a2, Role.SECRETARY)
    pairing = pair(org, provincial, org.a2)
    assert (pairing.partner, pairing.created_by) == (org.a2, org.users["secretary"])
    assert AuditEntry.objects.filter(action="add_pairing", object_id=pairing.pk).exists()
    assert Notification.objects.filter(
        recipient=partner_secretary, title__contains="结对帮扶"
    ).exists()
    with pytest.raises(ValidationError, match="已与 甲市市场部党支部 结对，无需重复登记"):
        pair(org, provincial, org.a2)


def test_only_a_provincial_level_or_demonstration_brand_may_pair(org, app):
    with pytest.raises(BrandError, match="只有省公司级品牌和示范单位的品牌才能开展结对帮扶"):
        pair(org, app, org.a2)
    BrandApplication.objects.filter(pk=app.pk).update(status=Status.BUILT)
    with pytest.raises(BrandError, match="只有省公司级品牌"):
        pair(org, app, org.a2)


def test_the_partner_must_be_an_active_branch_without_a_brand(org, apps, provincial):
    with pytest.raises(ValidationError, match="乙市网络运维党支部 已有在建或已建成的品牌"):
        pair(org, provincial, org.b1, actor=org.users["province_reviewer"])
    with pytest.raises(ValidationError, match="已有在建或已建成的品牌"):
        pair(org, provincial, org.a1)  # itself
    with pytest.raises(ValidationError, match="有效的党支部"):
        pair(org, provincial, org.city_a)
    with pytest.raises(ValidationError, match="有效的党支部"):
        pair(org, provincial, org.group_a1)
    org.a2.is_active = False
    org.a2.save()
    with pytest.raises(ValidationError, match="有效的党支部"):
        pair(org, provincial, org.a2)
    # a rejected brand is no live brand: that branch may be paired
    BrandApplication.objects.filter(pk=apps["B1"].pk).update(status=Status.REJECTED)
    assert pair(org, provincial, org.b1, actor=org.users["province_reviewer"]).pk


def test_secretary_pairs_within_the_city_the_province_anywhere(org, provincial):
    b2 = OrgUnitFactory(parent=org.city_b, name="乙市市场部党支部", code="B2")
    with pytest.raises(ValidationError, match="只能选择本市"):
        pair(org, provincial, b2)
    assert b2 not in lifecycle.pairing_candidates(provincial, org.users["secretary"])
    assert list(lifecycle.pairing_candidates(provincial, org.users["province_reviewer"])) == [
        org.a2,
        b2,
    ]
    pair(org, provincial, b2, actor=org.users["province_reviewer"])
    assert list(lifecycle.pairing_candidates(provincial, org.users["province_reviewer"])) == [
        org.a2
    ]


def test_pairing_is_recorded_by_the_secretary_or_the_province_only(org, provincial):
    for actor in (org.users["city_reviewer"], org.users["admin"], org.sec_b1):
        with pytest.raises(PermissionDenied):
            pair(org, provincial, org.a2, actor=actor)
    with pytest.raises(ValidationError, match="结对日期不能晚于今天"):
        pair(org, provincial, org.a2, started_on=TOMORROW)


# --- services: publications and 闪亮 --------------------------------------------------


def publish(org, application, level=MediaPublication.MediaLevel.PROVINCIAL, **kwargs):
    data = {
        "outlet": "省电信报",
        "media_level": level,
        "title": "红色引擎护航千兆网络",
        "published_on": YESTERDAY,
        "url": "https://news.example.cn/a/1",
    }
    data.update(kwargs)
    return lifecycle.add_publication(
        actor=secretary_of(org, application), application=application, **data
    )


def test_publication_refusals(org, app):
    with pytest.raises(ValidationError, match="http:// 或 https://"):
        publish(org, app, url="javascript:alert(1)")
    with pytest.raises(ValidationError, match="发表日期不能晚于今天"):
        publish(org, app, published_on=TOMORROW)
    with pytest.raises(PermissionDenied):
        lifecycle.add_publication(
            actor=org.users["city_reviewer"],
            application=app,
            outlet="x",
            media_level="city",
            title="t",
            published_on=TODAY,
        )
    assert publish(org, app, url="").url == ""


def status_of(application):
    return lifecycle.shine_status(
        application, list(application.pairings.all()), list(application.publications.all())
    )


def test_shine_is_lit_by_a_pairing_and_a_provincial_or_higher_publication(org, provincial):
    assert not status_of(provincial).lit
    publish(org, provincial, level=MediaPublication.MediaLevel.CITY)
    pair(org, provincial, org.a2)
    status = status_of(provincial)
    assert (status.provincial, status.paired, status.published, status.lit) == (
        True,
        True,
        False,
        False,
    )
    publish(org, provincial, level=MediaPublication.MediaLevel.NATIONAL)
    assert status_of(provincial).lit


def test_a_branch_level_brand_is_never_lit(org, app):
    publish(org, app)
    Pairing.objects.create(
        application=app, partner=org.a2, started_on=TODAY, created_by=org.users["secretary"]
    )
    status = status_of(app)
    assert status.paired and status.published and not status.lit


# --- views: permission matrices -------------------------------------------------------


def by_app(route):
    return lambda application: reverse(route, args=[application.pk])


def test_lifecycle_page_matrix(client, org, apps):
    assert_permission_matrix(
        client, org, by_app("brands:lifecycle"), VIEWERS, own=apps["A1"], other=apps["B1"]
    )


@pytest.mark.parametrize(
    "route", ["brands:add_activity", "brands:add_shine_record", "brands:add_publication"]
)
def test_recording_matrix_only_the_own_secretary(client, org, apps, route):
    """Empty input: a permitted user gets the page back with errors (200), others 403."""
    assert_permission_matrix(
        client,
        org,
        by_app(route),
        only({"secretary": (200, 403)}),
        method="post",
        own=apps["A1"],
        other=apps["B1"],
    )


def test_pairing_matrix_secretary_or_province(client, org, apps):
    for application in apps.values():
        BrandApplication.objects.filter(pk=application.pk).update(
            status=Status.BUILT, level=Level.PROVINCIAL
        )
    assert_permission_matrix(
        client,
        org,
        by_app("brands:add_pairing"),
        only({"secretary": (200, 403), "province_reviewer": 200}),
        method="post",
        own=apps["A1"],
        other=apps["B1"],
    )


def test_delete_activity_matrix(client, org, apps):
    def url(application):
        activity = BrandActivity.objects.create(
            application=application,
            date=TODAY,
            title="待删除",
            text="x",
            created_by=application.applicant,
        )
        return reverse("brands:delete_activity", args=[activity.pk])

    assert_permission_matrix(
        client,
        org,
        url,
        only({"secretary": (302, 403)}),
        method="post",
        own=apps["A1"],
        other=apps["B1"],
    )
    # 8 roles × 2 sides created one each; only the own secretary's was deleted
    assert BrandActivity.objects.count() == 15


def test_delete_shine_record_matrix(client, org, apps):
    def url(application):
        record, _ = ShineRecord.objects.get_or_create(
            application=application,
            period=NOW,
            kind=ShineKind.CASE,
            defaults={"title": "t", "text": "x", "created_by": application.applicant},
        )
        return reverse("brands:delete_shine_record", args=[record.pk])

    assert_permission_matrix(
        client,
        org,
        url,
        only({"secretary": (302, 403)}),
        method="post",
        own=apps["A1"],
        other=apps["B1"],
    )
    assert AuditEntry.objects.filter(action="delete_shine_record").count() == 1


def test_delete_pairing_matrix(client, org, apps):
    def url(application):
        pairing, _ = Pairing.objects.get_or_create(
            application=application,
            partner=org.a2,
            defaults={"started_on": TODAY, "created_by": application.applicant},
        )
        return reverse("brands:delete_pairing", args=[pairing.pk])

    assert_permission_matrix(
        client,
        org,
        url,
        only({"secretary": (302, 403), "province_reviewer": 302}),
        method="post",
        own=apps["A1"],
        other=apps["B1"],
    )
    assert AuditEntry.objects.filter(action="delete_pairing").count() == 3


def test_delete_publication_matrix(client, org, apps):
    def url(application):
        publication = MediaPublication.objects.create(
            application=application,
            outlet="省电信报",
            media_level="provincial",
            title="t",
            published_on=TODAY,
            created_by=application.applicant,
        )
        return reverse("brands:delete_publication", args=[publication.pk])

    assert_permission_matrix(
        client,
        org,
        url,
        only({"secretary": (302, 403)}),
        method="post",
        own=apps["A1"],
        other=apps["B1"],
    )
    assert MediaPublication.objects.count() == 15


def test_activity_photo_matrix(client, org, apps):
    photos = {
        code: post_activity(org, application, photos=[png_upload()]).photos.get()
        for code, application in apps.items()
    }
    for route in ("brands:activity_photo", "brands:activity_photo_thumb"):
        assert_permission_matrix(
            client,
            org,
            lambda application, route=route: reverse(
                route, args=[photos[application.unit.code].pk]
            ),
            VIEWERS,
            own=apps["A1"],
            other=apps["B1"],
        )


def test_writes_are_post_only(client, org, app):
    client.force_login(org.users["secretary"])
    for route in ("add_activity", "add_shine_record", "add_pairing", "add_publication"):
        assert client.get(reverse(f"brands:{route}", args=[app.pk])).status_code == 405
    activity = post_activity(org, app)
    assert client.get(reverse("brands:delete_activity", args=[activity.pk])).status_code == 405


# --- views: behaviour -----------------------------------------------------------------


def test_secretary_posts_an_activity_with_photos_through_the_page(client, org, app):
    client.force_login(org.users["secretary"])
    url = reverse("brands:lifecycle", args=[app.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="activity-form"' in page and 'enctype="multipart/form-data"' in page
    assert re.search(r"<input type=\"file\" name=\"photos\"[^>]* multiple", page)
    assert "data-confirm" not in page
    response = client.post(
        reverse("brands:add_activity", args=[app.pk]),
        {
            "date": YESTERDAY.isoformat(),
            "title": "走进营业厅",
            "text": "党员示范服务",
            "photos": [png_upload("a.png"), png_upload("b.png")],
        },
    )
    assert response.status_code == 302 and response.url == f"{url}#activities"
    photo = ActivityPhoto.objects.order_by("pk").first()
    body = client.get(url).content.decode()
    assert "走进营业厅" in body and reverse("brands:activity_photo_thumb", args=[photo.pk]) in body
    assert 'data-confirm="确定删除该活动及其照片吗？"' in body
    image = client.get(reverse("brands:activity_photo", args=[photo.pk]))
    assert image["Content-Type"] == "image/jpeg"
    # and the detail page shows it in the lifecycle panel, with a link to the page
    detail = client.get(reverse("brands:detail", args=[app.pk])).content.decode()
    assert 'data-testid="lifecycle-panel"' in detail and "走进营业厅" in detail
    assert url in detail


def test_invalid_activity_is_shown_again_with_errors_and_nothing_lost(client, org, app):
    client.force_login(org.users["secretary"])

    def fake():
        return SimpleUploadedFile("evil.png", b"not an image", content_type="image/png")

    response = client.post(
        reverse("brands:add_activity", args=[app.pk]),
        {
            "date": TOMORROW.isoformat(),
            "title": "未来的活动",
            "text": "保留我的文字",
            "photos": [fake()],
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "活动日期不能晚于今天" in body and "提交的内容有误" in body
    assert 'value="未来的活动"' in body and "保留我的文字" in body
    assert "请重新选择" in body
    response = client.post(
        reverse("brands:add_activity", args=[app.pk]),
        {"date": TODAY.isoformat(), "title": "今天的活动", "text": "文字", "photos": [fake()]},
    )
    body = response.content.decode()
    assert "第 1 张照片（evil.png）" in body and 'value="今天的活动"' in body
    assert not BrandActivity.objects.exists()


def test_duplicate_shine_record_through_the_page_is_a_message_not_a_500(client, org, app):
    add_shine(org, app)
    client.force_login(org.users["secretary"])
    response = client.post(
        reverse("brands:add_shine_record", args=[app.pk]),
        {"period": NOW, "kind": ShineKind.INNOVATION, "title": "第二项创新", "text": "x"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f"{NOW} 期已登记过“创新举措”" in body and 'value="第二项创新"' in body
    assert ShineRecord.objects.count() == 1
    page = client.get(reverse("brands:lifecycle", args=[app.pk])).content.decode()
    assert "品牌传播、品牌案例" in page  # what this period still lacks


def test_pairing_refused_for_a_branch_level_brand_with_a_message(client, org, app):
    client.force_login(org.users["province_reviewer"])
    page = client.get(reverse("brands:lifecycle", args=[app.pk])).content.decode()
    assert 'data-testid="pairing-form"' not in page and "省公司级品牌和示范单位的品牌，可与" in page
    response = client.post(
        reverse("brands:add_pairing", args=[app.pk]),
        {"partner": org.a2.pk, "started_on": TODAY.isoformat()},
        follow=True,
    )
    assert "只有省公司级品牌和示范单位的品牌才能开展结对帮扶" in response.content.decode()
    assert not Pairing.objects.exists()


def test_pairing_form_offers_only_candidates(client, org, apps, provincial):
    client.force_login(org.users["secretary"])
    page = client.get(reverse("brands:lifecycle", args=[provincial.pk])).content.decode()
    assert f'<option value="{org.a2.pk}">' in page
    assert f'<option value="{org.b1.pk}">' not in page  # has a brand
    response = client.post(
        reverse("brands:add_pairing", args=[provincial.pk]),
        {"partner": org.a2.pk, "started_on": YESTERDAY.isoformat(), "note": "共建"},
    )
    assert response.status_code == 302 and Pairing.objects.get().partner == org.a2


def test_publication_links_are_http_only_and_open_safely(client, org, app):
    client.force_login(org.users["secretary"])
    url = reverse("brands:add_publication", args=[app.pk])
    data = {
        "outlet": "人民网",
        "media_level": "national",
        "title": "支部品牌见闻",
        "published_on": YESTERDAY.isoformat(),
    }
    response = client.post(url, {**data, "url": "javascript:alert(document.cookie)"})
    assert response.status_code == 200 and not MediaPublication.objects.exists()
    assert "javascript:" not in response.content.decode().split('name="url"')[0]
    client.post(url, {**data, "url": "https://www.example.cn/x?a=1&b=2"})
    body = client.get(reverse("brands:lifecycle", args=[app.pk])).content.decode()
    assert (
        '<a href="https://www.example.cn/x?a=1&amp;b=2" target="_blank" '
        'rel="noopener noreferrer">支部品牌见闻</a>'
    ) in body


def test_shine_lit_on_the_page(client, org, provincial):
    publish(org, provincial, level="provincial")
    pair(org, provincial, org.a2)
    client.force_login(org.users["committee_member"])
    body = client.get(reverse("brands:lifecycle", args=[provincial.pk])).content.decode()
    lit = body.split('data-testid="shine-lit"')[1].split("</div>")[0]
    assert "已达成" in lit
    assert 'data-testid="activity-form"' not in body  # a viewer, not a recorder


def test_readers_see_no_forms_and_panel_hidden_before_approval(client, org, app):
    client.force_login(org.users["city_reviewer"])
    body = client.get(reverse("brands:lifecycle", args=[app.pk])).content.decode()
    assert "<form" not in body.split('id="activities"')[1].split('id="publications"')[0]
    BrandApplication.objects.filter(pk=app.pk).update(status=Status.IN_REVIEW)
    detail = client.get(reverse("brands:detail", args=[app.pk])).content.decode()
    assert 'data-testid="lifecycle-panel"' not in detail


# --- query counts ---------------------------------------------------------------------


def add_activities(application, n, photos_each=3):
    activities = BrandActivity.objects.bulk_create(
        BrandActivity(
            application=application,
            date=TODAY - datetime.timedelta(days=i),
            title=f"活动{i}",
            text="内容",
            created_by=application.applicant,
        )
        for i in range(n)
    )
    ActivityPhoto.objects.bulk_create(
        ActivityPhoto(activity=a, image=f"brands/activities/{a.pk}-{j}.jpg", thumb="t.jpg")
        for a in activities
        for j in range(photos_each)
    )


def test_detail_and_lifecycle_pages_query_counts_do_not_grow(
    client, org, provincial, django_assert_max_num_queries
):
    client.force_login(org.users["secretary"])
    pages = [
        reverse("brands:detail", args=[provincial.pk]),
        reverse("brands:lifecycle", args=[provincial.pk]),
    ]
    add_activities(provincial, 2)
    add_shine(org, provincial)
    publish(org, provincial)
    pair(org, provincial, org.a2)
    with django_assert_max_num_queries(40) as few:
        for page in pages:
            assert client.get(page).status_code == 200
    add_activities(provincial, 30)
    for i in range(5):
        publish(org, provincial, title=f"报道{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        for page in pages:
            assert client.get(page).status_code == 200
    body = client.get(pages[1]).content.decode()
    assert body.count('class="img-thumbnail') == PAGE_SIZE * 3
