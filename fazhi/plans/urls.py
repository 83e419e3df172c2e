from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("new/", views.plan_create, name="plan_create"),
    path("import/", views.import_start, name="import_start"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("import/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("mine/", views.my_tasks, name="my_tasks"),
    path("reminders/<int:pk>/read/", views.reminder_read, name="reminder_read"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/activate/", views.plan_activate, name="plan_activate"),
    path("<int:pk>/tasks/add/", views.task_add, name="task_add"),
    path("<int:pk>/assign/", views.bulk_assign, name="bulk_assign"),
    path("<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/dashboard.json", views.dashboard_data, name="dashboard_data"),
    path("<int:pk>/remind-overdue/", views.remind_overdue, name="remind_overdue"),
    path("<int:pk>/export/<str:what>.xlsx", views.export, name="export"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/assign/", views.task_assign, name="task_assign"),
    path("tasks/<int:pk>/indicators/", views.task_indicators, name="task_indicators"),
    path("tasks/<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("tasks/<int:pk>/notes/", views.note_add, name="note_add"),
    path("tasks/<int:pk>/reminders/", views.reminder_add, name="reminder_add"),
    path("tasks/<int:pk>/reports/", views.report_add, name="report_add"),
    path("milestones/<int:pk>/done/", views.milestone_done, name="milestone_done"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
]
