from django.urls import path

from . import views

app_name = "rectification"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.plan, name="plan"),
    path("<int:pk>/save/", views.save, name="save"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
]
