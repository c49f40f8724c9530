from argparse import ArgumentTypeError
from datetime import date

from django.core.management.base import CommandError
from django.utils import timezone

from core.commands import DataCommand
from customers.models import Customer
from customers.services import customers_seed_demo


class Command(DataCommand):
    help = (
        "Create synthetic mall-like customers and their purchase histories (deterministic for a seed "
        "and --today)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--customers", type=int, default=2_000, help="How many (default 2,000).")
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when customers already exist."
        )
        parser.add_argument(
            "--no-purchases",
            action="store_true",
            help="Customers only: no purchase histories (purchases already stored stay as they are).",
        )
        parser.add_argument(
            "--today",
            type=_day,
            default=None,
            help="The day the histories lead up to, YYYY-MM-DD: the last purchases are on the day "
            "before (default: today, in the portal's time zone).",
        )

    def handle(
        self,
        *args,
        customers: int,
        seed: int,
        if_empty: bool,
        no_purchases: bool,
        today: date | None,
        **options,
    ) -> None:
        if customers < 1:
            raise CommandError("--customers must be at least 1.")
        if today is not None and today > timezone.localdate():
            raise CommandError("--today must not be in the future.")
        if if_empty and Customer.objects.exists():
            self.stdout.write("Customers already exist; no demo data added.")
            return
        seeded = customers_seed_demo(count=customers, seed=seed, purchases=not no_purchases, today=today)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo customers: {seeded.added:,} added, {seeded.updated:,} updated (seed {seed})."
            )
        )
        if not no_purchases:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo purchases: {seeded.purchase_lines:,} lines; "
                    f"{seeded.customers_with_purchases:,} customers have a purchase history."
                )
            )


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(f"{text!r} is not a date (expected YYYY-MM-DD)") from None
