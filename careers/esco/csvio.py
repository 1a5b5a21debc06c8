"""Reading ESCO-style CSV files as hostile input: bounded sizes, strict syntax, errors naming row and column.

Files are read straight from a folder or from the published ZIPs (streamed, never extracted to disk).
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, NoReturn, TypeVar

from . import errors as e

MAX_MEMBER_BYTES = 200 * 1024 * 1024
MAX_FIELD_CHARS = 100_000
MAX_ZIP_MEMBERS = 10_000
HEADER_SEARCH_ROWS = 50
MAX_LABEL_CHARS = 255  # the models' CharField length

ESCO_URI = re.compile(r"http://data\.europa\.eu/esco/([a-z][a-z-]*)/[A-Za-z0-9][A-Za-z0-9._-]*")
# Errors raised by zipfile/zlib while a member is being streamed (bad CRC, truncated data, encryption).
T = TypeVar("T")
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, OSError)


@dataclass(frozen=True)
class Source:
    """One readable file: a CSV on disk or a member of a ZIP."""

    name: str
    where: str
    size: int
    opener: Callable[[], IO[bytes]]


def file_source(path: Path) -> Source:
    """A plain file, refused when larger than the member limit."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise e.EscoImportError(str(path), e.UNREADABLE.format(error=exc)) from exc
    if not path.is_file():
        raise e.EscoImportError(str(path), e.UNREADABLE.format(error="not a regular file"))
    if size > MAX_MEMBER_BYTES:
        raise e.EscoImportError(str(path), e.TOO_BIG.format(size=size, limit=MAX_MEMBER_BYTES))
    return Source(name=path.name, where=str(path), size=size, opener=lambda: path.open("rb"))


def _zip_sources(path: Path, stack: ExitStack) -> list[Source]:
    try:
        archive = stack.enter_context(zipfile.ZipFile(path))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise e.EscoImportError(str(path), e.NOT_A_ZIP.format(error=exc)) from exc
    if len(members) > MAX_ZIP_MEMBERS:
        raise e.EscoImportError(str(path), e.NOT_A_ZIP.format(error=f"{len(members)} members"))
    sources = []
    for info in members:
        name = info.filename.rsplit("/", 1)[-1]
        if info.is_dir() or not name.lower().endswith((".csv", ".txt")):
            continue
        where = f"{name} in {path.name}"
        # The declared size bounds the stream too: zipfile never yields more than file_size bytes.
        if info.file_size > MAX_MEMBER_BYTES:
            raise e.EscoImportError(where, e.TOO_BIG.format(size=info.file_size, limit=MAX_MEMBER_BYTES))
        if info.flag_bits & 0x1:
            raise e.EscoImportError(where, e.ENCRYPTED)
        sources.append(Source(name=name, where=where, size=info.file_size, opener=lambda i=info: archive.open(i)))
    return sources


def folder_sources(folder: Path, stack: ExitStack) -> dict[str, Source]:
    """Every CSV in ``folder`` and inside its ZIPs, by base name; a name found twice is an error."""
    if not folder.is_dir():
        raise e.EscoImportError(str(folder), e.NOT_A_FOLDER)
    found: dict[str, Source] = {}
    for path in sorted(folder.iterdir()):
        suffix = path.suffix.lower()
        if suffix == ".zip":
            candidates = _zip_sources(path, stack)
        elif suffix in (".csv", ".txt") and path.is_file():
            candidates = [file_source(path)]
        else:
            continue
        for source in candidates:
            if source.name in found:
                message = e.DUPLICATE_FILE.format(first=found[source.name].where, second=source.where)
                raise e.EscoImportError(source.name, message)
            found[source.name] = source
    return found


@contextmanager
def field_limit(limit: int = MAX_FIELD_CHARS) -> Iterator[None]:
    """csv's field limit is process-wide: lower it for the import only."""
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _bad_field_index(text: str, delimiter: str, quoting: int) -> int:
    """Index of the field where a strict CSV parse of one record fails (quotes, NUL, oversize, end of data)."""
    field = length = 0
    state = "start"
    quotes = quoting != csv.QUOTE_NONE
    for ch in text:
        length += 1
        if ch == "\0" or length > MAX_FIELD_CHARS:
            return field
        if state == "quoted":
            if ch == '"':
                state = "quote"
            continue
        if state == "quote" and ch == '"':
            state = "quoted"
            continue
        if ch == delimiter:
            field, length, state = field + 1, 0, "start"
        elif ch in "\r\n":
            return field
        elif state == "quote":
            return field  # a character after a closing quote: what strict mode refuses
        elif state == "start" and ch == '"' and quotes:
            state = "quoted"
        else:
            state = "plain"
    return field


class Table:
    """A CSV with a checked header; iterate for rows (lists), validate values with the helpers below.

    Every error names the file, the row (records counted from 1, the header included, as a spreadsheet
    shows them), the physical line where that record starts, and the column.
    """

    def __init__(
        self,
        source: Source,
        *,
        required: Sequence[str],
        optional: Sequence[str] = (),
        delimiter: str = ",",
        header_block: bool = False,
    ) -> None:
        self.source = source
        self.where = source.where
        self.delimiter = delimiter
        self.quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
        self.row = 0
        self.line = 0
        self._stack = ExitStack()
        try:
            raw = self._stack.enter_context(source.opener())
        except _READ_ERRORS as exc:
            raise e.EscoImportError(self.where, e.UNREADABLE.format(error=exc)) from exc
        self._text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        self._reader = csv.reader(self._text, delimiter=delimiter, quoting=self.quoting, strict=True)
        self.header: list[str] = []
        self._read_header(required, header_block)
        self.columns = {name: i for i, name in enumerate(self.header)}
        self.present = {name for name in optional if name in self.columns}

    def __enter__(self) -> "Table":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stack.close()

    def fail(self, column: str | None, message: str) -> NoReturn:
        raise e.EscoImportError(self.where, message, row=self.row, line=self.line, column=column)

    def _next(self) -> list[str] | None:
        start = self._reader.line_num + 1
        try:
            record = next(self._reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            self.row, self.line = self.row + 1, start
            self._syntax_error(exc)
        except UnicodeDecodeError as exc:
            self.row, self.line = self.row + 1, start
            self.fail(None, e.NOT_UTF8.format(error=exc.reason))
        except _READ_ERRORS as exc:
            self.row, self.line = self.row + 1, start
            self.fail(None, e.UNREADABLE.format(error=exc))
        self.row, self.line = self.row + 1, start
        return record

    def _syntax_error(self, exc: csv.Error) -> NoReturn:
        # Re-read the failing record on its own to say which column broke; bounded, like everything else.
        text = []
        budget = MAX_FIELD_CHARS * max(4, len(self.header) + 1)
        try:
            with self.source.opener() as raw:
                lines = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="", errors="replace")
                for number, content in enumerate(lines, start=1):
                    if number >= self.line:
                        text.append(content)
                        budget -= len(content)
                        if budget <= 0:
                            break
        except _READ_ERRORS:
            text = []
        index = _bad_field_index("".join(text), self.delimiter, self.quoting)
        column = self.header[index] if index < len(self.header) else (f"#{index + 1}" if self.header else None)
        detail = str(exc)
        if "field larger than field limit" in detail:
            self.fail(column, e.FIELD_TOO_LONG.format(limit=MAX_FIELD_CHARS))
        self.fail(column, e.BROKEN_CSV.format(error=detail))

    def _read_header(self, required: Sequence[str], header_block: bool) -> None:
        while True:
            record = self._next()
            if record is None or (header_block and self.row > HEADER_SEARCH_ROWS):
                self.row = max(self.row, 1)
                if header_block:
                    message = e.NO_HEADER_ROW.format(columns=", ".join(required), rows=HEADER_SEARCH_ROWS)
                    raise e.EscoImportError(self.where, message)
                self.fail(required[0], e.MISSING_COLUMN)
            names = [name.strip() for name in record]
            if header_block and not all(name in names for name in required):
                continue
            break
        self.header = names
        for name in required:
            if name not in names:
                self.fail(name, e.MISSING_COLUMN)
        for i, name in enumerate(names):
            if name and name in names[:i]:
                self.fail(name, e.DUPLICATE_COLUMN)

    def __iter__(self) -> Iterator[list[str]]:
        width = len(self.header)
        while (record := self._next()) is not None:
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # blank line
            if len(record) != width:
                self._width_error(record)
            yield record

    def _width_error(self, record: list[str]) -> NoReturn:
        if len(record) > len(self.header):
            self.fail(f"#{len(self.header) + 1}", e.EXTRA_FIELD)
        self.fail(self.header[len(record)], e.WRONG_WIDTH.format(got=len(record), expected=len(self.header)))

    # Value helpers: each returns the clean value or fails naming the column.

    def raw(self, record: list[str], column: str) -> str:
        return record[self.columns[column]]

    def uri(self, record: list[str], column: str, kind: str | None = None) -> str:
        value = record[self.columns[column]].strip()
        match = ESCO_URI.fullmatch(value) if len(value) <= MAX_LABEL_CHARS else None
        if match is None or (kind is not None and match.group(1) != kind):
            message = e.BAD_URI.format(kind=kind, value=e.shorten(value)) if kind else e.BAD_ANY_URI.format(
                value=e.shorten(value)
            )
            self.fail(column, message)
        return value

    def uri_kind(self, value: str) -> str:
        """The concept kind in a URI that uri() accepted: 'skill', 'occupation', 'isco', …"""
        return value.split("/", 5)[4]

    def text(self, record: list[str], column: str, *, required: bool = False, limit: int | None = None) -> str:
        value = record[self.columns[column]].strip()
        if required and not value:
            self.fail(column, e.EMPTY_VALUE)
        if "\0" in value:
            self.fail(column, e.NUL_CHARACTER)
        if limit is not None and len(value) > limit:
            self.fail(column, e.TEXT_TOO_LONG.format(limit=limit))
        return value

    def label(self, record: list[str], column: str, *, required: bool = True) -> str:
        return self.text(record, column, required=required, limit=MAX_LABEL_CHARS)

    def labels(self, record: list[str], column: str, separator: str = "\n") -> list[str]:
        """A list cell (ESCO separates alternative labels by newlines): stripped, blanks dropped."""
        value = self.text(record, column)
        labels = [part.strip() for part in value.split(separator)] if value else []
        for label in labels:
            if len(label) > MAX_LABEL_CHARS:
                self.fail(column, e.TEXT_TOO_LONG.format(limit=MAX_LABEL_CHARS))
        return [label for label in labels if label]

    def choice(self, record: list[str], column: str, allowed: dict[str, T]) -> T:
        value = record[self.columns[column]].strip()
        if value not in allowed:
            shown = ", ".join(repr(key) for key in allowed)
            self.fail(column, e.BAD_CHOICE.format(value=e.shorten(value), allowed=shown))
        return allowed[value]

    def number(self, record: list[str], column: str, low: float, high: float) -> float:
        value = record[self.columns[column]].strip()
        try:
            number = float(value)
        except ValueError:
            self.fail(column, e.BAD_NUMBER.format(value=e.shorten(value)))
        if not low <= number <= high:  # NaN fails this too
            self.fail(column, e.OUT_OF_RANGE.format(value=e.shorten(value), low=low, high=high))
        return number

    def code(self, record: list[str], column: str, pattern: re.Pattern[str], what: str) -> str:
        value = record[self.columns[column]].strip()
        if not pattern.fullmatch(value):
            self.fail(column, e.BAD_CODE.format(what=what, value=e.shorten(value)))
        return value
