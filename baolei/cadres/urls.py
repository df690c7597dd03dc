from django.urls import path

from baolei.cadres import views

app_name = "cadres"
urlpatterns = [
    path("", views.RosterView.as_view(), name="list"),
    path("new/", views.AppointView.as_view(), name="appoint"),
    path("import/", views.RosterImportView.as_view(), name="import"),
    path("people/<int:pk>/", views.CadreView.as_view(), name="cadre"),
    path("villages/<str:code>/", views.VillageTeamView.as_view(), name="village"),
    path("appointments/<int:pk>/propose/", views.ProposeView.as_view(), name="propose"),
    path("adjustments/", views.AdjustmentListView.as_view(), name="adjustments"),
    path("adjustments/<int:pk>/", views.AdjustmentView.as_view(), name="adjustment"),
    path(
        "adjustments/<int:pk>/<slug:action>/",
        views.AdjustmentActionView.as_view(),
        name="adjustment_action",
    ),
    path("evaluations/", views.CampaignListView.as_view(), name="campaigns"),
    path("evaluations/new/", views.CampaignCreateView.as_view(), name="campaign_create"),
    path("evaluations/<int:pk>/", views.CampaignView.as_view(), name="campaign"),
    path("evaluations/<int:pk>/evaluate/", views.EvaluateView.as_view(), name="evaluate"),
    path(
        "evaluations/<int:pk>/secretaries/",
        views.SecretaryChoicesView.as_view(),
        name="secretary_choices",
    ),
    path("education/", views.EducationView.as_view(), name="education"),
    path("education/enrol/", views.EnrolView.as_view(), name="enrol"),
    path(
        "education/<int:pk>/<slug:action>/",
        views.EnrolmentActionView.as_view(),
        name="enrolment_action",
    ),
    path("training/", views.BaseListView.as_view(), name="bases"),
    path("training/new/", views.BaseCreateView.as_view(), name="base_create"),
    path("training/<int:pk>/", views.BaseView.as_view(), name="base"),
    path("training/<int:pk>/sessions/", views.SessionCreateView.as_view(), name="session_create"),
    path("training/sessions/<int:pk>/", views.SessionView.as_view(), name="session"),
    path("training/sessions/<int:pk>/attend/", views.AttendView.as_view(), name="attend"),
]
