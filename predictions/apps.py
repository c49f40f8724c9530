from django.apps import AppConfig


class PredictionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "predictions"
    verbose_name = "Predictions"

    def ready(self) -> None:
        # Imported here: the receiver, panel and views need the app registry to be ready.
        from customers.panels import CustomerPanel, customer_panel_register
        from predictions.services import forecast_start_with_resegmentation
        from predictions.views import customer_forecast_panel
        from segmentation.segment_actions import SegmentAction, segment_action_register
        from segmentation.signals import scheduled_run_stored

        scheduled_run_stored.connect(
            forecast_start_with_resegmentation, dispatch_uid="forecast-with-resegmentation"
        )
        segment_action_register(
            SegmentAction(
                label="Members by lapse risk",
                url_name="predictions:audience",
                permission="predictions.view_customerforecast",
            )
        )
        customer_panel_register(
            CustomerPanel(
                template_name="predictions/_customer_forecast_panel.html", context=customer_forecast_panel
            )
        )
