from django.urls import path

from baolei.audit import views

app_name = "audit"
urlpatterns = [path("", views.EventListView.as_view(), name="events")]
