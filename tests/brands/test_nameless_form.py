"""A brand application without a name: the form says so and keeps what was typed; a nameless
draft (made by a service or left from before) is named "（未命名品牌）" in the audit trail."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy

from brands import services
from brands.models import BrandApplication
from workflow.models import AuditEntry
from workflow.services import object_label

from .conftest import CONTENT

pytestmark = pytest.mark.smoke

TYPED = {
    "name": "",
    "slogan": "党建引领，网络护航",
    "brand_type": "development",
    "core_idea": "把支部建在网上",
    "goal": "三年内故障处理时长下降30%",
    "measures_text": "设立党员先锋岗\n开展技术攻关",
    "results": "网络质量排名全省第一",
}


@pytest.mark.parametrize("button", ["save", "submit"])
def test_new_application_without_a_name_comes_back_with_a_field_error(client, org, button):
    client.force_login(org.users["secretary"])
    response = client.post(reverse("brands:create", args=[org.a1.pk]), {**TYPED, button: "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "请填写品牌名称，保存草稿也需要名称。" in body
    for field in ("slogan", "core_idea", "goal", "results"):
        assert TYPED[field] in body
    assert "设立党员先锋岗\n开展技术攻关" in body
    assert 'value="development" selected' in body or 'value="development" checked' in body
    assert not BrandApplication.objects.filter(unit=org.a1).exists()


@pytest.mark.parametrize("button", ["save", "submit"])
def test_clearing_the_name_of_a_draft_comes_back_with_a_field_error(client, org, button):
    secretary = org.users["secretary"]
    app = services.save_application_draft(actor=secretary, unit=org.a1, data=CONTENT)
    client.force_login(secretary)
    response = client.post(reverse("brands:edit", args=[app.pk]), {**TYPED, button: "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "请填写品牌名称，保存草稿也需要名称。" in body and TYPED["goal"] in body
    app.refresh_from_db()
    assert app.name == CONTENT["name"] and app.goal == CONTENT["goal"]


def test_a_nameless_draft_is_audited_under_a_plain_text_name(org):
    app = services.save_application_draft(
        actor=org.users["secretary"], unit=org.a1, data={**CONTENT, "name": ""}
    )
    assert type(str(app)) is str and str(app) == "（未命名品牌）"
    entry = AuditEntry.objects.get(object_id=app.pk, action="create")
    assert entry.object_repr == "（未命名品牌）"


def test_object_label_does_not_trust_str_to_return_text():
    class LazyName:
        def __str__(self):
            return gettext_lazy("（未命名品牌）")

    assert object_label(LazyName()) == "（未命名品牌）"
    assert len(object_label(type("Long", (), {"__str__": lambda self: "长" * 300})())) == 200
