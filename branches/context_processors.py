"""Role-aware main navigation: each entry is shown only to users who may use it."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

NAV = [
    # (url name, label, icon, permission or None)
    ("dashboard", _("工作台"), "speedometer2", None),
    ("branches:unit_list", _("组织机构"), "diagram-3", "branches.browse_units"),
    ("brands:index", _("品牌创建"), "award", None),
    ("brands:showcase", _("品牌展示"), "grid-3x3-gap", None),
    ("evaluation:index", _("考核评价"), "clipboard-check", None),
    ("flagship:index", _("旗舰品牌"), "flag", None),
    ("bulletins:index", _("通报导出"), "file-earmark-arrow-down", None),
    ("admin:index", _("系统管理"), "gear", "branches.import_units"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for name, label, icon, perm in NAV:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue  # that part of the portal is not installed yet
        if perm and not user.has_perm(perm):
            continue
        active = request.path == url if name == "dashboard" else request.path.startswith(url)
        items.append({"url": url, "label": label, "icon": icon, "active": active})
    return {"nav_items": items}
