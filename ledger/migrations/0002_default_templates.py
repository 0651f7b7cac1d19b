"""The province's default work templates, from the branch work regulations (《中国共产党支部工作
条例（试行）》): 支委会、党小组会、主题党日 monthly; 支部党员大会、党课 quarterly; 组织生活会、民主评议
党员 yearly; 谈心谈话 at least once a year with every member. Editable data: the province
revises them as new versions (the admin), these rows stay as version 1."""

from django.db import migrations

FLAGS = ("topic", "host", "recorder", "attendance", "minutes", "resolutions", "materials")

DEFAULTS = [
    # key, kind, name, attendees, frequency, count, per_member, steps, flags, min_photos
    (
        "committee-meeting",
        "committee_meeting",
        "支委会",
        "committee",
        "monthly",
        1,
        False,
        ["确定议题", "提前通知支委", "集体讨论", "形成决议", "会议记录"],
        {"topic", "host", "recorder", "attendance", "minutes", "resolutions"},
        0,
    ),
    (
        "group-meeting",
        "group_meeting",
        "党小组会",
        "group",
        "monthly",
        1,
        False,
        ["确定学习内容", "集体学习", "交流讨论", "会议记录"],
        {"topic", "host", "attendance", "minutes"},
        0,
    ),
    (
        "branch-assembly",
        "branch_assembly",
        "支部党员大会",
        "all_members",
        "quarterly",
        1,
        False,
        ["支委会研究确定议题", "提前通知全体党员", "报告工作或审议事项", "讨论并表决", "会议记录"],
        {"topic", "host", "recorder", "attendance", "minutes", "resolutions"},
        1,
    ),
    (
        "party-lecture",
        "party_lecture",
        "党课",
        "all_members",
        "quarterly",
        1,
        False,
        ["确定党课主题", "准备讲稿", "讲授党课", "交流研讨"],
        {"topic", "host", "attendance", "materials"},
        1,
    ),
    (
        "theme-day",
        "theme_day",
        "主题党日",
        "all_members",
        "monthly",
        1,
        False,
        ["确定活动主题", "集中学习", "开展主题活动", "总结记录"],
        {"topic", "host", "attendance", "minutes"},
        2,
    ),
    (
        "life-meeting",
        "life_meeting",
        "组织生活会",
        "all_members",
        "yearly",
        1,
        False,
        [
            "会前学习",
            "征求意见",
            "谈心谈话",
            "撰写发言提纲",
            "开展批评与自我批评",
            "制定整改措施",
            "报告上级党组织",
        ],
        {"topic", "host", "recorder", "attendance", "minutes", "materials"},
        1,
    ),
    (
        "member-review",
        "member_review",
        "民主评议党员",
        "all_members",
        "yearly",
        1,
        False,
        ["学习教育", "个人自评", "党员互评", "民主测评", "组织评定", "公示评议结果"],
        {"topic", "host", "recorder", "attendance", "minutes", "resolutions", "materials"},
        0,
    ),
    (
        "heart-talk",
        "heart_talk",
        "谈心谈话",
        "all_members",
        "yearly",
        1,
        True,
        ["确定谈话对象", "开展谈话", "记录谈话要点"],
        {"topic", "minutes"},
        0,
    ),
]


def install(apps, schema_editor):
    MeetingTemplate = apps.get_model("ledger", "MeetingTemplate")
    for key, kind, name, attendees, frequency, count, per_member, steps, flags, photos in DEFAULTS:
        if MeetingTemplate.objects.filter(key=key).exists():
            continue
        MeetingTemplate.objects.create(
            key=key,
            version=1,
            is_current=True,
            kind=kind,
            name=name,
            attendees=attendees,
            frequency=frequency,
            required_count=count,
            per_member=per_member,
            steps=steps,
            min_photos=photos,
            **{f"needs_{flag}": flag in flags for flag in FLAGS},
        )


def remove(apps, schema_editor):
    MeetingTemplate = apps.get_model("ledger", "MeetingTemplate")
    MeetingTemplate.objects.filter(key__in=[d[0] for d in DEFAULTS], version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
