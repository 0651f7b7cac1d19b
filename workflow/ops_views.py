"""The administrators' operations pages (registered under /ops/ by workflow/ops_urls.py)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from . import selectors


@login_required
def scheduled_jobs(request):
    """定时任务: each beat schedule with its last run, last success and last error."""
    if not request.user.has_perm("workflow.view_scheduled_jobs"):
        raise PermissionDenied
    return render(request, "workflow/scheduled_jobs.html", {"jobs": selectors.scheduled_jobs()})
