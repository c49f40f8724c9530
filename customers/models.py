"""The customer book: one row per customer of the mall, and the imports that fill it."""

import uuid

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from core.jobs.models import Job
from core.models import TimeStampedModel
from customers.importing.report import ImportReport

AGE_RANGE = (12, 120)
ANNUAL_INCOME_RANGE = (0, 10_000)  # k$
SPENDING_SCORE_RANGE = (1, 100)
VALUE_RANGES = {
    "age": AGE_RANGE,
    "annual_income": ANNUAL_INCOME_RANGE,
    "spending_score": SPENDING_SCORE_RANGE,
}
"""The valid range of each numeric column, both ends included."""
EXTERNAL_ID_MAX_LENGTH = 64


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other or unknown"


def _range_validators(value_range: tuple[float, float]) -> list:
    low, high = value_range
    return [MinValueValidator(low), MaxValueValidator(high)]


def _range_constraint(field: str, value_range: tuple[float, float]) -> models.CheckConstraint:
    low, high = value_range
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": low, f"{field}__lte": high}),
        name=f"customer_{field}_in_range",
    )


class CustomerQuerySet(models.QuerySet):
    def search(self, text: str) -> "CustomerQuerySet":
        """Customers whose customer ID is ``text`` (exact, so it stays an index lookup)."""
        text = text.strip()
        return self.filter(external_id=text) if text else self


class Customer(TimeStampedModel):
    external_id = models.CharField(
        "customer ID",
        max_length=EXTERNAL_ID_MAX_LENGTH,
        help_text="The ID the mall's own files use (CustomerID).",
    )
    gender = models.CharField(max_length=6, choices=Gender.choices)
    age = models.PositiveSmallIntegerField(validators=_range_validators(AGE_RANGE))
    annual_income = models.FloatField("annual income (k$)", validators=_range_validators(ANNUAL_INCOME_RANGE))
    spending_score = models.PositiveSmallIntegerField(
        "spending score (1–100)", validators=_range_validators(SPENDING_SCORE_RANGE)
    )

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        permissions = [("import_customers", "Can import customer files")]
        constraints = [
            # A constraint rather than unique=True: on PostgreSQL unique=True adds a second,
            # pattern-matching index that slows bulk imports and serves no query of ours.
            models.UniqueConstraint(fields=["external_id"], name="customer_external_id_unique"),
            models.CheckConstraint(
                condition=~models.Q(external_id=""), name="customer_external_id_not_blank"
            ),
            models.CheckConstraint(
                condition=models.Q(gender__in=Gender.values), name="customer_gender_valid"
            ),
            _range_constraint("age", AGE_RANGE),
            _range_constraint("annual_income", ANNUAL_INCOME_RANGE),
            _range_constraint("spending_score", SPENDING_SCORE_RANGE),
        ]

    def __str__(self) -> str:
        return f"Customer {self.external_id}"

    def get_absolute_url(self) -> str:
        return reverse("customers:detail", kwargs={"pk": self.pk})


PURCHASE_ID_MAX_LENGTH = 64
PURCHASE_AMOUNT_RANGE = (-1_000_000, 1_000_000)
"""A receipt line's amount, both ends included; beyond is a typo or a unit mix-up."""
PURCHASE_LABEL_MAX_LENGTH = 100  # store and category


class Purchase(TimeStampedModel):
    """One line of a receipt. Lines with the same purchase ID form one purchase; a negative
    amount is a refund or a return."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="purchases", db_index=False)
    purchase_id = models.CharField(
        "purchase ID", max_length=PURCHASE_ID_MAX_LENGTH, help_text="The receipt or invoice number."
    )
    line = models.PositiveIntegerField(help_text="The line's place in its purchase, from 1, in file order.")
    purchased_at = models.DateTimeField()
    amount = models.DecimalField(
        max_digits=12, decimal_places=2, validators=_range_validators(PURCHASE_AMOUNT_RANGE)
    )
    store = models.CharField(max_length=PURCHASE_LABEL_MAX_LENGTH, blank=True)
    category = models.CharField(max_length=PURCHASE_LABEL_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["-purchased_at", "purchase_id", "line"]
        constraints = [
            models.UniqueConstraint(fields=["purchase_id", "line"], name="purchase_line_unique"),
            models.CheckConstraint(condition=~models.Q(purchase_id=""), name="purchase_id_not_blank"),
            models.CheckConstraint(condition=models.Q(line__gte=1), name="purchase_line_from_1"),
            models.CheckConstraint(
                condition=models.Q(
                    amount__gte=PURCHASE_AMOUNT_RANGE[0], amount__lte=PURCHASE_AMOUNT_RANGE[1]
                ),
                name="purchase_amount_in_range",
            ),
        ]
        indexes = [models.Index(fields=["customer", "purchased_at"], name="purchase_customer_date")]

    def __str__(self) -> str:
        return f"Purchase {self.purchase_id} line {self.line}"


def import_upload_storage() -> Storage:
    """Where uploaded files wait for a worker (settings ``IMPORT_UPLOAD_DIR``); web and worker share it."""
    return storages["imports"]


def _import_upload_name(instance: "CustomerImport", filename: str) -> str:
    """A random name: the user's file name is kept on the row, never used as a path."""
    return f"{uuid.uuid4().hex}.upload"


class ImportKind(models.TextChoices):
    CUSTOMERS = "customers", "Customers"
    PURCHASES = "purchases", "Purchases"


class CustomerImport(Job):
    """A file being imported into the customer book (customers, or their purchases): queued for a
    worker, or run by a command in its own process. The upload is deleted once the import ends;
    its report stays."""

    job_noun = "import"
    retry_advice = "import the file again"
    start_permission = "customers.import_customers"

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customer_imports",
    )
    file_name = models.CharField(max_length=255, help_text="The name of the file the user chose.")
    file_size = models.PositiveBigIntegerField(help_text="Bytes.")
    upload = models.FileField(
        storage=import_upload_storage,
        upload_to=_import_upload_name,
        blank=True,
        help_text="The stored upload while the import waits or runs; empty once it has ended.",
    )
    kind = models.CharField(max_length=10, choices=ImportKind.choices, default=ImportKind.CUSTOMERS)
    skip_invalid = models.BooleanField(default=False)
    date_format = models.CharField(
        max_length=50,
        blank=True,
        help_text="How purchase dates are written (e.g. %d/%m/%Y); empty: recognised from the file.",
    )
    report = models.JSONField(
        null=True, blank=True, help_text="What the import did, or why it wrote nothing (ImportReport)."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="import_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"Import {self.pk} of {self.file_name} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("customers:import-detail", kwargs={"pk": self.pk})

    @property
    def outcome_report(self) -> ImportReport | None:
        """The report, once the file has been read: what was written, or why nothing was."""
        return ImportReport.from_json(self.report) if self.report else None
