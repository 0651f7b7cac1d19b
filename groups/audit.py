"""The audit actions this app writes (what the timelines and any count go by)."""

from django.db import models


class Action(models.TextChoices):
    POST_NAMED = "pioneer_post_named"
    POST_SPOT_CHECK = "pioneer_post_spot_check"
    POST_REVIEWED = "pioneer_post_reviewed"
    POST_WITHDRAWN = "pioneer_post_withdrawn"
    INNOVATION_FILED = "innovation_filed"
    INNOVATION_DECIDED = "innovation_decided"
    INNOVATION_RECOMMENDED = "innovation_recommended"
    GROUP_BRAND_SAVED = "group_brand_saved"
    GROUP_BRAND_PHOTO_REMOVED = "group_brand_photo_removed"
    ASSESSMENT_STARTED = "group_assessment_started"
    ASSESSMENT_SAVED = "group_assessment_saved"
    ASSESSMENT_SUBMITTED = "group_assessment_submitted"
    ASSESSMENT_REOPENED = "group_assessment_reopened"
    BRAND_GROUP_PROPOSED = "brand_group_proposed"
    BRAND_GROUP_DECIDED = "brand_group_decided"
    MEMBER_PERIOD_OPENED = "member_period_opened"
    MEMBER_PERIOD_EXTENDED = "member_period_extended"
    MEMBER_SELF_ASSESSED = "member_self_assessed"
    MEMBER_SCORED = "member_scored"
    MEMBER_PERIOD_PUBLISHED = "member_period_published"
    MEMBER_PERIOD_WITHDRAWN = "member_period_withdrawn"
    KPI_COEFFICIENT_SET = "kpi_coefficient_set"
