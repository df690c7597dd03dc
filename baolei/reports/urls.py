from django.urls import path

from baolei.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("briefing/", views.BriefingView.as_view(), name="briefing"),
    path("briefing.docx", views.BriefingDocxView.as_view(), name="briefing_docx"),
    path("ledgers.zip", views.LedgerZipView.as_view(), name="ledgers_zip"),
]
