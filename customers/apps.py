from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = "Customer book"

    def ready(self) -> None:
        # The audit trail keeps who changed a customer or an attribute and who imported which
        # file. Imports write rows in bulk, unseen by it: the import itself is the entry.
        from core.history import audit_changes_of
        from customers.models import Customer, CustomerAttribute, CustomerImport

        audit_changes_of(Customer)
        audit_changes_of(CustomerAttribute)
        audit_changes_of(CustomerImport, fields=["status", "file_name", "kind", "skip_invalid"])
