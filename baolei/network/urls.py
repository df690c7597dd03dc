from django.urls import path

from baolei.network import views

app_name = "network"
urlpatterns = [
    path("", views.NetworkView.as_view(), name="graph"),
    path("relations/new/", views.RelationCreateView.as_view(), name="add"),
    path("relations/import/", views.RelationImportView.as_view(), name="import"),
    path(
        "relations/<int:pk>/<slug:action>/",
        views.RelationActionView.as_view(),
        name="relation_action",
    ),
    path("clue/", views.ClueFromLinkView.as_view(), name="clue"),
]
