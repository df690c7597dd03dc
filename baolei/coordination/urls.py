from django.urls import path

from baolei.coordination import views

app_name = "coordination"
urlpatterns = [
    path("meetings/", views.MeetingListView.as_view(), name="meetings"),
    path("meetings/new/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("meetings/cadence/", views.CadenceCreateView.as_view(), name="cadence_create"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting"),
    path("meetings/<int:pk>/decide/", views.DecisionView.as_view(), name="decide"),
    path("mechanisms/", views.MechanismListView.as_view(), name="mechanisms"),
    path("mechanisms/new/", views.MechanismCreateView.as_view(), name="mechanism_create"),
    path("assessment/", views.SchemeListView.as_view(), name="schemes"),
    path("assessment/new/", views.SchemeCreateView.as_view(), name="scheme_create"),
    path("assessment/<int:pk>/", views.SchemeDetailView.as_view(), name="scheme"),
    path("assessment/<int:pk>/score/", views.ManualScoreView.as_view(), name="score"),
    path("assessment/<int:pk>/bulletin/", views.BulletinView.as_view(), name="bulletin"),
]
