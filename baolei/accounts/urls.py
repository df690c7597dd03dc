from django.urls import path

from baolei.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("agencies/", views.AgencyListView.as_view(), name="agencies"),
    path("agencies/<int:pk>/", views.AgencyDetailView.as_view(), name="agency"),
    path("users/", views.UserListView.as_view(), name="users"),
    path("users/new/", views.UserCreateView.as_view(), name="user_create"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user"),
    path("users/<int:pk>/<slug:action>/", views.UserActionView.as_view(), name="user_action"),
]
