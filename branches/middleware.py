"""A rule that holds on every page.

* `ForcePasswordChangeMiddleware`: a user holding a temporary password set by an administrator
  (`User.must_change_password`) is sent to 修改密码 from every page but that one, logout, the
  language switch, static files and /healthz, until they choose their own password.
"""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


def _send_to(request, url):
    """A redirect; htmx follows it as a full page load, not a fragment swap."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class ForcePasswordChangeMiddleware:
    #: URL names a user with a temporary password may still open.
    ALLOWED = ("password_change", "password_change_done", "logout", "set_language", "healthz")

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed = None

    def allowed_paths(self):
        if self._allowed is None:
            self._allowed = {reverse(name) for name in self.ALLOWED}
        return self._allowed

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.must_change_password
            and request.path not in self.allowed_paths()
            and not request.path.startswith(settings.STATIC_URL)
        ):
            messages.warning(request, _("您正在使用管理员设置的临时密码，请先修改密码后再继续。"))
            return _send_to(request, reverse("password_change"))
        return self.get_response(request)
