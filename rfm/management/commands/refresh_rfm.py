from core.commands import DataCommand
from rfm.services import rfm_refresh


class Command(DataCommand):
    help = (
        "Recompute every customer's RFM scores (quintiles of recency, frequency and monetary) and "
        "named segment from their behaviour features. Purchase imports do this by themselves."
    )

    def handle(self, *args, **options) -> None:
        count = rfm_refresh()
        self.stdout.write(
            self.style.SUCCESS(f"RFM scores computed for {count:,} customer(s) with purchases.")
        )
