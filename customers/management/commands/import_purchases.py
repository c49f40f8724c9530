from customers.management.import_file_command import ImportFileCommand
from customers.models import ImportKind


class Command(ImportFileCommand):
    help = (
        "Import purchase lines (receipts) from a CSV or XLSX file for customers already in the book, "
        "replacing purchases already stored by the file's lines, in this process (recorded among the "
        "imports). All or nothing unless --skip-invalid is given."
    )
    kind = ImportKind.PURCHASES
