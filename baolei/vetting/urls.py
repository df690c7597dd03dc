from django.urls import path

from baolei.vetting import views

app_name = "vetting"
urlpatterns = [
    path("", views.RunListView.as_view(), name="runs"),
    path("new/", views.RunCreateView.as_view(), name="create"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("cadres/", views.CadreVettingListView.as_view(), name="cadres"),
    path("lists/import/", views.ListImportView.as_view(), name="import"),
    path("candidates/", views.CandidateListView.as_view(), name="candidates"),
    path("candidates/decide/", views.CandidateBulkDecideView.as_view(), name="bulk_decide"),
    path("candidates/<int:pk>/", views.CandidateDetailView.as_view(), name="candidate"),
    path("candidates/<int:pk>/decide/", views.CandidateDecideView.as_view(), name="decide"),
    path("candidates/<int:pk>/follow-up/", views.CandidateFollowUpView.as_view(), name="follow_up"),
    path("decisions/", views.DecisionListView.as_view(), name="decisions"),
    path("<int:pk>/", views.RunDetailView.as_view(), name="run"),
    path("<int:pk>/rerun/", views.RunRerunView.as_view(), name="rerun"),
]
