from django.urls import path

from .views import applications as views

app_name = "brands"

urlpatterns = [
    path("", views.index, name="index"),
    path("queue/", views.queue, name="queue"),
    path("queue/approve/", views.bulk_approve, name="bulk_approve"),
    path("new/<int:unit_pk>/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("<int:pk>/attachments/", views.upload_attachment, name="upload_attachment"),
    path("<int:pk>/logo/", views.logo, name="logo"),
    path("<int:pk>/logo/thumb/", views.logo, {"size": "thumb"}, name="logo_thumb"),
    path("attachments/<int:pk>/", views.download_attachment, name="attachment"),
    path("attachments/<int:pk>/delete/", views.delete_attachment, name="delete_attachment"),
]
