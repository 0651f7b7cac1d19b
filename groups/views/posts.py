"""Pioneer-post pages. Thin: check the permission, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.models import OrgUnit
from branches.selectors import units_visible_to
from common.pagination import paginate
from ledger.views.units import branch_or_404
from workflow.views import found_or_404, refusal_on_form
from workflow.windows import local_today

from .. import selectors, services
from ..forms import PostForm, ReviewForm, SpotCheckForm
from ..models import PioneerPost, PostStatus

PAGE_SIZE = 30


def _post(request, pk, perm="groups.view_post") -> PioneerPost:
    return found_or_404(request, selectors.post_for_page, pk, perm)


@login_required
def branch_posts(request, branch_pk):
    branch = branch_or_404(request, branch_pk, "groups.view_posts")
    withdrawn = request.GET.get("all") == "1"
    posts = list(selectors.posts_of(branch, include_withdrawn=withdrawn))
    return render(
        request,
        "groups/posts.html",
        {
            "branch": branch,
            "posts": posts,
            "withdrawn": withdrawn,
            "can_edit": request.user.has_perm("groups.manage_posts", branch),
        },
    )


@login_required
def post_new(request, branch_pk):
    branch = branch_or_404(request, branch_pk, "groups.manage_posts")
    form = PostForm(request.POST or None, user=request.user, branch=branch)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.name_post(actor=request.user, branch=branch, **form.cleaned_data)
        except (ValidationError, services.PostError) as exc:
            refusal_on_form(form, exc)
        else:
            messages.success(request, _("先锋岗已设立。"))
            return redirect("groups:post", post.pk)
    return render(request, "groups/post_form.html", {"branch": branch, "form": form})


def _detail(request, post, *, check_form=None, review_form=None, status=200):
    can_edit = request.user.has_perm("groups.manage_post", post)
    if can_edit:
        check_form = check_form or SpotCheckForm()
        review_form = review_form or ReviewForm(today=local_today())
    return render(
        request,
        "groups/post_detail.html",
        {
            "branch": post.branch,
            "post": post,
            "can_edit": can_edit and post.status == PostStatus.ACTIVE,
            "show_crumbs": request.user.has_perm("groups.view_posts", post.branch),
            "check_form": check_form,
            "review_form": review_form,
        },
        status=status,
    )


@login_required
def post_detail(request, pk):
    return _detail(request, _post(request, pk))


def _record(request, pk, form_class, service, done, form_key, **form_kwargs):
    """A manager's POST on a post's page (spot check, review): saved → back to the page with
    `done`; refused or invalid → the page again with the form and what was typed."""
    post = _post(request, pk, "groups.manage_post")
    form = form_class(request.POST, **form_kwargs)
    if form.is_valid():
        try:
            service(actor=request.user, post_id=post.pk, **form.cleaned_data)
        except (ValidationError, services.PostError) as exc:
            refusal_on_form(form, exc)
        else:
            messages.success(request, done)
            return redirect("groups:post", post.pk)
    return _detail(request, post, **{form_key: form})


@login_required
@require_POST
def spot_check(request, pk):
    return _record(
        request, pk, SpotCheckForm, services.record_spot_check, _("抽查记录已保存。"), "check_form"
    )


@login_required
@require_POST
def review(request, pk):
    return _record(
        request,
        pk,
        ReviewForm,
        services.review_post,
        _("半年评估已保存。"),
        "review_form",
        today=local_today(),
    )


@login_required
def area(request, unit_pk=None):
    """A committee's overview: posts in force per branch of its subtree (counts by kind)."""
    if unit_pk:  # another subtree's unit: 403, as everywhere (unknown ids: 404)
        unit = get_object_or_404(OrgUnit, pk=unit_pk)
    else:
        unit = units_visible_to(request.user).order_by("path").first()
    if unit is None or not request.user.has_perm("ledger.view_compliance", unit):
        raise PermissionDenied
    page, query = paginate(request, selectors.area_overview(unit), PAGE_SIZE)
    return render(request, "groups/area.html", {"unit": unit, "page": page, "query": query})


@login_required
def mine(request):
    """A member's own posts (the member linked to this account)."""
    return render(request, "groups/mine.html", {"posts": list(selectors.my_posts(request.user))})
