from django.urls import path

from . import views

app_name = "honours"

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("new/", views.round_new, name="round_new"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/honours/<int:honour_pk>/", views.adjust, name="adjust"),
    path("<int:pk>/publish/", views.publish, name="publish"),
]
