"""Matching a file's header cells to the fields of one kind of file (customers, purchases).

Headers match regardless of case, spacing, underscores and unit suffixes, so
``Annual Income (k$)``, ``annual_income`` and ``INCOME`` all mean ``annual_income``.
"""

import dataclasses
import re
from dataclasses import dataclass

ATTRIBUTE_PREFIX = "attribute:"


def attribute_field(name: str) -> str:
    """The field of a declared customer attribute, apart from the built-in ones."""
    return f"{ATTRIBUTE_PREFIX}{name}"


@dataclass(frozen=True)
class Columns:
    """The columns of one kind of file.

    ``synonyms``: field -> the normalised headers that mean it (see ``normalise_header``);
    ``examples``: field -> a header to show in messages; ``required``: the header must hold
    every field of at least one of these sets; ``alternatives``: words for the message when
    a required field may be replaced by others.
    """

    synonyms: dict[str, tuple[str, ...]]
    examples: dict[str, str]
    required: tuple[tuple[str, ...], ...]
    alternatives: str = ""

    def with_attributes(self, attributes: dict[str, str]) -> "Columns":
        """These columns and the mall's declared attributes (name -> label), each matched by its
        name or label and optional; its field is ``attribute_field(name)``."""
        extra = {
            attribute_field(name): (normalise_header(name), normalise_header(label))
            for name, label in attributes.items()
        }
        return dataclasses.replace(self, synonyms={**self.synonyms, **extra})

    def field_of(self, normalised_header: str) -> str | None:
        for field, aliases in self.synonyms.items():
            if normalised_header in aliases:
                return field
        return None


CUSTOMER_COLUMNS = Columns(
    synonyms={
        "external_id": ("customerid", "id", "externalid", "customer", "customerno", "customernumber"),
        "gender": ("gender", "sex"),
        "age": ("age",),
        "annual_income": ("annualincome", "income", "annualincomek", "incomek"),
        "spending_score": ("spendingscore", "score", "spending"),
    },
    examples={
        "external_id": "CustomerID",
        "gender": "Gender",
        "age": "Age",
        "annual_income": "Annual Income (k$)",
        "spending_score": "Spending Score (1-100)",
    },
    required=(("external_id", "gender", "age", "annual_income", "spending_score"),),
)


class HeaderError(ValueError):
    """The header row cannot be used; the message says why."""


@dataclass(frozen=True)
class HeaderMatch:
    header_by_field: dict[str, str]  # field -> the header cell as written in the file
    ignored_headers: tuple[str, ...]


# A bracketed unit at the end, e.g. "(k$)". No nested brackets: matching them with ".*?"
# took quadratic time on a crafted header such as "()" * 32,000 + "x".
_UNIT_SUFFIX = re.compile(r"\s*[\(\[][^\(\)\[\]]*[\)\]]\s*$")


def normalise_header(header: str) -> str:
    without_unit = _UNIT_SUFFIX.sub("", header.strip())
    return re.sub(r"[^0-9a-z]", "", without_unit.lower())


def match_header(headers: list[str], columns: Columns) -> HeaderMatch:
    """Map the file's header cells to fields; raise HeaderError naming what is missing."""
    header_by_field: dict[str, str] = {}
    ignored: list[str] = []
    for header in headers:
        field = columns.field_of(normalise_header(header))
        if field is None:
            ignored.append(header)
        elif field in header_by_field:
            raise HeaderError(
                f"Columns '{header_by_field[field]}' and '{header}' both mean {field}; keep only one of them."
            )
        else:
            header_by_field[field] = header
    missing = min(
        ([field for field in fields if field not in header_by_field] for fields in columns.required), key=len
    )
    if missing:
        wanted = ", ".join(f"{field} (e.g. '{columns.examples[field]}')" for field in missing)
        found = ", ".join(f"'{header}'" for header in headers) or "none"
        alternatives = f" ({columns.alternatives})" if columns.alternatives else ""
        raise HeaderError(f"Missing required column(s): {wanted}{alternatives}. Columns found: {found}.")
    return HeaderMatch(header_by_field=header_by_field, ignored_headers=tuple(ignored))


PURCHASE_COLUMNS = Columns(
    synonyms={
        "external_id": ("customerid", "customer", "customerno", "customernumber", "externalid"),
        "purchase_id": (
            "purchaseid",
            "invoice",
            "invoiceno",
            "invoicenumber",
            "invoiceid",
            "receipt",
            "receiptno",
            "receiptnumber",
            "receiptid",
            "transactionid",
            "transaction",
            "orderid",
            "order",
            "orderno",
        ),
        "purchased_at": (
            "invoicedate",
            "date",
            "purchasedate",
            "purchasedat",
            "transactiondate",
            "orderdate",
            "datetime",
            "timestamp",
        ),
        "amount": ("amount", "total", "value", "spend", "linetotal", "totalamount", "sales"),
        "quantity": ("quantity", "qty"),
        "unit_price": ("unitprice", "price"),
        "store": ("store", "shop", "storename"),
        "category": ("category", "productcategory", "department"),
    },
    examples={
        "external_id": "CustomerID",
        "purchase_id": "InvoiceNo",
        "purchased_at": "InvoiceDate",
        "amount": "Amount",
        "quantity": "Quantity",
        "unit_price": "UnitPrice",
    },
    required=(
        ("external_id", "purchase_id", "purchased_at", "amount"),
        ("external_id", "purchase_id", "purchased_at", "quantity", "unit_price"),
    ),
    alternatives="an amount column, or Quantity and UnitPrice to multiply",
)
