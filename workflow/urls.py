from django.urls import path

from . import views

app_name = "workflow"

urlpatterns = [
    path("", views.notification_list, name="notifications"),
    path("<int:pk>/open/", views.notification_open, name="notification_open"),
    path("read-all/", views.notifications_mark_all_read, name="notifications_read_all"),
    path("settings/", views.notification_settings, name="settings"),
]
