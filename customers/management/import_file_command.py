"""What the import commands share: run the import in this process and print its report."""

from pathlib import Path

from django.core.management.base import CommandError

from core.commands import DataCommand
from customers.import_execution import customer_import_run_here
from customers.import_kinds import importer_of
from customers.importing.report import ImportReport


class ImportFileCommand(DataCommand):
    """Subclasses set ``kind`` (an ImportKind) and ``help``, and may add arguments. A kind whose
    importer reads dates (``customers.import_kinds``) takes --date-format."""

    kind: str

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="CSV or XLSX file to import.")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows and list the invalid ones, instead of refusing the file.",
        )
        if importer_of(self.kind).reads_dates:
            parser.add_argument(
                "--date-format",
                default="",
                help=(
                    "How the dates are written, in strftime codes (e.g. %%d/%%m/%%Y). Needed only when "
                    "the file's dates are ambiguous (03/04/2025 with no day above 12)."
                ),
            )

    def handle(self, *args, path: Path, skip_invalid: bool, date_format: str = "", **options) -> None:
        try:
            job = customer_import_run_here(
                path=path, kind=self.kind, skip_invalid=skip_invalid, date_format=date_format
            )
        except OSError as error:
            raise CommandError(f"Cannot open {path}: {error.strerror}.") from error
        if job.report is None:
            raise CommandError(job.error)
        self._print(ImportReport.from_json(job.report))

    def _print(self, report: ImportReport) -> None:
        for issue in report.issues:
            self.stderr.write(f"  {issue}")
        if report.unlisted_issue_count:
            self.stderr.write(f"  … and {report.unlisted_issue_count:,} more problem(s).")
        if report.ignored_columns:
            self.stdout.write(f"Ignored column(s): {', '.join(report.ignored_columns)}")
        if report.rejected:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
