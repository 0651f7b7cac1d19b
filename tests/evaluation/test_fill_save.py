"""The self-assessment form is saved as one (scores, texts and files in one transaction), and a
save that does not go through keeps what was typed and names every file to choose again."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation.models import Assessment, Evidence, IndicatorKind
from evaluation.selectors.tables import indicators_for
from evaluation.services import assessments as services
from evaluation.services.fill import save_assessment_draft

from .conftest import full_marks
from .test_flows import form_data, png

RE_ATTACH = "尚未保存，请重新选择后再保存"


def _earning(assessment):
    return [
        i
        for i in indicators_for(assessment.period.table_version_id, assessment.category)
        if i.kind in (IndicatorKind.BASIC, IndicatorKind.SPECIAL)
    ]


def _stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_form_refusal_keeps_the_typed_text_and_names_the_attached_file(client, org, a1):
    client.force_login(org.users["secretary"])
    first, second = _earning(a1)[:2]
    data = form_data(a1)
    data[f"s{first.pk}"] = "99999"  # over the item's points: the form refuses
    data[f"e{second.pk}"] = "本月支委会记录见附件"
    response = client.post(
        reverse("evaluation:fill", args=[a1.pk]),
        {**data, "save": "1", f"f{second.pk}": png("支委会记录.png")},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "本月支委会记录见附件" in body  # what was typed comes back
    assert f"文件“支委会记录.png”{RE_ATTACH}" in body  # at the file's field
    form = response.context["form"]
    assert RE_ATTACH in form.errors[f"f{second.pk}"][0]
    assert not Evidence.objects.exists() and not a1.scores.exists()


def test_a_service_refusal_names_the_attached_file_too(client, org, a1):
    """A triggered veto item without an explanation is refused by the service, not the form."""
    client.force_login(org.users["secretary"])
    first = _earning(a1)[0]
    veto = next(
        i
        for i in indicators_for(a1.period.table_version_id, a1.category)
        if i.kind == IndicatorKind.VETO
    )
    data = {**form_data(a1), f"s{veto.pk}": "on", f"e{veto.pk}": ""}
    response = client.post(
        reverse("evaluation:fill", args=[a1.pk]), {**data, "save": "1", f"f{first.pk}": png()}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "请在佐证说明中写明情况" in body and RE_ATTACH in body
    assert not Evidence.objects.exists() and not a1.scores.exists()


def test_a_refused_file_saves_nothing_and_says_why_at_its_field(client, org, a1, settings):
    client.force_login(org.users["secretary"])
    first, second = _earning(a1)[:2]
    page = SimpleUploadedFile("page.html", b"<script>alert(1)</script>", content_type="text/html")
    response = client.post(
        reverse("evaluation:fill", args=[a1.pk]),
        {**form_data(a1), "save": "1", f"f{first.pk}": png(), f"f{second.pk}": page},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "不支持的文件类型" in form.errors[f"f{second.pk}"][0]
    assert RE_ATTACH in form.errors[f"f{first.pk}"][0]  # the good one was not kept either
    a = Assessment.objects.get(pk=a1.pk)
    assert a.revision == a1.revision and not a.scores.exists()  # the draft as it was
    assert not Evidence.objects.exists() and _stored_files(settings) == []  # no orphan file


def test_scores_and_files_are_saved_together(org, a1):
    first, second = _earning(a1)[:2]
    saved = save_assessment_draft(
        actor=org.users["secretary"],
        pk=a1.pk,
        entries=full_marks(a1, Decimal("0.5")),
        uploads=[(first, png("a.png")), (second, png("b.png"))],
        expected_version=services.WORKFLOW.version_of(a1),
    )
    assert saved.revision == a1.revision + 1 and saved.self_total == 50
    assert sorted(e.indicator_id for e in Evidence.objects.filter(assessment=a1)) == sorted(
        [first.pk, second.pk]
    )


def test_a_stale_page_saves_neither_scores_nor_files(client, org, a1):
    secretary = org.users["secretary"]
    first = _earning(a1)[0]
    seen = form_data(a1)
    services.save_draft(actor=secretary, pk=a1.pk, entries=full_marks(a1, Decimal("0.2")))
    client.force_login(secretary)
    response = client.post(
        reverse("evaluation:fill", args=[a1.pk]),
        {**seen, "save": "1", f"f{first.pk}": png()},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "已被他人修改" in body and RE_ATTACH in body
    assert Assessment.objects.get(pk=a1.pk).self_total == 20
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("bad", ["refused file", "refused score"])
def test_the_service_is_all_or_nothing(org, a1, settings, bad):
    first, second = _earning(a1)[:2]
    entries = full_marks(a1)
    uploads = [(first, png())]
    if bad == "refused file":
        uploads.append((second, SimpleUploadedFile("x.svg", b"<svg/>")))
    else:
        entries[first.pk] = {"score": Decimal("99999"), "evidence": ""}
    with pytest.raises(ValidationError):
        save_assessment_draft(
            actor=org.users["secretary"], pk=a1.pk, entries=entries, uploads=uploads
        )
    assert not a1.scores.exists() and not Evidence.objects.exists()
    assert _stored_files(settings) == []
