from django.urls import path, register_converter

from rfm import views


class ScoreConverter:
    """An RFM score in a URL: one digit, 1 to 5 (anything else is a 404)."""

    regex = "[1-5]"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(ScoreConverter, "score")

app_name = "rfm"

urlpatterns = [
    path("", views.RfmOverviewView.as_view(), name="overview"),
    path("segments/<int:pk>/", views.RfmSegmentMembersView.as_view(), name="segment"),
    path("segments/<int:pk>/export/", views.RfmSegmentExportView.as_view(), name="segment-export"),
    path("cells/<score:recency>/<score:frequency>/", views.RfmCellMembersView.as_view(), name="cell"),
    path(
        "cells/<score:recency>/<score:frequency>/export/",
        views.RfmCellExportView.as_view(),
        name="cell-export",
    ),
]
