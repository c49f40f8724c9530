from django.urls import path

from segmentation import compare_views, views

app_name = "segmentation"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("runs/", views.RunListView.as_view(), name="runs"),
    path("runs/compare/", compare_views.RunCompareView.as_view(), name="runs-compare"),
    path("runs/<int:pk>/", views.RunDetailView.as_view(), name="run"),
    path("runs/<int:pk>/status/", views.RunStatusView.as_view(), name="run-status"),
    path("runs/<int:pk>/results/", views.RunResultsView.as_view(), name="run-results"),
    path("runs/<int:pk>/activate/", views.RunActivateView.as_view(), name="run-activate"),
    path("runs/<int:pk>/cancel/", views.RunCancelView.as_view(), name="run-cancel"),
    path("segments/", views.SegmentListView.as_view(), name="segments"),
    path("segments/<int:pk>/", views.SegmentDetailView.as_view(), name="segment"),
    path("segments/<int:pk>/export/", views.SegmentExportView.as_view(), name="segment-export"),
    path("predict/", views.PredictPageView.as_view(), name="predict"),
]
