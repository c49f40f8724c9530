from django.urls import path

from segmentation import compare_views, moves_views, playbook_views, schedule_views, views

app_name = "segmentation"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("runs/", views.RunListView.as_view(), name="runs"),
    path("runs/compare/", compare_views.RunCompareView.as_view(), name="runs-compare"),
    path("runs/evolution/", compare_views.SegmentEvolutionView.as_view(), name="evolution"),
    path("runs/<int:pk>/", views.RunDetailView.as_view(), name="run"),
    path("runs/<int:pk>/status/", views.RunStatusView.as_view(), name="run-status"),
    path("runs/<int:pk>/results/", views.RunResultsView.as_view(), name="run-results"),
    path("runs/<int:pk>/activate/", views.RunActivateView.as_view(), name="run-activate"),
    path("runs/<int:pk>/cancel/", views.RunCancelView.as_view(), name="run-cancel"),
    path("runs/<int:pk>/moves/", moves_views.RunMovesView.as_view(), name="run-moves"),
    path(
        "moves/<int:source_pk>/<int:target_pk>/",
        moves_views.MovedCustomersView.as_view(),
        name="moved-customers",
    ),
    path(
        "moves/<int:source_pk>/<int:target_pk>/export/",
        moves_views.MovedCustomersExportView.as_view(),
        name="moved-customers-export",
    ),
    path("segments/", views.SegmentListView.as_view(), name="segments"),
    path("segments/<int:pk>/", views.SegmentDetailView.as_view(), name="segment"),
    path("segments/<int:pk>/export/", views.SegmentExportView.as_view(), name="segment-export"),
    path("segments/<int:pk>/edit/", moves_views.SegmentEditView.as_view(), name="segment-edit"),
    path("predict/", views.PredictPageView.as_view(), name="predict"),
    path("playbook/", playbook_views.PlaybookView.as_view(), name="playbook"),
    path("personas/<int:pk>/", playbook_views.PersonaDetailView.as_view(), name="persona"),
    path("campaigns/<int:pk>/", playbook_views.CampaignDetailView.as_view(), name="campaign"),
    path("schedules/", schedule_views.ScheduleListView.as_view(), name="schedules"),
    path("schedules/new/", schedule_views.ScheduleCreateView.as_view(), name="schedule-new"),
    path("schedules/<int:pk>/", schedule_views.ScheduleChangeView.as_view(), name="schedule"),
    path("schedules/<int:pk>/delete/", schedule_views.ScheduleDeleteView.as_view(), name="schedule-delete"),
]
