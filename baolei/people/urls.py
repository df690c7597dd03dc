from django.urls import path

from baolei.people import views

app_name = "people"
urlpatterns = [
    path("", views.PersonListView.as_view(), name="list"),
    path("new/", views.PersonCreateView.as_view(), name="create"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.PersonEditView.as_view(), name="edit"),
    path("<int:pk>/reveal/", views.RevealNumberView.as_view(), name="reveal"),
]
