"""Generate every active branch's annual work list (清单化管理) for a year — the current one
unless --year is given. Safe to run again: nothing is added twice."""

from django.core.management.base import BaseCommand

from workflow.windows import local_today

from ...services.worklist import generate_all


class Command(BaseCommand):
    help = "Generate the branches' annual work lists from the templates in force (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None)

    def handle(self, *args, year=None, **options):
        year = year or local_today().year
        created = generate_all(year)
        self.stdout.write(f"work lists {year}: {created} new tasks")
