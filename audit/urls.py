from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [path("", views.AuditTrailView.as_view(), name="trail")]
