from django.urls import path

from . import views

app_name = "selection"

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("new/", views.round_new, name="round_new"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/propose/", views.propose, name="propose"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("proposals/<int:pk>/score/", views.score, name="score"),
    path("proposals/<int:pk>/<slug:action>/", views.decide, name="decide"),
]
