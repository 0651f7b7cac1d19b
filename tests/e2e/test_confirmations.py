"""Final steps ask first, and a refusal the page can know comes before the question: a
reviewer who clicks 不予通过 with no comment is told at the comment box and no dialog opens;
with a comment the dialog says what happens; cancelling changes nothing; confirming rejects.
At 1366×900 and at 390×844, with nothing wider than the screen."""

import pytest
from playwright.sync_api import expect

from brands import services
from brands.models import BrandApplication
from tests.brands.conftest import CONTENT, png_upload
from tests.e2e.conftest import assert_no_horizontal_scroll, login


@pytest.fixture
def submitted(org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    secretary = org.users["secretary"]
    draft = services.save_application_draft(
        actor=secretary, unit=org.a1, data=CONTENT, logo=png_upload()
    )
    app = services.submit_application(actor=secretary, pk=draft.pk)
    return services.approve_application(actor=org.users["general_branch_reviewer"], pk=app.pk)


def test_reject_asks_after_the_comment_is_there(page, live_server, org, submitted, screen):
    dialogs, accept = [], {"now": False}

    def answer(dialog):
        dialogs.append(dialog.message)
        dialog.accept() if accept["now"] else dialog.dismiss()

    login(page, live_server, "rev_a")  # the city reviewer, whose turn it is
    page.goto(f"{live_server.url}/brands/{submitted.pk}/")
    assert_no_horizontal_scroll(page)

    # 1. No comment: refused in the page, at the box; no dialog, nothing sent.
    page.on("dialog", answer)
    page.get_by_test_id("act-reject").click()
    expect(page.locator("[data-comment-feedback]")).to_contain_text("请先填写意见")
    assert dialogs == []
    assert_no_horizontal_scroll(page)

    # 2. With a comment: the dialog says the decision is final; cancelling keeps it in review.
    page.get_by_label("审核意见").fill("与本支部主责主业关联不足")
    page.get_by_test_id("act-reject").click()
    for _ in range(50):  # the dialog event reaches Python right after the click
        if dialogs:
            break
        page.wait_for_timeout(100)
    assert len(dialogs) == 1 and "最终决定" in dialogs[0]
    assert BrandApplication.objects.get(pk=submitted.pk).status == "in_review"

    # 3. Confirmed: rejected.
    accept["now"] = True
    page.get_by_test_id("act-reject").click()
    expect(page.get_by_test_id("status")).to_have_text("未通过")
    assert BrandApplication.objects.get(pk=submitted.pk).status == "rejected"
