from django.urls import path

from baolei.screening import views

app_name = "screening"
urlpatterns = [
    path("", views.RoundListView.as_view(), name="rounds"),
    path("rounds/new/", views.RoundCreateView.as_view(), name="round_create"),
    path("rounds/<int:pk>/", views.RoundDetailView.as_view(), name="round"),
    path("rounds/<int:pk>/close/", views.RoundCloseView.as_view(), name="round_close"),
    path("rounds/<int:pk>/import/", views.ResultImportView.as_view(), name="round_import"),
    path("organisations/", views.ScreeningListView.as_view(), name="organisations"),
    path("organisations/<int:pk>/", views.ScreeningDetailView.as_view(), name="organisation"),
    path(
        "organisations/<int:pk>/<slug:action>/", views.ScreeningActionView.as_view(), name="action"
    ),
    path("queue/", views.WorkQueueView.as_view(), name="queue"),
    path("lists/", views.NegativeListView.as_view(), name="lists"),
]
