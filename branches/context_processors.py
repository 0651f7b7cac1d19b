"""Role-aware main navigation: each entry is shown only to users who may use it."""

import functools

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

NAV = [
    # (url name, label, icon, permission or None)
    ("dashboard", _("工作台"), "speedometer2", None),
    ("branches:unit_list", _("组织机构"), "diagram-3", "branches.browse_units"),
    ("brands:index", _("品牌创建"), "award", None),
    ("brands:showcase", _("品牌展示"), "grid-3x3-gap", None),
    ("evaluation:index", _("考核评价"), "clipboard-check", None),
    ("rectification:index", _("整改管理"), "tools", "rectification.list_plans"),
    ("flagship:index", _("旗舰品牌"), "flag", None),
    ("ledger:index", _("党员名册"), "people", "ledger.browse_rosters"),
    ("bulletins:index", _("通报导出"), "file-earmark-arrow-down", "bulletins.browse_bulletins"),
    ("branches:accounts", _("账号管理"), "person-gear", "branches.manage_accounts"),
    ("ops:scheduled_jobs", _("定时任务"), "clock-history", "workflow.view_scheduled_jobs"),
    ("admin:index", _("系统管理"), "gear", "branches.import_units"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for url, label, icon, perm in _entries(
        settings.ROOT_URLCONF, get_urlconf(), get_script_prefix()
    ):
        if perm and not user.has_perm(perm):
            continue
        items.append({"url": url, "label": label, "icon": icon, "active": False})
    # The entry with the longest matching prefix is the current one (/brands/showcase/ is
    # 品牌展示, not 品牌创建 at /brands/); the dashboard only on its own page.
    matches = [
        i
        for i in items
        if request.path.startswith(i["url"]) and (i["url"] != "/" or request.path == "/")
    ]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return {"nav_items": items}


@functools.cache
def _entries(root_urlconf, urlconf, script_prefix) -> tuple:
    """NAV with each entry's URL, reversed once per process (URL names do not change while it
    runs; issue #19: twelve `reverse()` on every page), per URL configuration and prefix.
    Whether the user sees an entry stays a per-request check."""
    entries = []
    for name, label, icon, perm in NAV:
        try:
            url = reverse(name, urlconf=urlconf)
        except NoReverseMatch:
            continue  # that part of the portal is not installed yet
        entries.append((url, label, icon, perm))
    return tuple(entries)
