from django.urls import path

from treem.programmes import api

app_name = "programmes"
urlpatterns = [
    path("plans/", api.PlanList.as_view(), name="plan_list"),
    path("plans/<int:pk>/", api.PlanDetail.as_view(), name="plan_detail"),
    path("plans/<int:pk>/budget-lines/", api.BudgetLineCreate.as_view(), name="budget_line_create"),
    path("tasks/", api.TaskList.as_view(), name="task_list"),
    path("tasks/<int:pk>/", api.TaskDetail.as_view(), name="task_detail"),
    path("tasks/<int:pk>/progress/", api.TaskProgress.as_view(), name="task_progress"),
    path("budget/rollup/", api.BudgetRollup.as_view(), name="budget_rollup"),
]
