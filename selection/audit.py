"""The audit actions this app writes (the timelines and any count go by them)."""

from django.db import models


class Action(models.TextChoices):
    OPENED = "selection_round_opened"
    PROPOSED = "selection_proposed"
    SCORED = "selection_scored"
    SELECT = "select"
    NOT_SELECT = "not_select"
    RECONSIDER = "reconsider"
    PUBLISHED = "selection_round_published"
