from django.utils import timezone

from core.commands import DataCommand
from segmentation.models import CampaignOutcome
from segmentation.outcomes.demo import demo_outcomes_seed


class Command(DataCommand):
    help = (
        "Replace the stored campaign outcomes with synthetic ones for the customers in the book: every "
        "playbook campaign sent once, with a control group (deterministic for a seed and a day)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when outcomes already exist.")

    def handle(self, *args, seed: int, if_empty: bool, **options) -> None:
        if if_empty and CampaignOutcome.objects.exists():
            self.stdout.write("Campaign outcomes already exist; no demo outcomes added.")
            return
        written = demo_outcomes_seed(seed=seed, today=timezone.localdate())
        self.stdout.write(
            self.style.SUCCESS(f"Demo campaign outcomes: {written:,} sends and held-back customers.")
        )
