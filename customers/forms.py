from django import forms


class CustomerImportForm(forms.Form):
    file = forms.FileField(
        label="Customer file",
        help_text="CSV or XLSX with CustomerID, Gender, Age, Annual Income (k$), Spending Score (1-100).",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    skip_invalid = forms.BooleanField(
        label="Skip invalid rows",
        required=False,
        help_text=(
            "Import the valid rows and list the others. Otherwise any invalid row refuses the whole file."
        ),
    )
