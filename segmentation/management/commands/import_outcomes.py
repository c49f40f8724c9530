from customers.management.import_file_command import ImportFileCommand
from customers.models import ImportKind


class Command(ImportFileCommand):
    help = (
        "Import campaign outcomes (CustomerID, Campaign, SentDate, Responded; Revenue and Control if "
        "given) from a CSV or XLSX file, for customers in the book and campaigns of the playbook, in "
        "this process (recorded among the imports). A send already stored is updated. All or nothing "
        "unless --skip-invalid is given."
    )
    kind = ImportKind.OUTCOMES
