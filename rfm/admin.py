from django.contrib import admin, messages
from django.db.models import Count

from core.pagination import EstimatedCountPaginator
from rfm.models import CustomerRfm, RfmSegment
from rfm.selectors import rfm_combinations_without_segment
from rfm.services import rfm_segment_save, rfm_segments_delete

SHOWN_UNCOVERED = 5


@admin.register(RfmSegment)
class RfmSegmentAdmin(admin.ModelAdmin):
    """The named segments' rules. Saving or deleting one places every customer again at once."""

    list_display = ("priority", "name", "rule_in_words", "customer_count", "colour")
    list_display_links = ("name",)
    search_fields = ("name",)
    fieldsets = (
        (None, {"fields": ("name", "description", "priority", "colour")}),
        (
            "Rule: the scores (1–5, both ends included) a customer needs",
            {
                "fields": (
                    ("recency_min", "recency_max"),
                    ("frequency_min", "frequency_max"),
                    ("monetary_min", "monetary_max"),
                )
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(customer_count=Count("members"))

    @admin.display(description="rule")
    def rule_in_words(self, segment: RfmSegment) -> str:
        return segment.rule_in_words

    @admin.display(description="customers", ordering="customer_count")
    def customer_count(self, segment: RfmSegment) -> int:
        return segment.customer_count

    def save_model(self, request, obj, form, change) -> None:
        rfm_segment_save(segment=obj)
        self._warn_of_gaps(request)

    def delete_model(self, request, obj) -> None:
        rfm_segments_delete(segments=RfmSegment.objects.filter(pk=obj.pk))
        self._warn_of_gaps(request)

    def delete_queryset(self, request, queryset) -> None:
        rfm_segments_delete(segments=queryset)
        self._warn_of_gaps(request)

    def _warn_of_gaps(self, request) -> None:
        uncovered = rfm_combinations_without_segment()
        if uncovered:
            examples = ", ".join(f"R{r} F{f} M{m}" for r, f, m in uncovered[:SHOWN_UNCOVERED])
            more = f" and {len(uncovered) - SHOWN_UNCOVERED} more" if len(uncovered) > SHOWN_UNCOVERED else ""
            self.message_user(
                request,
                f"{len(uncovered)} of the 125 score combinations match no rule ({examples}{more}): "
                "customers with them are in no segment.",
                messages.WARNING,
            )


@admin.register(CustomerRfm)
class CustomerRfmAdmin(admin.ModelAdmin):
    """Scores are computed (after every purchase import, or ``manage.py refresh_rfm``): read only."""

    list_display = ("customer", "recency_score", "frequency_score", "monetary_score", "segment")
    list_filter = ("segment", "recency_score", "frequency_score", "monetary_score")
    list_select_related = ("customer", "segment")
    search_fields = ("=customer__external_id",)
    search_help_text = "Exact customer ID."
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
