from django.urls import path

from baolei.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("records/<slug:key>/", views.RecordsView.as_view(), name="records"),
    path("briefing/", views.BriefingView.as_view(), name="briefing"),
    path("briefing.<slug:fmt>", views.BriefingFileView.as_view(), name="briefing_file"),
    path("ledgers.zip", views.LedgerZipView.as_view(), name="ledgers_zip"),
]
