"""考评日程: the province sets each table's rhythm once; beat creates the periods."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from common.errors import error_text

from ..schedule_forms import ScheduleForm
from ..selectors import periods as period_selectors
from ..selectors import schedules as selectors
from ..services import schedules as services
from .common import require


@login_required
def index(request):
    require(request.user, "evaluation.manage_periods")
    return render(
        request,
        "evaluation/schedules.html",
        {"schedules": list(selectors.schedules_visible_to(request.user))},
    )


def _form_page(request, schedule=None):
    form = ScheduleForm(
        request.POST or None,
        instance=schedule,
        scopes=period_selectors.period_scopes(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_schedule(
                actor=request.user,
                data=form.cleaned_data,
                pk=schedule.pk if schedule else None,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("考评日程已保存，系统将按日程自动创建考评周期。"))
            return redirect("evaluation:schedules")
    return render(request, "evaluation/schedule_form.html", {"form": form, "schedule": schedule})


@login_required
def create(request):
    require(request.user, "evaluation.manage_periods")
    return _form_page(request)


@login_required
def edit(request, pk):
    require(request.user, "evaluation.manage_periods")
    # outside the user's subtree: 404, as if it did not exist
    schedule = get_object_or_404(selectors.schedules_visible_to(request.user), pk=pk)
    return _form_page(request, schedule)
