from django.urls import path

from .views import (
    accounts,
    compliance,
    prints,
    records,
    roster,
    roster_io,
    templates,
    worklist,
)

app_name = "ledger"

urlpatterns = [
    path("", roster.index, name="index"),
    path("branch/<int:branch_pk>/", roster.roster, name="roster"),
    path("branch/<int:branch_pk>/add/", roster.member_add, name="member_add"),
    path("branch/<int:branch_pk>/groups/", roster.groups, name="groups"),
    path("members/<int:pk>/", roster.member_detail, name="member"),
    path("members/<int:pk>/edit/", roster.member_edit, name="member_edit"),
    path("members/<int:pk>/move/", roster.member_move, name="member_move"),
    path("members/<int:pk>/deactivate/", roster.member_deactivate, name="member_deactivate"),
    path("groups/<int:pk>/leader/", roster.group_leader, name="group_leader"),
    path("branch/<int:branch_pk>/import/", roster_io.roster_import, name="import"),
    path("branch/<int:branch_pk>/export.xlsx", roster_io.roster_export, name="export"),
    path("import/template.xlsx", roster_io.import_template, name="import_template"),
    path("templates/", templates.template_list, name="templates"),
    path("compliance/", compliance.area, name="compliance_area"),
    path("compliance/<int:unit_pk>/", compliance.area, name="compliance_unit"),
    path("branch/<int:branch_pk>/compliance/", compliance.branch, name="compliance"),
    path("branch/<int:branch_pk>/records/", records.records, name="records"),
    path("branch/<int:branch_pk>/records/new/", records.record_new, name="record_new"),
    path("records/<int:pk>/", records.record_detail, name="record"),
    path("records/<int:pk>/edit/", records.record_edit, name="record_edit"),
    path("records/<int:pk>/theme-day/", records.record_theme_day, name="record_theme_day"),
    path("records/photos/<int:pk>/", records.photo, name="record_photo"),
    path("records/photos/<int:pk>/thumb/", records.photo, {"thumb": True}, name="record_thumb"),
    path("records/photos/<int:pk>/delete/", records.photo_delete, name="record_photo_delete"),
    path("records/files/<int:pk>/", records.attachment, name="record_file"),
    path("records/files/<int:pk>/delete/", records.attachment_delete, name="record_file_delete"),
    # the annual work list (清单化管理): a branch's year, one task, a unit's overdue overview
    path("branch/<int:branch_pk>/tasks/", worklist.work_list, name="work_list"),
    path("branch/<int:branch_pk>/tasks/new/", worklist.task_add, name="task_add"),
    path("tasks/<int:pk>/", worklist.task_detail, name="task"),
    path("tasks/overview/", worklist.overview, name="work_overview_area"),
    path("tasks/overview/<int:unit_pk>/", worklist.overview, name="work_overview"),
    # a member's portal account: linked by the secretary; the member's own row
    path("members/<int:pk>/account/", accounts.member_account, name="member_account"),
    path("me/", accounts.my_record, name="my_record"),
    # the printed ledger (纸质台账): a branch's prints, one print's page and progress, download
    path("branch/<int:branch_pk>/print/", prints.prints, name="prints"),
    path("print/<int:pk>/", prints.print_detail, name="print_detail"),
    path("print/<int:pk>/progress/", prints.print_progress, name="print_progress"),
    path("print/<int:pk>/download/", prints.print_download, name="print_download"),
]
