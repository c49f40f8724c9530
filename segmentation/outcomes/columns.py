"""The columns of a campaign outcome file (see ``customers.importing.columns``)."""

from customers.importing.columns import Columns

OUTCOME_COLUMNS = Columns(
    synonyms={
        "external_id": ("customerid", "customer", "customerno", "customernumber", "externalid"),
        "campaign": ("campaign", "campaigntitle", "campaignname"),
        "sent_on": ("sentdate", "senton", "sent", "sentat", "senddate", "date"),
        "responded": ("responded", "response", "converted", "redeemed"),
        "revenue": ("revenue", "amount", "sales", "value"),
        "control": ("control", "controlgroup", "holdout", "heldout", "iscontrol"),
    },
    examples={
        "external_id": "CustomerID",
        "campaign": "Campaign",
        "sent_on": "SentDate",
        "responded": "Responded",
        "revenue": "Revenue",
        "control": "Control",
    },
    required=(("external_id", "campaign", "sent_on", "responded"),),
)
