"""The REST API, version 1, under /api/v1/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from customers.api import CustomerViewSet, ImportView
from mallseg.api_token import TokenView
from segmentation.api import CampaignViewSet, PersonaViewSet, PredictView, RunViewSet, SegmentViewSet

router = DefaultRouter()
router.register("customers", CustomerViewSet, basename="customer")
router.register("runs", RunViewSet, basename="run")
router.register("segments", SegmentViewSet, basename="segment")
router.register("personas", PersonaViewSet, basename="persona")
router.register("campaigns", CampaignViewSet, basename="campaign")

app_name = "api"

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("predict/", PredictView.as_view(), name="predict"),
    path("imports/", ImportView.as_view(), name="import"),
    *router.urls,
]
