from django.urls import path

from customers import views

app_name = "customers"

urlpatterns = [
    path("", views.CustomerListView.as_view(), name="list"),
    path("import/", views.CustomerImportView.as_view(), name="import"),
    path("imports/<int:pk>/", views.ImportDetailView.as_view(), name="import-detail"),
    path("imports/<int:pk>/status/", views.ImportStatusView.as_view(), name="import-status"),
    path("imports/<int:pk>/outcome/", views.ImportOutcomeView.as_view(), name="import-outcome"),
    path("imports/<int:pk>/cancel/", views.ImportCancelView.as_view(), name="import-cancel"),
    path("<int:pk>/", views.CustomerDetailView.as_view(), name="detail"),
]
