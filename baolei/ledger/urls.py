from django.urls import path

from baolei.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.LedgerListView.as_view(), name="list"),
    path("warnings/", views.WarningListView.as_view(), name="warnings"),
    path("new/", views.LedgerCreateView.as_view(), name="create"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence"),
    path("<int:pk>/", views.LedgerDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.LedgerEditView.as_view(), name="edit"),
    path("<int:pk>/slip/", views.SlipView.as_view(), name="slip"),
    path("<int:pk>/<slug:action>/", views.LedgerActionView.as_view(), name="action"),
]
