from django.urls import path

from baolei.web import favicon, pickers, views

app_name = "web"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("favicon.ico", favicon.FaviconView.as_view(), name="favicon"),
    path("imports/errors.xlsx", views.ImportErrorsView.as_view(), name="import_errors"),
    path("pick/regions/", pickers.RegionPickerView.as_view(), name="pick_regions"),
    path("pick/people/", pickers.PersonPickerView.as_view(), name="pick_people"),
    path("pick/agencies/", pickers.AgencyPickerView.as_view(), name="pick_agencies"),
]
