from django.urls import path

from . import views

app_name = "bulletins"

urlpatterns = [
    path("", views.index, name="index"),
    path("generate/", views.generate_start, name="generate_start"),
    path("generate/<int:scope_pk>/<int:year>-<int:month>/", views.generate, name="generate"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/download/<str:kind>/", views.download, name="download"),
]
