"""The one error the ESCO importer raises, and its messages (constants, so tests can assert on them)."""
from __future__ import annotations

MISSING_FILE = "not found in {where} (looked at the CSV files and inside the ZIP files)"
MISSING_COLUMN = "missing column"
NO_HEADER_ROW = "no header row naming {columns} in the first {rows} rows"
DUPLICATE_COLUMN = "column appears more than once in the header"
DUPLICATE_FILE = "found twice: in {first} and in {second}; keep one"
TOO_BIG = "is {size:,} bytes; the limit is {limit:,}"
NOT_A_ZIP = "is not a readable ZIP file ({error})"
ENCRYPTED = "is encrypted; ESCO downloads are not"
UNREADABLE = "cannot be read ({error})"
NOT_UTF8 = "is not UTF-8 text ({error})"
BROKEN_CSV = "broken CSV ({error})"
FIELD_TOO_LONG = "a field is longer than {limit:,} characters"
WRONG_WIDTH = "row has {got} fields, the header has {expected}"
EXTRA_FIELD = "value beyond the last header column"
BAD_URI = "not an ESCO {kind} URI (http://data.europa.eu/esco/{kind}/…): {value}"
BAD_ANY_URI = "not an ESCO URI (http://data.europa.eu/esco/…): {value}"
EMPTY_VALUE = "empty; a value is required"
TEXT_TOO_LONG = "longer than {limit} characters"
NUL_CHARACTER = "contains a NUL character"
BAD_CHOICE = "unknown value {value}; expected one of {allowed}"
BAD_NUMBER = "not a number: {value}"
OUT_OF_RANGE = "{value} is outside {low}–{high}"
BAD_CODE = "not a valid {what}: {value}"
DUPLICATE_URI = "duplicate URI (first seen in row {first})"
UNKNOWN_ISCO = "ISCO group {value} is not in {file}"
NOT_A_FOLDER = "is not a folder"
OPTION_CONFLICT = "--no-extras cannot be combined with {option}"


def shorten(value: str, limit: int = 80) -> str:
    """Quote a (possibly hostile, possibly huge) value for an error message."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


class EscoImportError(Exception):
    """A file the importer cannot accept; names the file and, where known, the row and the column."""

    def __init__(
        self, where: str, message: str, *, row: int | None = None, line: int | None = None, column: str | None = None
    ) -> None:
        self.where = where
        self.row = row
        self.line = line
        self.column = column
        self.message = message
        parts = [where]
        if row is not None:
            parts.append(f"row {row}" + (f" (line {line})" if line is not None and line != row else ""))
        if column is not None:
            parts.append(f"column {column!r}")
        super().__init__(", ".join(parts) + ": " + message)
