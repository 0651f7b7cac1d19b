"""Photos on the group brand card (一组一品牌): re-encoded (EXIF gone), at most six, all or
nothing with no file left by a refused write, shown on the group's page to its readers, removed
by its keepers only; the page's queries do not grow with the photos."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from groups import services
from groups.models import GroupBrand, GroupBrandPhoto
from tests.factories import UserFactory
from tests.ledger.conftest import jpeg_upload
from workflow.models import AuditEntry

pytestmark = pytest.mark.django_db

CARD = {"name": "抢修尖兵", "idea": "小故障不过夜", "highlights": "全年抢修 120 次"}


def _files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def linked(roster):
    roster.li.user = UserFactory(username="li")  # leader of 运维一组
    roster.li.save()
    roster.wang.user = UserFactory(username="wang")  # member of 运维一组
    roster.wang.save()
    roster.zhao.user = UserFactory(username="zhao")  # member of 运维二组
    roster.zhao.save()
    return roster


def _save(actor, group, photos):
    return services.save_group_brand(actor=actor, group=group, photos=photos, **CARD)


def test_the_leader_adds_photos_re_encoded_without_exif(client, linked):
    upload = jpeg_upload(exif=True)
    assert b"SecretCam" in upload.read()
    upload.seek(0)
    client.force_login(linked.li.user)
    page = reverse("groups:group", args=[linked.g1.pk])
    response = client.post(page, {**CARD, "photos": [upload, jpeg_upload("b.jpg")]})
    assert response.status_code == 302
    card = GroupBrand.objects.get(group=linked.g1)
    photos = list(card.photos.all())
    assert len(photos) == 2
    data = photos[0].image.read()
    assert b"SecretCam" not in data and not Image.open(io.BytesIO(data)).getexif()
    assert AuditEntry.objects.filter(action="group_brand_saved", comment__contains="照片 2 张")
    html = client.get(page).content.decode()
    assert reverse("groups:brand_thumb", args=[photos[0].pk]) in html


def test_more_than_six_are_refused_and_nothing_is_stored(client, linked, settings):
    _save(linked.li.user, linked.g1, [jpeg_upload() for _ in range(4)])
    before = _files(settings)
    with pytest.raises(ValidationError) as refused:
        _save(linked.li.user, linked.g1, [jpeg_upload() for _ in range(3)])
    assert refused.value.message_dict["photos"] == [
        "小组品牌最多 6 张照片：已有 4 张，本次选择了 3 张。"
    ]
    assert _files(settings) == before


def test_a_file_that_is_no_image_comes_back_on_the_form(client, linked, settings):
    client.force_login(linked.li.user)
    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(reverse("groups:group", args=[linked.g1.pk]), {**CARD, "photos": fake})
    assert response.status_code == 400
    assert "第 1 张照片（x.jpg）" in response.content.decode()
    assert "小故障不过夜" in response.content.decode()  # what was typed stays
    assert not GroupBrand.objects.exists() and _files(settings) == []


def test_who_sees_a_photo_and_who_removes_it(
    client, org, linked, settings, django_capture_on_commit_callbacks
):
    card = _save(linked.li.user, linked.g1, [jpeg_upload()])
    photo = card.photos.get()
    url = reverse("groups:brand_thumb", args=[photo.pk])
    expected = {
        linked.li.user: 200,
        linked.wang.user: 200,  # a member of the group
        linked.zhao.user: 403,  # another group's member
        org.users["secretary"]: 200,
        org.users["city_reviewer"]: 200,  # a reader above
        org.sec_b1: 403,  # another branch
        org.users["committee_member"]: 403,
    }
    for user, status in expected.items():
        client.force_login(user)
        assert client.get(url).status_code == status, user.username
    delete = reverse("groups:brand_photo_delete", args=[photo.pk])
    for user in (linked.wang.user, linked.zhao.user, org.users["city_reviewer"], org.sec_b1):
        client.force_login(user)
        assert client.post(delete).status_code == 403, user.username
    client.force_login(org.users["secretary"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(delete).status_code == 302
    assert not GroupBrandPhoto.objects.exists()
    assert _files(settings) == []  # the files go once the removal is committed
    assert AuditEntry.objects.filter(action="group_brand_photo_removed").exists()


@pytest.mark.parametrize("n", [1, 6])
def test_the_page_costs_the_same_with_1_or_6_photos(client, linked, n, django_assert_num_queries):
    _save(linked.li.user, linked.g1, [jpeg_upload() for _ in range(n)])
    client.force_login(linked.li.user)
    url = reverse("groups:group", args=[linked.g1.pk])
    client.get(url)
    with django_assert_num_queries(13):
        html = client.get(url).content.decode()
    assert html.count('alt="小组品牌照片"') == n
