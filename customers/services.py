"""Use cases of the customer book: seeding demo data, creating and changing a customer.

(Importing files: ``customers.customer_import`` and ``customers.purchase_import``.)"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone

from core.saving import validated_create, validated_update
from customers.behaviour import behaviour_refresh
from customers.demo import demo_customer_chunks
from customers.demo_purchases import DemoPurchaseLines
from customers.models import Customer, Purchase
from customers.purchase_staging import PurchaseStaging
from customers.staging import CustomerStaging


@dataclass(frozen=True)
class DemoSeeded:
    added: int
    updated: int
    purchase_lines: int  # the demo customers' lines now stored (0 when purchases were not seeded)
    customers_with_purchases: int  # customers with behaviour features, in the whole book


@transaction.atomic
def customers_seed_demo(
    *, count: int, seed: int, purchases: bool = True, today: date | None = None
) -> DemoSeeded:
    """Create (or reset) ``count`` synthetic customers with IDs 1..count and their purchase histories.

    Customers and purchase lines take the bulk path of imports (staging tables, set-based
    merges), in this one transaction. Each customer's stored purchases are replaced by the
    generated ones, so reseeding never duplicates; behaviour features are recomputed at the end.
    The history runs up to the day before ``today`` (by default the portal's today). Without
    ``purchases``, only the customers are written and stored purchases are left as they are.
    """
    history = DemoPurchaseLines(seed=seed, today=today or timezone.localdate(), time_zone=settings.TIME_ZONE)
    with CustomerStaging() as customer_staging, PurchaseStaging() as purchase_staging:
        for chunk in demo_customer_chunks(count=count, seed=seed):
            customer_staging.append(chunk)
            for lines in history.chunks_for(chunk) if purchases else ():
                purchase_staging.append(lines)
        customer_staging.prepare_for_merge()
        now = timezone.now()
        added, updated = customer_staging.merge(now=now)
        if not purchases:
            return DemoSeeded(added, updated, purchase_lines=0, customers_with_purchases=0)
        _demo_purchases_reset()
        purchase_staging.prepare()
        lines_added, lines_updated, _ = purchase_staging.merge(now=now)
        return DemoSeeded(
            added, updated, lines_added + lines_updated, customers_with_purchases=behaviour_refresh()
        )


def _demo_purchases_reset() -> None:
    """Delete the stored purchases of the customers just seeded (those in the customer staging table)."""
    seeded = RawSQL(f"SELECT external_id FROM {CustomerStaging.name}", ())
    Purchase.objects.filter(customer__external_id__in=seeded).delete()


def customer_create(**values) -> Customer:
    """Create one customer after full model validation (ranges, choices, unique ID)."""
    return validated_create(Customer, unique_field="external_id", **values)


def customer_update(*, customer: Customer, **values) -> Customer:
    """Change some of a customer's values after full model validation."""
    return validated_update(customer, unique_field="external_id", **values)


@transaction.atomic
def customer_delete(*, customer: Customer) -> None:
    """Delete a customer; rows that point at it (in any app) go with it."""
    customer.delete()
