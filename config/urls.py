from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.static import serve

from branches import account_views
from branches.views import DashboardView
from config.health import healthz, readyz

urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "activate/<uidb64>/<token>/",
        account_views.ActivationView.as_view(),
        name="activate",
    ),
    path("activate/done/", account_views.ActivationDoneView.as_view(), name="activate_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("org/", include("branches.urls")),
    path("notifications/", include("workflow.urls")),
    path("brands/", include("brands.urls")),
    path("flagship/", include("flagship.urls")),
    path("bulletins/", include("bulletins.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("ledger/", include("ledger.urls")),
    path("groups/", include("groups.urls")),
    path("honours/", include("honours.urls")),
    path("selection/", include("selection.urls")),
    path("rectification/", include("rectification.urls")),
    path("ops/", include("workflow.ops_urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCH_TRIVIAL_VIEW:  # bench/load.py only (config/trivial.py)
    from config.trivial import trivial

    urlpatterns += [path("bench/trivial/", trivial, name="bench_trivial")]

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

handler403 = "branches.views.permission_denied"
