"""Numbers and words as messages to people write them."""


def number_text(number: float) -> str:
    """1,000 rather than 1000.0, 2.5 as it is."""
    return f"{int(number):,}" if float(number).is_integer() else f"{number:,}"


def lower_first(text: str) -> str:
    """A title inside a sentence: "Exclusive offers" becomes "exclusive offers", "VIP tier" stays."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text
