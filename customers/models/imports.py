"""The imports that fill the customer book: background jobs, each with its stored upload and report."""

import uuid

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.urls import reverse

from core.jobs.models import Job
from customers.import_kinds import importer_of
from customers.importing.report import ImportReport


def import_upload_storage() -> Storage:
    """Where uploaded files wait for a worker (settings ``IMPORT_UPLOAD_DIR``); web and worker share it."""
    return storages["imports"]


def _import_upload_name(instance: "CustomerImport", filename: str) -> str:
    """A random name: the user's file name is kept on the row, never used as a path."""
    return f"{uuid.uuid4().hex}.upload"


class ImportKind(models.TextChoices):
    CUSTOMERS = "customers", "Customers"
    PURCHASES = "purchases", "Purchases"
    OUTCOMES = "outcomes", "Campaign outcomes"  # imported by segmentation, where campaigns live


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
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="import_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"Import {self.pk} of {self.file_name} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("customers:import-detail", kwargs={"pk": self.pk})

    def follow_up(self) -> tuple[str, str]:
        """Where to go once the import succeeded, as (link text, URL), as its kind's app says."""
        label, url_name = importer_of(self.kind).follow_up
        return label, reverse(url_name)

    @property
    def outcome_report(self) -> ImportReport | None:
        """The report, once the file has been read: what was written, or why nothing was."""
        return ImportReport.from_json(self.report) if self.report else None
