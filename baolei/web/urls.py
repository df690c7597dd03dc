from django.urls import path

from baolei.web import exports, favicon, import_jobs, pickers, views

app_name = "web"
urlpatterns = [
    path("exports/", exports.ExportJobListView.as_view(), name="export_jobs"),
    path("exports/<int:pk>/", exports.ExportJobView.as_view(), name="export_job"),
    path("exports/<int:pk>/file", exports.ExportDownloadView.as_view(), name="export_download"),
    path("", views.HomeView.as_view(), name="home"),
    path("favicon.ico", favicon.FaviconView.as_view(), name="favicon"),
    path("imports/errors.xlsx", views.ImportErrorsView.as_view(), name="import_errors"),
    path("imports/", import_jobs.ImportJobListView.as_view(), name="import_jobs"),
    path("imports/<int:pk>/", import_jobs.ImportJobView.as_view(), name="import_job"),
    path(
        "imports/<int:pk>/errors.xlsx",
        import_jobs.ImportJobErrorsView.as_view(),
        name="import_job_errors",
    ),
    path("pick/regions/", pickers.RegionPickerView.as_view(), name="pick_regions"),
    path("pick/people/", pickers.PersonPickerView.as_view(), name="pick_people"),
    path("pick/agencies/", pickers.AgencyPickerView.as_view(), name="pick_agencies"),
    path("pick/clues/", pickers.CluePickerView.as_view(), name="pick_clues"),
    path("pick/cases/", pickers.CasePickerView.as_view(), name="pick_cases"),
    path("pick/cadres/", pickers.CadrePickerView.as_view(), name="pick_cadres"),
    path(
        "pick/organisations/", pickers.OrganisationPickerView.as_view(), name="pick_organisations"
    ),
]
