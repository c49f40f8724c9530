"""Portal pages for RFM (the R × F grid, members of a segment or a cell, their CSV exports) and
the RFM panel of the customer page. Thin callers of one selector each."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import slugify
from django.views import View

from core.pagination import cursor_param, keyset_page
from customers.models import Customer
from rfm.exports import rfm_members_csv_response
from rfm.models import CustomerRfm, RfmSegment
from rfm.selectors import (
    customer_rfm,
    rfm_cell_members,
    rfm_cell_segments,
    rfm_members_totals,
    rfm_overview,
    rfm_segment_members,
)

MEMBERS_PER_PAGE = 50
VIEW_GRID = "rfm.view_rfmsegment"
VIEW_MEMBERS = (VIEW_GRID, "rfm.view_customerrfm")
EXPORT_MEMBERS = (*VIEW_MEMBERS, "rfm.export_rfm_members")


class RfmOverviewView(PermissionRequiredMixin, View):
    permission_required = VIEW_GRID

    def get(self, request):
        return render(request, "rfm/overview.html", {"overview": rfm_overview()})


def _members_page(request, *, members: QuerySet[CustomerRfm], context: dict):
    customers, revenue = rfm_members_totals(members=members)
    page = keyset_page(
        members,
        key="customer_id",
        after=cursor_param(request, "after"),
        before=cursor_param(request, "before"),
        size=MEMBERS_PER_PAGE,
    )
    context = {**context, "members": page, "customers": customers, "revenue": revenue}
    return render(request, "rfm/members.html", context)


class RfmSegmentMembersView(PermissionRequiredMixin, View):
    permission_required = VIEW_MEMBERS

    def get(self, request, pk):
        segment = get_object_or_404(RfmSegment, pk=pk)
        return _members_page(
            request,
            members=rfm_segment_members(segment=segment),
            context={"segment": segment, "export_url": reverse("rfm:segment-export", args=[pk])},
        )


class RfmCellMembersView(PermissionRequiredMixin, View):
    permission_required = VIEW_MEMBERS

    def get(self, request, recency, frequency):
        return _members_page(
            request,
            members=rfm_cell_members(recency_score=recency, frequency_score=frequency),
            context={
                "cell": {"recency_score": recency, "frequency_score": frequency},
                "cell_segments": rfm_cell_segments(recency_score=recency, frequency_score=frequency),
                "export_url": reverse("rfm:cell-export", args=[recency, frequency]),
            },
        )


class RfmSegmentExportView(PermissionRequiredMixin, View):
    permission_required = EXPORT_MEMBERS

    def get(self, request, pk):
        segment = get_object_or_404(RfmSegment, pk=pk)
        return rfm_members_csv_response(
            members=rfm_segment_members(segment=segment), filename=f"rfm-{slugify(segment.name)}.csv"
        )


class RfmCellExportView(PermissionRequiredMixin, View):
    permission_required = EXPORT_MEMBERS

    def get(self, request, recency, frequency):
        return rfm_members_csv_response(
            members=rfm_cell_members(recency_score=recency, frequency_score=frequency),
            filename=f"rfm-r{recency}-f{frequency}.csv",
        )


def customer_rfm_panel(customer: Customer) -> dict:
    """The context of the customer page's RFM panel (registered in ``RfmConfig.ready``)."""
    summary = customer_rfm(customer=customer)
    # Purchases stored but not scored yet: only until the refresh that follows every purchase import.
    return {"rfm": summary.rfm, "not_scored_yet": summary.rfm is None and summary.has_purchases}
