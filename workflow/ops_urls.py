from django.urls import path

from . import ops_views

app_name = "ops"

urlpatterns = [
    path("scheduled-jobs/", ops_views.scheduled_jobs, name="scheduled_jobs"),
]
