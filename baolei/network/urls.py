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
    path("identities/", views.IdentityListView.as_view(), name="identities"),
    path("identities/find/", views.IdentityFindView.as_view(), name="find_identities"),
    path(
        "identities/<int:pk>/<slug:action>/",
        views.IdentityActionView.as_view(),
        name="identity_action",
    ),
]
