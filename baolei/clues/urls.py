from django.urls import path

from baolei.clues import views

app_name = "clues"
urlpatterns = [
    path("", views.ClueListView.as_view(), name="list"),
    path("new/", views.ClueCreateView.as_view(), name="create"),
    path("import/", views.ClueImportView.as_view(), name="import"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("referrals/", views.ReferralListView.as_view(), name="referrals"),
    path(
        "referrals/<int:pk>/<slug:action>/",
        views.ReferralActionView.as_view(),
        name="referral_action",
    ),
    path("<int:pk>/", views.ClueDetailView.as_view(), name="detail"),
    path("<int:pk>/<slug:action>/", views.ClueActionView.as_view(), name="action"),
]
