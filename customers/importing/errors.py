"""The one error the reader raises: the file as a whole cannot be imported."""

import re


class FileRejected(ValueError):
    """The file as a whole cannot be imported; the message says why and, if known, where."""


def describe_csv_parser_error(error: Exception | str) -> str:
    """What pandas' complaint about a CSV means for the user, with rows numbered as in a spreadsheet."""
    unterminated = re.search(r"EOF inside string starting at row (\d+)", str(error))
    if unterminated is not None:  # pandas counts lines from 0; the report, like a spreadsheet, from 1
        row = int(unterminated.group(1)) + 1
        return (
            f"The file is not well-formed CSV: a quoted cell starting on row {row} never ends; look "
            "for a stray quote mark in that row."
        )
    ragged = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(error))
    if ragged is None:
        return f"The file is not well-formed CSV: {error}"
    expected, row, found = ragged.groups()
    return (
        f"The file is not well-formed CSV: row {row} has {found} cells but the header has "
        f"{expected}; look for a stray separator in that row."
    )
