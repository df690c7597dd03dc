from django.urls import path

from baolei.web import favicon, views

app_name = "web"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("favicon.ico", favicon.FaviconView.as_view(), name="favicon"),
    path("imports/errors.xlsx", views.ImportErrorsView.as_view(), name="import_errors"),
]
