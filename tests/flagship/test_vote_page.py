"""The public vote page: each unit with its brand's logo and a link to the brand, and a vote
that is final asks first — after the page has checked the number of units chosen (1 to K), the
refusal the server would give."""

import re

import pytest
from django.urls import reverse

from brands.models import BrandApplication
from common.uploads import clean_image

from .conftest import png_upload

pytestmark = pytest.mark.smoke


@pytest.fixture
def page(client, org, voting):
    cycle, _a1, _b1 = voting
    client.force_login(org.users["member"])
    return cycle, client.get(reverse("flagship:vote", args=[cycle.pk])).content.decode()


def test_the_vote_form_checks_the_count_then_asks(page):
    cycle, body = page
    form = re.search(r'<form method="post" data-testid="vote-form"[^>]*>', body).group(0)
    assert 'data-choose="units"' in form and 'data-choose-min="1"' in form
    assert f'data-choose-max="{cycle.votes_per_member}"' in form
    assert f"请选择 1 至 {cycle.votes_per_member} 个单位后再提交。" in form
    assert "只能投票一次，提交后不能更改或撤回" in form
    assert "data-choose-feedback" in body


def test_each_unit_links_to_its_brand(page):
    _cycle, body = page
    links = re.findall(r'href="(/brands/showcase/\d+/)"[^>]*data-testid="vote-brand-link"', body)
    assert len(links) == 2


def test_a_brand_with_a_logo_shows_it(client, org, voting):
    cycle, a1, _b1 = voting
    brand = BrandApplication.objects.get(pk=a1.brand_id)
    image, thumb = clean_image(png_upload())
    brand.logo.save(image.content.name, image.content, save=False)
    brand.logo_thumb.save(thumb.content.name, thumb.content, save=False)
    brand.save()
    client.force_login(org.users["member"])
    body = client.get(reverse("flagship:vote", args=[cycle.pk])).content.decode()
    assert reverse("brands:logo_thumb", args=[brand.pk]) in body
