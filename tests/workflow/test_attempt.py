"""workflow.views.attempt: the one place a view turns a service's refusal into a message."""

import pytest
from django import forms
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from brands.services import BrandError
from bulletins.services import BulletinError
from common.errors import DomainError
from evaluation.services.assessments import EvaluationError
from flagship.services.common import FlagshipError
from ledger.services import RosterError
from ledger.services.records import RecordError
from workflow.transitions import AlreadyHandled, TransitionError
from workflow.views import attempt, outcome_of

pytestmark = pytest.mark.smoke


@pytest.fixture
def request_():
    request = RequestFactory().post("/")
    request._messages = CookieStorage(request)
    return request


def said(request):
    return [(m.level, m.message) for m in messages.get_messages(request)]


def refuse(exc):
    def call(**kwargs):
        raise exc

    return call


def test_a_refusal_becomes_the_page_message_and_a_falsy_outcome(request_):
    outcome = attempt(request_, refuse(RosterError("该党员已停用。")), success="不会出现")

    assert not outcome
    assert outcome.error == "该党员已停用。"
    assert outcome.value is None
    assert said(request_) == [(messages.ERROR, "该党员已停用。")]


def test_a_validation_error_says_every_message(request_):
    outcome = attempt(request_, refuse(ValidationError(["请填写原因。", "日期有误。"])))

    assert not outcome
    assert said(request_) == [(messages.ERROR, "请填写原因。；日期有误。")]


def test_a_success_carries_the_return_value_and_says_the_success_message(request_):
    def publish(*, actor, pk):
        return {"actor": actor, "pk": pk}

    outcome = attempt(request_, publish, actor="admin", pk=7, success="已发布。")

    assert outcome
    assert outcome.value == {"actor": "admin", "pk": 7}
    assert outcome.error == ""
    assert said(request_) == [(messages.SUCCESS, "已发布。")]


def test_a_success_without_a_message_says_nothing(request_):
    assert attempt(request_, lambda: None)  # truthy even though the call returned None
    assert said(request_) == []


def test_given_a_form_a_refusal_becomes_its_non_field_error(request_):
    form = forms.Form(data={})
    form.is_valid()

    outcome = attempt(request_, refuse(TransitionError("评选周期已存在。")), form=form)

    assert not outcome
    assert form.non_field_errors() == ["评选周期已存在。"]
    assert said(request_) == []


@pytest.mark.parametrize("exc", [PermissionDenied("不是您的支部。"), KeyError("bug")])
def test_anything_but_a_refusal_propagates(request_, exc):
    with pytest.raises(type(exc)):
        attempt(request_, refuse(exc), success="不会出现")
    assert said(request_) == []


def test_outcome_of_reports_without_saying_anything():
    outcome = outcome_of(refuse(AlreadyHandled("已被他人处理。")))
    assert not outcome
    assert outcome.error == "已被他人处理。"
    assert outcome_of(lambda x: x * 2, 21).value == 42


@pytest.mark.parametrize(
    "error",
    [
        TransitionError,
        AlreadyHandled,
        BrandError,
        FlagshipError,
        EvaluationError,
        RecordError,
        RosterError,
        BulletinError,
    ],
)
def test_every_apps_domain_error_derives_from_the_one_base(error, request_):
    assert issubclass(error, DomainError)
    assert not attempt(request_, refuse(error("不行。")))
