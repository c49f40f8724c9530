"""Matching a file's header cells to the customer fields.

Headers match regardless of case, spacing, underscores and unit suffixes, so
``Annual Income (k$)``, ``annual_income`` and ``INCOME`` all mean ``annual_income``.
"""

import re
from dataclasses import dataclass

REQUIRED_FIELDS = ("external_id", "gender", "age", "annual_income", "spending_score")

# Normalised header -> field. Normalising lower-cases, drops a bracketed unit suffix and
# removes everything that is not a letter or digit.
_SYNONYMS = {
    "external_id": ("customerid", "id", "externalid", "customer", "customerno", "customernumber"),
    "gender": ("gender", "sex"),
    "age": ("age",),
    "annual_income": ("annualincome", "income", "annualincomek", "incomek"),
    "spending_score": ("spendingscore", "score", "spending"),
}
_FIELD_BY_HEADER = {alias: field for field, aliases in _SYNONYMS.items() for alias in aliases}

# Example header per field, for messages that tell the user what would have matched.
FIELD_EXAMPLES = {
    "external_id": "CustomerID",
    "gender": "Gender",
    "age": "Age",
    "annual_income": "Annual Income (k$)",
    "spending_score": "Spending Score (1-100)",
}


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


def match_header(headers: list[str]) -> HeaderMatch:
    """Map the file's header cells to fields; raise HeaderError naming what is missing."""
    header_by_field: dict[str, str] = {}
    ignored: list[str] = []
    for header in headers:
        field = _FIELD_BY_HEADER.get(normalise_header(header))
        if field is None:
            ignored.append(header)
        elif field in header_by_field:
            raise HeaderError(
                f"Columns '{header_by_field[field]}' and '{header}' both mean {field}; keep only one of them."
            )
        else:
            header_by_field[field] = header
    missing = [field for field in REQUIRED_FIELDS if field not in header_by_field]
    if missing:
        wanted = ", ".join(f"{field} (e.g. '{FIELD_EXAMPLES[field]}')" for field in missing)
        found = ", ".join(f"'{header}'" for header in headers) or "none"
        raise HeaderError(f"Missing required column(s): {wanted}. Columns found: {found}.")
    return HeaderMatch(header_by_field=header_by_field, ignored_headers=tuple(ignored))
