import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from brands import services

CONTENT = {
    "name": "红色引擎",
    "slogan": "党建引领，网络护航",
    "brand_type": "development",
    "core_idea": "把支部建在网上，把党员放在一线",
    "goal": "三年内实现网络故障处理时长下降30%",
    "measures": ["设立党员先锋岗", "开展技术攻关", "建立结对帮扶机制"],
    "results": "网络质量排名全省第一",
}


def png_upload(name="logo.png", size=(300, 200), color=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def draft(org):
    return services.save_application_draft(
        actor=org.users["secretary"], unit=org.a1, data=CONTENT, logo=png_upload()
    )


@pytest.fixture
def submitted(org, draft):
    return services.submit_application(actor=org.users["secretary"], pk=draft.pk)
