"""Numbers as messages to people write them."""


def number_text(number: float) -> str:
    """1,000 rather than 1000.0, 2.5 as it is."""
    return f"{int(number):,}" if float(number).is_integer() else f"{number:,}"
