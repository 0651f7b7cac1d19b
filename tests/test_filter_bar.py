"""A list page's filter bar (`common.forms.FilterBar`) renders each field with one small
template: the label tied to the widget, Bootstrap's classes, what was typed kept, and an error
in Chinese at the field — the markup crispy-forms gave, for less work (issue #19)."""

import re

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from common.forms import FilterBar, FilterForm


class Bar(FilterForm):
    q = forms.CharField(label="名称或编码", required=False, help_text="支持模糊查询")
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), ("a", "甲")])
    days = forms.IntegerField(label="已等待天数", required=False, min_value=0)
    kinds = forms.CharField(required=False, widget=forms.HiddenInput)
    mine = forms.BooleanField(label="仅本人", required=False)


def field_html(form, name):
    return form[name].as_field_group()


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_label_points_at_the_widget_with_bootstrap_classes():
    form = Bar({"q": "西湖", "status": "a"})
    q, status = field_html(form, "q"), field_html(form, "status")
    assert '<label for="id_q" class="form-label">名称或编码</label>' in q
    assert re.search(r'<input type="text" name="q" value="西湖"[^>]*class="form-control"', q)
    assert 'id="div_id_q" class="mb-3"' in q
    assert '<div id="id_q_helptext" class="form-text">支持模糊查询</div>' in q
    assert 'class="form-select"' in status and '<option value="a" selected>甲</option>' in status


def test_an_invalid_value_is_kept_and_explained_at_the_field_in_chinese():
    form = Bar({"days": "-3"})
    assert form.filters() == {}  # an invalid filter is ignored, the page still answers
    html = field_html(form, "days")
    assert 'value="-3"' in html
    assert re.search(r'class="form-control is-invalid"', html)
    assert 'aria-invalid="true"' in html
    assert '<div id="id_days_error" class="invalid-feedback d-block">' in html
    assert "确保该值大于或等于0" in html


def test_a_checkbox_is_a_form_check_and_a_hidden_field_stays_bare():
    form = Bar({"mine": "on", "kinds": "a,b"})
    mine = field_html(form, "mine")
    assert 'class="form-check"' in mine and 'class="form-check-input"' in mine
    assert '<label for="id_mine" class="form-check-label">仅本人</label>' in mine
    assert str(form["kinds"]) == '<input type="hidden" name="kinds" value="a,b" id="id_kinds">'


def test_user_input_is_escaped():
    html = field_html(Bar({"q": '"><script>alert(1)</script>'}), "q")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_form_of_the_bar_without_filters_method_renders_alike():
    class Plain(FilterBar):
        q = forms.CharField(label="姓名", required=True)

    html = field_html(Plain({}), "q")
    assert '姓名<span class="asteriskField">*</span>' in html
    assert "这个字段是必填项。" in html


def test_the_org_list_bar_keeps_a_bad_filter_and_says_why_at_the_field(client, org):
    client.force_login(org.users["admin"])
    response = client.get(reverse("branches:unit_list"), {"q": "市场", "region": "abc"})
    assert response.status_code == 200
    body = response.content.decode()
    assert '<label for="id_q" class="form-label">名称或编码</label>' in body
    assert re.search(r'name="q" value="市场"[^>]*class="form-control"', body)
    region = body.split('id="div_id_region"', 1)[1].split("</div></div>", 1)[0]
    assert "is-invalid" in region and "选择一个有效的选项" in region
