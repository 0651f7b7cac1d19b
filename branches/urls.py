from django.urls import path

from . import account_views, views

app_name = "branches"

urlpatterns = [
    path("", views.UnitListView.as_view(), name="unit_list"),
    path("<int:pk>/", views.UnitDetailView.as_view(), name="unit_detail"),
    path("import/", views.OrgImportView.as_view(), name="import"),
    path("accounts/", account_views.AccountListView.as_view(), name="accounts"),
    path("accounts/<int:pk>/", account_views.AccountDetailView.as_view(), name="account_detail"),
    path("import/template.xlsx", views.ImportTemplateView.as_view(), name="import_template"),
]
