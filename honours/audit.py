"""The audit actions this app writes (what the timelines and any count go by)."""

from django.db import models


class Action(models.TextChoices):
    PROPOSED = "honour_round_proposed"
    LEFT_OUT = "honour_left_out"
    PUT_BACK = "honour_put_back"
    PUBLISHED = "honour_round_published"
