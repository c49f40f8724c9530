from customers.management.import_file_command import ImportFileCommand
from customers.models import ImportKind


class Command(ImportFileCommand):
    help = (
        "Import customers from a CSV or XLSX file, upserting by customer ID, in this process "
        "(recorded among the imports). All or nothing unless --skip-invalid is given."
    )
    kind = ImportKind.CUSTOMERS
