from django.urls import path

from baolei.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.RegionListView.as_view(), name="list"),
    path("centres/", views.CentreListView.as_view(), name="centres"),
    path("centres/<int:pk>/", views.CentreDetailView.as_view(), name="centre"),
    path("<str:code>/", views.RegionDetailView.as_view(), name="detail"),
]
