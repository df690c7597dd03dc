from django.urls import path

from baolei.web import views

app_name = "web"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("imports/errors.xlsx", views.ImportErrorsView.as_view(), name="import_errors"),
]
