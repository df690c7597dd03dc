from django.urls import path

from baolei.accounts import views, views_systems, views_tokens, views_two_factor

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("tokens/", views_tokens.MyTokensView.as_view(), name="tokens"),
    path("tokens/all/", views_tokens.TokenAdminView.as_view(), name="token_admin"),
    path("tokens/revoke/", views_tokens.TokenRevokeView.as_view(), name="token_revoke"),
    path("systems/", views_systems.SystemListView.as_view(), name="systems"),
    path("systems/new/", views_systems.SystemRequestView.as_view(), name="system_create"),
    path("systems/<int:pk>/", views_systems.SystemDetailView.as_view(), name="system"),
    path(
        "systems/<int:pk>/<slug:action>/",
        views_systems.SystemActionView.as_view(),
        name="system_action",
    ),
    path("login/verify/", views_two_factor.SecondStepView.as_view(), name="two_factor_verify"),
    path("two-factor/", views_two_factor.TwoFactorView.as_view(), name="two_factor"),
    path("two-factor/enrol/", views_two_factor.EnrolView.as_view(), name="two_factor_enrol"),
    path("agencies/", views.AgencyListView.as_view(), name="agencies"),
    path("agencies/<int:pk>/", views.AgencyDetailView.as_view(), name="agency"),
    path(
        "agencies/<int:pk>/two-factor/",
        views_two_factor.AgencyTwoFactorView.as_view(),
        name="agency_two_factor",
    ),
    path("users/", views.UserListView.as_view(), name="users"),
    path("users/new/", views.UserCreateView.as_view(), name="user_create"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user"),
    path("users/<int:pk>/<slug:action>/", views.UserActionView.as_view(), name="user_action"),
]
