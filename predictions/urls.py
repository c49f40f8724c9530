from django.urls import path

from predictions import views

app_name = "predictions"

urlpatterns = [
    path("models/", views.ModelsView.as_view(), name="models"),
    path("audience/", views.AudienceView.as_view(), name="audience"),
    path("newcomer/", views.NewcomerView.as_view(), name="newcomer"),
    path("audience/export/", views.AudienceExportView.as_view(), name="audience-export"),
    path("forecasts/<int:pk>/", views.ForecastDetailView.as_view(), name="forecast"),
    path("forecasts/<int:pk>/outcome/", views.ForecastOutcomeView.as_view(), name="forecast-outcome"),
    path("forecasts/<int:pk>/status/", views.ForecastStatusView.as_view(), name="forecast-status"),
    path("forecasts/<int:pk>/cancel/", views.ForecastCancelView.as_view(), name="forecast-cancel"),
]
