from django import forms

from customers.importing.dates import check_date_format
from customers.models import ImportKind

DATE_FORMAT_HELP = (
    "Purchases and outcomes, and only if the file's dates are ambiguous (03/04/2025 with no day above 12): "
    "how they are written, in strftime codes, e.g. %d/%m/%Y (day first) or %m/%d/%Y (month first)."
)


def clean_date_format(value: str) -> str:
    """A strftime format with a year, or nothing (dates recognised from the file)."""
    value = value.strip()
    if value and "%" not in value:
        raise forms.ValidationError("Write the format in strftime codes, e.g. %d/%m/%Y.")
    if value:
        try:
            check_date_format(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
    return value


class CustomerImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="The file holds",
        choices=ImportKind.choices,
        initial=ImportKind.CUSTOMERS,
        required=False,  # customers when not given
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label="File",
        help_text=(
            "CSV or XLSX. Customers: CustomerID, Gender, Age, Annual Income (k$), Spending Score (1-100). "
            "Purchases: CustomerID, InvoiceNo, InvoiceDate, and Amount (or Quantity and UnitPrice); "
            "Store and Category if you have them. Campaign outcomes: CustomerID, Campaign (its title in "
            "the playbook), SentDate, Responded (yes/no); Revenue and Control (yes/no) if you have them."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    skip_invalid = forms.BooleanField(
        label="Skip invalid rows",
        required=False,
        help_text=(
            "Import the valid rows and list the others. Otherwise any invalid row refuses the whole file."
        ),
    )
    date_format = forms.CharField(
        label="Date format", required=False, max_length=50, help_text=DATE_FORMAT_HELP
    )

    def clean_kind(self) -> str:
        return self.cleaned_data["kind"] or ImportKind.CUSTOMERS

    def clean_date_format(self) -> str:
        return clean_date_format(self.cleaned_data["date_format"])

    def options(self) -> dict:
        """The import's options, as ``customer_import_start`` takes them."""
        return {field: self.cleaned_data[field] for field in ("kind", "skip_invalid", "date_format")}
