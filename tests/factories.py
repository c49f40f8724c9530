import factory
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from customers.import_execution import customer_import_execute
from customers.models import Customer, CustomerBehaviour, CustomerImport, Gender
from segmentation.models import SegmentationRun
from segmentation.services.execution import segmentation_run_execute
from segmentation.services.runs import segmentation_run_start


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    external_id = factory.Sequence(lambda n: f"C{n:06d}")
    gender = factory.Iterator([Gender.FEMALE, Gender.MALE])
    age = factory.Faker("random_int", min=18, max=70)
    annual_income = factory.Faker("random_int", min=15, max=140)
    spending_score = factory.Faker("random_int", min=1, max=100)


def run_now(**parameters) -> SegmentationRun:
    """Start a segmentation run (income and spending unless told) and execute it in this process."""
    parameters.setdefault("features", ["annual_income", "spending_score"])
    run = segmentation_run_start(started_by=None, enqueue=False, **parameters)
    segmentation_run_execute(run_id=run.pk)
    run.refresh_from_db()
    return run


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def imports_run_queued() -> list[CustomerImport]:
    """Do what a worker would: execute every queued import, oldest first. Returns them, refreshed."""
    queued = list(CustomerImport.objects.filter(status=CustomerImport.Status.QUEUED).order_by("pk"))
    for job in queued:
        customer_import_execute(import_id=job.pk)
        job.refresh_from_db()
    return queued


def behaviour_for(customer: Customer, **values) -> CustomerBehaviour:
    """Give ``customer`` behaviour features directly (as ``customers.behaviour`` would from purchases)."""
    now = timezone.now()
    defaults = {
        "recency_days": 10, "frequency": 3, "monetary": 150, "avg_basket": 50, "tenure_days": 400,
        "first_purchase_at": now, "last_purchase_at": now, "as_of": now, "window_days": 365,
    }  # fmt: skip
    return CustomerBehaviour.objects.create(customer=customer, **{**defaults, **values})
