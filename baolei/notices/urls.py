from django.urls import path

from baolei.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.NoticeListView.as_view(), name="list"),
    path("read-all/", views.ReadAllView.as_view(), name="read_all"),
    path("<int:pk>/open/", views.OpenView.as_view(), name="open"),
    path("<int:pk>/read/", views.ReadView.as_view(), name="read"),
]
