"""The customer book's models: customers (``book``), attributes of the mall's own
(``attributes``), purchases and behaviour (``purchases``), and the imports that fill the book
(``imports``)."""

from customers.models.attributes import CustomerAttribute, CustomerAttributeValue
from customers.models.book import (
    AGE_RANGE,
    ANNUAL_INCOME_RANGE,
    EXTERNAL_ID_MAX_LENGTH,
    SPENDING_SCORE_RANGE,
    VALUE_RANGES,
    Customer,
    Gender,
)
from customers.models.imports import CustomerImport, ImportKind, import_upload_storage
from customers.models.purchases import (
    BEHAVIOUR_FEATURES,
    BEHAVIOUR_VALUE_RANGES,
    PURCHASE_AMOUNT_RANGE,
    PURCHASE_ID_MAX_LENGTH,
    PURCHASE_LABEL_MAX_LENGTH,
    CustomerBehaviour,
    Purchase,
)

FEATURE_VALUE_RANGES = {**VALUE_RANGES, **BEHAVIOUR_VALUE_RANGES}
"""The valid range of every numeric feature a segmentation can use."""

__all__ = [
    "AGE_RANGE",
    "BEHAVIOUR_FEATURES",
    "BEHAVIOUR_VALUE_RANGES",
    "FEATURE_VALUE_RANGES",
    "ANNUAL_INCOME_RANGE",
    "EXTERNAL_ID_MAX_LENGTH",
    "PURCHASE_AMOUNT_RANGE",
    "PURCHASE_ID_MAX_LENGTH",
    "PURCHASE_LABEL_MAX_LENGTH",
    "SPENDING_SCORE_RANGE",
    "VALUE_RANGES",
    "Customer",
    "CustomerAttribute",
    "CustomerAttributeValue",
    "CustomerBehaviour",
    "CustomerImport",
    "Gender",
    "ImportKind",
    "Purchase",
    "import_upload_storage",
]
