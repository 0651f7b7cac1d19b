from django.urls import path

from .views import assessments, bonus, periods, results, schedules, tables

app_name = "evaluation"

urlpatterns = [
    path("", periods.index, name="index"),
    path("queue/", assessments.review_queue, name="review_queue"),
    path("periods/new/", periods.create, name="period_create"),
    path("periods/<int:pk>/", periods.detail, name="period"),
    path("periods/<int:pk>/edit/", periods.edit, name="period_edit"),
    path("periods/<int:pk>/publish/", periods.publish, name="period_publish"),
    path("periods/<int:pk>/aggregate/", periods.aggregate, name="period_aggregate"),
    path("periods/<int:pk>/rankings/", results.rankings, name="rankings"),
    path("periods/<int:pk>/export/", results.export, name="export"),
    path("periods/<int:pk>/export/progress/", results.export_progress, name="export_progress"),
    path("periods/<int:pk>/export/download/", results.export_download, name="export_download"),
    path("periods/<int:pk>/export.csv", results.export_csv, name="export_csv"),
    path("assessments/<int:pk>/", assessments.detail, name="assessment"),
    path("assessments/<int:pk>/fill/", assessments.fill, name="fill"),
    path("assessments/<int:pk>/adjust/", assessments.adjust, name="adjust"),
    path("assessments/<int:pk>/bonus/", bonus.record, name="bonus"),
    path("bonus/<int:pk>/withdraw/", bonus.withdraw, name="withdraw_bonus"),
    path("assessments/<int:pk>/act/<slug:action>/", assessments.act, name="act"),
    path("assessments/<int:pk>/radar.svg", results.radar, name="radar"),
    path("evidence/<int:pk>/", assessments.download_evidence, name="evidence"),
    path("evidence/<int:pk>/delete/", assessments.delete_evidence, name="delete_evidence"),
    path("units/<int:pk>/trend/", results.trend, name="trend"),
    path("schedules/", schedules.index, name="schedules"),
    path("schedules/new/", schedules.create, name="schedule_create"),
    path("schedules/<int:pk>/", schedules.edit, name="schedule_edit"),
    path("tables/", tables.index, name="tables"),
    path("tables/<int:pk>/", tables.detail, name="table"),
    path("tables/<int:pk>/export.xlsx", tables.export, name="table_export"),
]
