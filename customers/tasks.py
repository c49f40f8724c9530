"""Celery entry points: take an id, call a service."""

from celery import shared_task
from django.conf import settings

from customers.import_execution import customer_import_execute, customer_imports_fail_stale


# Acknowledged late so an import survives a worker restart before it starts; safe because
# executing an import twice does the work once (the claim from queued to running is atomic).
@shared_task(
    acks_late=True,
    soft_time_limit=settings.IMPORT_TIME_LIMIT_SECONDS,
    time_limit=settings.IMPORT_TIME_LIMIT_SECONDS + 60,
)
def execute_customer_import(import_id: int) -> None:
    customer_import_execute(import_id=import_id)


@shared_task
def fail_stale_imports() -> None:
    customer_imports_fail_stale()
