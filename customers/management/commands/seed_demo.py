from django.core.management.base import BaseCommand, CommandError

from customers.models import Customer
from customers.services import customers_seed_demo


class Command(BaseCommand):
    help = "Create synthetic mall-like customers (deterministic for a seed)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--customers", type=int, default=2_000, help="How many (default 2,000).")
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when customers already exist."
        )

    def handle(self, *args, customers: int, seed: int, if_empty: bool, **options) -> None:
        if customers < 1:
            raise CommandError("--customers must be at least 1.")
        if if_empty and Customer.objects.exists():
            self.stdout.write("Customers already exist; no demo data added.")
            return
        added, updated = customers_seed_demo(count=customers, seed=seed)
        self.stdout.write(
            self.style.SUCCESS(f"Demo customers: {added:,} added, {updated:,} updated (seed {seed}).")
        )
