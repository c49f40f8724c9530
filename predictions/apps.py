from django.apps import AppConfig


class PredictionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "predictions"
    verbose_name = "Predictions"

    def ready(self) -> None:
        # Imported here: the receiver, panel and views need the app registry to be ready.
        from core.history import audit_changes_of
        from customers.panels import CustomerPanel, customer_panel_register
        from predictions.models import Forecast
        from predictions.services import forecast_start_with_resegmentation
        from predictions.views import customer_forecast_panel
        from segmentation.page_links import PREDICT_PAGE, SEGMENT_PAGE, PageLink, page_link_register
        from segmentation.signals import scheduled_run_stored

        scheduled_run_stored.connect(
            forecast_start_with_resegmentation, dispatch_uid="forecast-with-resegmentation"
        )
        page_link_register(
            PageLink(
                SEGMENT_PAGE,
                "Members by lapse risk",
                "predictions:audience",
                "predictions.view_customerforecast",
            )
        )
        page_link_register(
            PageLink(
                PREDICT_PAGE, "No spending data yet", "predictions:newcomer", "segmentation.view_segment"
            )
        )
        customer_panel_register(
            CustomerPanel(
                template_name="predictions/_customer_forecast_panel.html", context=customer_forecast_panel
            )
        )
        # Who trained the models when, and who cancelled a training: the forecast's results are
        # its own record, not the trail's.
        audit_changes_of(Forecast, fields=["status", "horizon_days"])
