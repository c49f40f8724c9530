"""What an import did, or why it did nothing."""

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from itertools import islice

MAX_LISTED_ISSUES = 1_000  # a report lists this many problems and counts the rest
MAX_SHOWN_VALUE_CHARS = 100  # a refused value is quoted up to this length, never megabytes
# (control characters in it are shown escaped, e.g. a NUL as \x00)


@dataclass(frozen=True)
class ImportIssue:
    """One problem: where it is (row, column), the value found, and why it is refused."""

    reason: str
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __post_init__(self) -> None:
        if self.value is None:
            return
        quoted = self.value[:MAX_SHOWN_VALUE_CHARS]
        shown = "".join(character if character.isprintable() else _escaped(character) for character in quoted)
        object.__setattr__(self, "value", shown + ("…" if len(self.value) > MAX_SHOWN_VALUE_CHARS else ""))

    def __str__(self) -> str:
        where = [f"row {self.row}"] if self.row is not None else []
        if self.column is not None:
            where.append(f"column '{self.column}'")
        if self.value is not None:
            where.append(f"value '{self.value}'")
        return f"{', '.join(where)}: {self.reason}" if where else self.reason


def _escaped(character: str) -> str:
    """A control character as Python writes it ("\\x00", "\\t"): readable on a page, and storable
    in PostgreSQL's JSON, which refuses a NUL."""
    return repr(character)[1:-1]


@dataclass
class ImportReport:
    """The outcome of one import. ``rejected`` means nothing at all was written."""

    file_name: str
    skip_invalid: bool = False
    rows_read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    removed: int = 0  # purchase lines a re-imported purchase no longer has
    attribute_values: int = 0  # values of declared customer attributes stored from the file
    rejected: bool = False
    issues: list[ImportIssue] = field(default_factory=list)
    issue_count: int = 0
    ignored_columns: tuple[str, ...] = ()

    def add_issues(self, issues: Iterable[ImportIssue], *, count: int) -> None:
        """Count ``count`` problems, listing only as many of ``issues`` as the report holds."""
        self.issue_count += count
        self.issues.extend(islice(issues, max(MAX_LISTED_ISSUES - len(self.issues), 0)))

    def reject(self, reason: str | None = None) -> "ImportReport":
        """Mark the file refused: nothing written. ``reason`` concerns the file as a whole."""
        self.rejected = True
        self.added = self.updated = self.unchanged = self.removed = self.attribute_values = 0
        if reason:
            self.issues.insert(0, ImportIssue(reason=reason))
            self.issue_count += 1
        return self

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "ImportReport":
        issues = [ImportIssue(**issue) for issue in data["issues"]]
        return cls(**{**data, "issues": issues, "ignored_columns": tuple(data["ignored_columns"])})

    @property
    def unlisted_issue_count(self) -> int:
        return self.issue_count - len(self.issues)

    def summary(self) -> str:
        if self.rejected:
            return (
                f"{self.file_name}: nothing imported. {self.issue_count:,} problem(s) found; "
                "fix them and import again"
                + ("." if self.skip_invalid else ", or choose to skip invalid rows.")
            )
        text = (
            f"{self.file_name}: {self.added:,} added, {self.updated:,} updated, {self.unchanged:,} unchanged"
        )
        if self.removed:
            text += f", {self.removed:,} removed"
        if self.attribute_values:
            text += f" ({self.attribute_values:,} attribute value(s) stored)"
        return text + (f", {self.skipped:,} invalid row(s) skipped." if self.skipped else ".")
