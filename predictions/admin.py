from django.contrib import admin

from predictions.models import Forecast


@admin.register(Forecast)
class ForecastAdmin(admin.ModelAdmin):
    """Forecasts are made by training, never by hand: the admin shows them, read-only."""

    list_display = (
        "pk",
        "created_at",
        "started_by",
        "horizon_days",
        "status",
        "published",
        "auc",
        "spend_mae",
    )
    list_filter = ("status", "published")
    readonly_fields = [field.name for field in Forecast._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
