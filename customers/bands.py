"""Named value bands used to filter customers in the portal and in admin.

One list per attribute, so that the portal's filters and admin's filters offer the same
choices. A band covers ``low <= value < high``; ``None`` leaves that side open.
"""

from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class Band:
    slug: str
    label: str
    low: float | None
    high: float | None

    def q(self, field: str) -> Q:
        condition = Q()
        if self.low is not None:
            condition &= Q(**{f"{field}__gte": self.low})
        if self.high is not None:
            condition &= Q(**{f"{field}__lt": self.high})
        return condition


AGE_BANDS = (
    Band("under-25", "Under 25", None, 25),
    Band("25-34", "25–34", 25, 35),
    Band("35-44", "35–44", 35, 45),
    Band("45-54", "45–54", 45, 55),
    Band("55-64", "55–64", 55, 65),
    Band("65-plus", "65 and over", 65, None),
)

INCOME_BANDS = (
    Band("under-40k", "Under 40k$", None, 40),
    Band("40k-70k", "40–70k$", 40, 70),
    Band("70k-100k", "70–100k$", 70, 100),
    Band("100k-plus", "100k$ and over", 100, None),
)

SPENDING_BANDS = (
    Band("low", "Low (1–33)", None, 34),
    Band("mid", "Mid (34–66)", 34, 67),
    Band("high", "High (67–100)", 67, None),
)

BANDS_BY_FIELD = {
    "age": AGE_BANDS,
    "annual_income": INCOME_BANDS,
    "spending_score": SPENDING_BANDS,
}


def band_choices(field: str) -> list[tuple[str, str]]:
    return [(band.slug, band.label) for band in BANDS_BY_FIELD[field]]


def band_q(field: str, slug: str) -> Q:
    """The filter for band ``slug`` of ``field``; an unknown slug matches everything."""
    for band in BANDS_BY_FIELD[field]:
        if band.slug == slug:
            return band.q(field)
    return Q()
