from customers.management.import_file_command import ImportFileCommand
from customers.models import ImportKind


class Command(ImportFileCommand):
    help = (
        "Import purchase lines (receipts) from a CSV or XLSX file for customers already in the book, "
        "replacing purchases already stored by the file's lines, in this process (recorded among the "
        "imports). All or nothing unless --skip-invalid is given."
    )
    kind = ImportKind.PURCHASES

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--date-format",
            default="",
            help=(
                "How the dates are written, in strftime codes (e.g. %%d/%%m/%%Y). Needed only when "
                "the file's dates are ambiguous (03/04/2025 with no day above 12)."
            ),
        )
