from core.commands import DataCommand
from customers.behaviour import behaviour_refresh


class Command(DataCommand):
    help = (
        "Recompute every customer's behaviour features (recency, frequency, monetary, average basket, "
        "tenure) from their purchases, e.g. after changing BEHAVIOUR_AS_OF or BEHAVIOUR_WINDOW_DAYS. "
        "Purchase imports do this by themselves."
    )

    def handle(self, *args, **options) -> None:
        count = behaviour_refresh()
        self.stdout.write(
            self.style.SUCCESS(f"Behaviour features computed for {count:,} customer(s) with purchases.")
        )
