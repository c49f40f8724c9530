from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = "Customer book"

    def ready(self) -> None:
        from core.history import audit_changes_of
        from customers.customer_import import customers_import
        from customers.import_kinds import importer_register
        from customers.models import Customer, CustomerAttribute, CustomerImport, ImportKind
        from customers.purchase_import import purchases_import

        the_customers = ("See the customers", "customers:list")
        importer_register(ImportKind.CUSTOMERS, customers_import, reads_dates=False, follow_up=the_customers)
        importer_register(ImportKind.PURCHASES, purchases_import, reads_dates=True, follow_up=the_customers)
        # The audit trail keeps who changed a customer or an attribute and who imported which
        # file. Imports write rows in bulk, unseen by it: the import itself is the entry.
        audit_changes_of(Customer)
        audit_changes_of(CustomerAttribute)
        audit_changes_of(CustomerImport, fields=["status", "file_name", "kind", "skip_invalid"])
