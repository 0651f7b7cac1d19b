"""Two session rules that hold on every page.

* `SessionIdleTimeoutMiddleware`: a session ends after settings.SESSION_IDLE_MINUTES without a
  request. The last activity is an epoch second in the session, rewritten only when more than
  a minute has passed since the stored one, so an active user costs one session write a
  minute rather than one per request (SESSION_SAVE_EVERY_REQUEST would write on every request,
  htmx fragments and polls included). Whether the cookie outlives the browser is the login
  form's 记住我 (`account_views.LoginView`); the idle limit applies either way.
* `ForcePasswordChangeMiddleware`: a user holding a temporary password set by an administrator
  (`User.must_change_password`) is sent to 修改密码 from every page but that one, logout, the
  language switch, static files and the health checks, until they choose their own password.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

LAST_ACTIVITY_KEY = "last_activity"
#: Seconds between two writes of the last activity (the timeout is that much less precise).
TOUCH_INTERVAL = 60


def mark_activity(session, now: int | None = None):
    session[LAST_ACTIVITY_KEY] = int(time.time()) if now is None else now


def start_idle_clock(sender, request, user, **kwargs):
    """`user_logged_in` receiver (connected in apps.py)."""
    if getattr(request, "session", None) is not None:
        mark_activity(request.session)


def _send_to(request, url):
    """A redirect; htmx follows it as a full page load, not a fragment swap."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class SessionIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - last > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
                messages.info(request, _("长时间未操作，请重新登录。"))
                if request.headers.get("HX-Request"):
                    return _send_to(request, reverse(settings.LOGIN_URL))
                return redirect_to_login(request.get_full_path())
            if last is None or now - last >= TOUCH_INTERVAL:
                mark_activity(request.session, now)
        return self.get_response(request)


class ForcePasswordChangeMiddleware:
    #: URL names a user with a temporary password may still open.
    ALLOWED = (
        "password_change",
        "password_change_done",
        "logout",
        "set_language",
        "healthz",
        "readyz",
    )

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
