from django.apps import AppConfig


class RfmConfig(AppConfig):
    name = "rfm"
    verbose_name = "RFM"

    def ready(self) -> None:
        # Imported here: the receiver, panels and views need the app registry to be ready.
        from core.history import audit_changes_of
        from customers.behaviour import behaviour_refreshed
        from customers.panels import CustomerPanel, customer_panel_register
        from rfm.models import RfmSegment
        from rfm.receivers import rfm_refresh_with_behaviour
        from rfm.views import customer_rfm_panel

        behaviour_refreshed.connect(rfm_refresh_with_behaviour, dispatch_uid="rfm.refresh_with_behaviour")
        customer_panel_register(
            CustomerPanel(template_name="rfm/_customer_rfm_panel.html", context=customer_rfm_panel)
        )
        audit_changes_of(RfmSegment)
