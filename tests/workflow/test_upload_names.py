"""A stored document is named by what it holds, not by what it was called: a PDF uploaded as
report.html is kept and downloaded as report.pdf with the PDF type, and the uploader is told."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from brands.models import Attachment
from common.uploads import clean_document, document_response, with_extension

pytestmark = pytest.mark.smoke

PDF = b"%PDF-1.4\n%test\n"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "kept", "content_type"),
    [
        ("report.html", PDF, "report.pdf", "application/pdf"),
        ("方案.pdf", docx_bytes(), "方案.docx", None),
        ("现场照片.pdf", png_bytes(), "现场照片.jpg", "image/jpeg"),
        ("总结", PDF, "总结.pdf", "application/pdf"),  # no extension at all
        ("旧版报告.doc", OLE2, "旧版报告.doc", "application/msword"),
        ("可疑.exe", OLE2, "可疑.bin", "application/octet-stream"),
    ],
    ids=["pdf-as-html", "docx-as-pdf", "png-as-pdf", "no-extension", "legacy-doc", "ole2-as-exe"],
)
def test_the_kept_name_takes_the_contents_extension(name, data, kept, content_type):
    clean = clean_document(SimpleUploadedFile(name, data))
    assert clean.original_name == kept
    assert clean.renamed_from == ("" if kept == name else name)
    assert clean.content.name.endswith(kept.rpartition(".")[2])
    if content_type:
        assert clean.content_type == content_type


def test_a_png_named_png_is_re_encoded_without_a_mismatch_notice():
    clean = clean_document(SimpleUploadedFile("活动照片.png", png_bytes()))
    assert (clean.original_name, clean.renamed_from) == ("活动照片.jpg", "")


def test_a_name_that_matches_is_kept_as_it_is():
    clean = clean_document(SimpleUploadedFile("年度总结.PDF", PDF))
    assert (clean.original_name, clean.renamed_from) == ("年度总结.PDF", "")


def test_with_extension_keeps_dots_in_the_stem_and_bounds_the_length():
    assert with_extension("v1.2 方案.html", "pdf") == "v1.2 方案.pdf"
    assert len(with_extension("长" * 120 + ".html", "pdf")) == 100


def test_a_file_stored_before_the_rule_downloads_under_its_contents_extension(db, tmp_path):
    stored = Attachment(original_name="report.html", content_type="application/pdf")
    stored.file.name = "brands/attachments/abc.pdf"
    (tmp_path / "abc.pdf").write_bytes(PDF)
    stored.file.open = lambda mode="rb": open(tmp_path / "abc.pdf", mode)  # noqa: SIM115
    response = document_response(stored)
    assert "report.pdf" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"


def test_the_uploader_is_told_and_the_download_is_a_pdf(client, org, settings, tmp_path):
    from brands import services

    settings.MEDIA_ROOT = tmp_path / "media"
    secretary = org.users["secretary"]
    app = services.save_application_draft(actor=secretary, unit=org.a1, data={"name": "网络先锋"})
    client.force_login(secretary)
    response = client.post(
        reverse("brands:upload_attachment", args=[app.pk]),
        {"file": SimpleUploadedFile("report.html", PDF, content_type="text/html")},
        follow=True,
    )
    body = response.content.decode()
    assert "文件“report.html”的内容与扩展名不符，已按内容保存为“report.pdf”" in body
    attachment = Attachment.objects.get(application=app)
    download = client.get(reverse("brands:attachment", args=[attachment.pk]))
    assert "report.pdf" in download["Content-Disposition"]
    assert download["Content-Type"] == "application/pdf"
