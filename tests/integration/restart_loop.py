"""The application side of test_postgres_restart.py, run in its own process against the
throwaway PostgreSQL cluster (DATABASE_URL): migrate, build the factories' org tree with one
brand application in review, then 200 requests through Django's test client — pages of three
roles and, every third request, a state change of the application (returned by its first
reviewer, resubmitted by its secretary, alternately) — while the test restarts PostgreSQL.

It talks to the test on stdout, one line each: "@@ready", then "@@<i>" after request i, then
"@@result <json>" with each request's outcome and, per application, its status and the
to-state of its last audit entry."""

import json
import sys
import time

import django


class _NoMigrations:
    """MIGRATION_MODULES saying that no app has migrations."""

    def __contains__(self, app_label):
        return True

    def __getitem__(self, app_label):
        return None


def say(line: str) -> None:
    sys.stdout.write(f"@@{line}\n")
    sys.stdout.flush()


def main(count: int) -> None:
    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings

    from tests.conftest import restore_shipped_tables

    began = time.monotonic()
    # The schema straight from the models (as pytest-django's --nomigrations builds it: 3 s
    # instead of 30 s of replaying migrations), then the rows the data migrations ship.
    with override_settings(MIGRATION_MODULES=_NoMigrations()):
        call_command("migrate", run_syncdb=True, verbosity=0)
    restore_shipped_tables()
    sys.stderr.write(f"schema in {time.monotonic() - began:.1f} s\n")
    override_settings(  # the factories' users: a fast hasher, as in the test suite
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    ).enable()

    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from brands import services
    from brands.models import BrandApplication, Status
    from tests.brands.conftest import CONTENT, png_upload
    from tests.factories import Org
    from workflow import selectors as workflow_selectors

    org = Org()
    secretary = org.users["secretary"]
    draft = services.save_application_draft(
        actor=secretary, unit=org.a1, data=CONTENT, logo=png_upload()
    )
    app = services.submit_application(actor=secretary, pk=draft.pk)
    clients = {}
    for role in ("secretary", "general_branch_reviewer", "city_reviewer"):
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(org.users[role])
    sys.stderr.write(f"ready in {time.monotonic() - began:.1f} s\n")
    say("ready")

    outcomes = []
    for i in range(count):
        try:
            if i % 3 == 0:
                status = clients["secretary"].get(reverse("dashboard")).status_code
            elif i % 3 == 1:
                status = clients["city_reviewer"].get(reverse("brands:index")).status_code
            else:
                current = BrandApplication.objects.get(pk=app.pk)
                version = services.WORKFLOW.version_of(current)
                if current.status == Status.RETURNED:
                    who, action, comment = "secretary", "submit", ""
                else:
                    who, action, comment = "general_branch_reviewer", "return", "请补充材料"
                status = (
                    clients[who]
                    .post(
                        reverse("brands:act", args=[app.pk, action]),
                        {"comment": comment, "expected_version": version},
                    )
                    .status_code
                )
            outcomes.append(status)
        except Exception as exc:  # the read outside a request while the database restarts
            outcomes.append(type(exc).__name__)
            connection.close()
        say(str(i))
        time.sleep(0.02)

    sys.stderr.write(f"looped in {time.monotonic() - began:.1f} s\n")
    applications = []
    for application in BrandApplication.objects.all():
        trail = list(workflow_selectors.timeline(application))
        last = trail[-1].to_state if trail else None
        applications.append({"pk": application.pk, "status": application.status, "last": last})
    changes = len(list(workflow_selectors.timeline(app)))
    say("result " + json.dumps({"outcomes": outcomes, "apps": applications, "audit": changes}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
