"""The kinds of meeting and activity the ledger's work templates describe (模板化管理), for
other apps to name — evaluation's online rules count meetings by kind — without importing the
ledger's models: this module imports no model, so a rule module may import it while the apps
are still loading (rules register at import)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    BRANCH_ASSEMBLY = "branch_assembly", _("支部党员大会")
    COMMITTEE_MEETING = "committee_meeting", _("支委会")
    GROUP_MEETING = "group_meeting", _("党小组会")
    PARTY_LECTURE = "party_lecture", _("党课")
    THEME_DAY = "theme_day", _("主题党日")
    LIFE_MEETING = "life_meeting", _("组织生活会")
    MEMBER_REVIEW = "member_review", _("民主评议党员")
    HEART_TALK = "heart_talk", _("谈心谈话")
    CUSTOM = "custom", _("自定义")
