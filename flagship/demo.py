"""Demo data for flagship (run by `seed_demo` after brands and evaluation, whose built brands
and published results decide who may apply): one cycle in its application phase, its window
open today, made and opened through the services (`create_cycle`, `advance`) by the provincial
reviewer, so it carries its committee (jury1 as chair, jury2), its default scoring table and
its audit entries. No candidacy is filed: applying is what a demo secretary tries out
(`branches.demo.SHOWCASE_SECRETARY`'s branch has a built brand and clean results).

No second cycle in its voting phase: a vote needs candidacies accepted up the chain, a
notice, a management phase and the committee's scores before the chair names the units,
each step dated in an earlier cycle's calendar; written around the services it would show
a vote the workflow could not have produced, so the demo leaves it out."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import FlagshipCycle
from .services.cycle import advance, create_cycle

#: The application window around today: opened a week ago, closes in five weeks.
OPENED_DAYS_AGO, CLOSES_IN_DAYS, NOTICE_AFTER_DAYS = 7, 35, 45


def seed_flagship(rng: random.Random) -> dict[str, int]:
    actor = get_user_model().objects.get(username="province")
    today = timezone.localdate()
    cycle = create_cycle(
        actor=actor,
        year_start=today.year,
        data={
            "application_opens_on": today - timedelta(days=OPENED_DAYS_AGO),
            "application_closes_on": today + timedelta(days=CLOSES_IN_DAYS),
            "notice_starts_on": today + timedelta(days=NOTICE_AFTER_DAYS),
        },
    )
    advance(actor=actor, pk=cycle.pk, name="open_application")
    return {str(FlagshipCycle._meta.verbose_name): 1}
