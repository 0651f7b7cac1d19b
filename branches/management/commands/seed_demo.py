"""`python manage.py seed_demo [--branches N] [--apps brands,…] [--reset] [--check]`:
the demo province.

The work is in `branches.demo`; this command parses options and prints. The demo's
notifications stay in the portal: no e-mail leaves while seeding (the demo users' addresses
are made up, and a newcomer's terminal should show the summary, not a dozen console mails)."""

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from branches import demo
from branches.models import UnitType

NO_MAIL = "django.core.mail.backends.dummy.EmailBackend"


class Command(BaseCommand):
    help = "创建演示数据：省公司党委、三个片区、各级党组织、各角色用户和品牌申报。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--branches",
            type=int,
            default=demo.DEFAULT_BRANCHES,
            help=f"number of branches (党支部), default {demo.DEFAULT_BRANCHES}; 100000 is fine",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete all org units, regions, non-superuser users and their records first",
        )
        parser.add_argument(
            "--seed", type=int, default=demo.DEFAULT_SEED, help="random seed (same seed, same data)"
        )
        parser.add_argument(
            "--apps",
            help="comma-separated apps whose demo data to add to the tree and users "
            f"(default all: {', '.join(dict.fromkeys(label for label, _ in demo.APP_SEEDERS))})",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="also run treebeard's find_problems (two queries per node: small trees only)",
        )

    def handle(self, *args, branches, reset, seed, check, apps=None, **options):
        if branches < 1:
            raise CommandError("--branches must be at least 1")
        known = {label for label, _ in demo.APP_SEEDERS}
        apps_only = None if apps is None else {a.strip() for a in apps.split(",") if a.strip()}
        if apps_only is not None and apps_only - known:
            unknown = sorted(apps_only - known)
            raise CommandError(f"unknown --apps {unknown}; known: {sorted(known)}")
        if reset:
            demo.reset()
            self.stdout.write("demo data removed")
        elif demo.present():
            self.stdout.write("demo data already present (use --reset to rebuild)")
            return
        try:
            with override_settings(EMAIL_BACKEND=NO_MAIL):
                result = demo.seed(branches, seed=seed, apps_only=apps_only)
        except demo.DemoDataError as exc:
            raise CommandError(str(exc)) from exc

        labels = dict(UnitType.choices)
        summary = ", ".join(f"{labels[t]} {result.counts.get(t, 0)}" for t in UnitType.values)
        if result.app_counts:
            summary += "; " + ", ".join(f"{k} {v}" for k, v in result.app_counts.items())
        self.stdout.write(f"seeded in {result.seconds:.1f}s: {summary}")
        bad = {k: v for k, v in result.tree_problems.items() if v}
        if bad:
            raise CommandError(f"tree check failed: {bad}")
        if check:
            problems = {k: v for k, v in demo.find_problems().items() if v}
            if problems:
                raise CommandError(f"treebeard find_problems: {problems}")
            self.stdout.write("treebeard find_problems: no problems")

        self.stdout.write("")
        self.stdout.write(
            demo.format_table(
                ["用户名", "姓名", "角色", "党组织", "密码"],
                [(*row, demo.DEMO_PASSWORD) for row in result.credentials],
            )
        )
        self.stdout.write(self.style.SUCCESS(f"\n所有演示用户的密码均为 {demo.DEMO_PASSWORD}"))
