from django.urls import path

from baolei.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.PlanListView.as_view(), name="plans"),
    path("plans/new/", views.PlanCreateView.as_view(), name="plan_create"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan"),
    path("plans/<int:pk>/<slug:action>/", views.PlanActionView.as_view(), name="plan_action"),
    path("problems/", views.ProblemListView.as_view(), name="problems"),
    path("problems/new/", views.ProblemCreateView.as_view(), name="problem_create"),
    path("problems/import/", views.ProblemImportView.as_view(), name="problem_import"),
    path("problems/<int:pk>/", views.ProblemDetailView.as_view(), name="problem"),
    path("problems/<int:pk>/reopen/", views.ProblemReopenView.as_view(), name="problem_reopen"),
]
