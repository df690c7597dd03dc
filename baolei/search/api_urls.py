from django.urls import path

from baolei.search import views

urlpatterns = [
    path("", views.SearchApiView.as_view(), name="api-search"),
]
