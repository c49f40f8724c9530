"""The REST API, version 1, under /api/v1/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts.api import TokenView
from customers.api import ImportViewSet
from predictions.api import ForecastViewSet
from predictions.api_customers import CustomerWithForecastViewSet
from predictions.api_newcomers import NewcomerApiView
from rfm.api import RfmSegmentViewSet
from segmentation.api.outcomes import CampaignOutcomeViewSet
from segmentation.api.playbook import CampaignViewSet, PersonaViewSet
from segmentation.api.predict import PredictApiView
from segmentation.api.runs import RunViewSet
from segmentation.api.segments import SegmentViewSet

router = DefaultRouter()
# The customer book's endpoint with segmentation's additions (?segment=, customers/{id}/segment/)
# and the published forecast's (?lapse_risk_min=, customers/{id}/forecast/).
router.register("customers", CustomerWithForecastViewSet, basename="customer")
router.register("imports", ImportViewSet, basename="import")
router.register("runs", RunViewSet, basename="run")
router.register("segments", SegmentViewSet, basename="segment")
router.register("personas", PersonaViewSet, basename="persona")
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("campaign-outcomes", CampaignOutcomeViewSet, basename="campaign-outcome")
router.register("rfm-segments", RfmSegmentViewSet, basename="rfm-segment")
router.register("forecasts", ForecastViewSet, basename="forecast")

app_name = "api"

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("predict/", PredictApiView.as_view(), name="predict"),
    path("predict/newcomer/", NewcomerApiView.as_view(), name="predict-newcomer"),
    *router.urls,
]
