"""Reads a CSV or XLSX file into a header and records of text cells.

CSV comes in UTF-8, UTF-8 with a BOM, or GB18030 (a superset of GBK, what Excel on Chinese
Windows saves), with CRLF or LF line ends and quoted newlines. Each record knows its number
(data records from 1) and the physical line it starts on, which differ once a quoted cell
holds a newline.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from funneldesk.errors import InvalidInput
from funneldesk.i18n import _


class Record(NamedTuple):  # a tuple: made a hundred thousand times per file
    number: int  # data records from 1
    line: int  # the file's physical line (or the sheet's row) the record starts on
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]
    records: tuple[Record, ...]
    encoding: str  # utf-8, utf-8-sig, gb18030 or xlsx


def read_table(path: Path) -> Table:
    """The file's header row and records; blank records are left out."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInput("file", _("FunnelDesk cannot read {path}: {reason}").format(
            path=path, reason=error.strerror or error)) from error
    text, encoding = decode(data)
    return _read_csv(text, encoding)


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:  # never stored with characters replaced
            raise InvalidInput("file", _(
                "The file says it is UTF-8 but holds bytes that are not: it may have been "
                "joined from files in different encodings. Save it again from Excel as "
                "“CSV UTF-8”, or as an Excel workbook (.xlsx).")) from error
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as error:
        raise InvalidInput("file", _(
            "The file is neither UTF-8 nor GBK/GB18030 text. Save it from Excel as "
            "“CSV UTF-8”, or as an Excel workbook (.xlsx).")) from error


# a cell may hold a long text (notes pasted in); beyond this, an unclosed quote is what
# ran on (Python's own limit, 128 KiB, made a 10,000-row file with one a crash). The limit
# is the whole process's: set once, so that two files read at once cannot reset it
csv.field_size_limit(16 * 1024 * 1024)


def _read_csv(text: str, encoding: str) -> Table:
    try:  # only the delimiter is guessed: the quoting is Excel's, whatever the start shows
        delimiter = csv.Sniffer().sniff(text[:20000], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    # strict: a quote left open would swallow every record after it into one cell
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter,
                        strict=True)
    start = 1
    records: list[Record] = []
    try:
        try:
            headers = tuple(h.strip() for h in next(reader))
        except StopIteration:
            raise InvalidInput("file", _("The file is empty.")) from None
        start = reader.line_num + 1
        for cells in reader:
            if "".join(cells).strip():  # not blank
                records.append(Record(len(records) + 1, start, tuple(cells)))
            start = reader.line_num + 1
    except csv.Error as error:
        raise InvalidInput("file", _(
            "The file cannot be read from line {line} on: a quoted cell there is not "
            "closed, or a quote stands inside a cell. Open the file in Excel and save it "
            "again as CSV, or fix the quotes on that line.").format(line=start)) from error
    return Table(headers, tuple(records), encoding)


def _read_xlsx(path: Path) -> Table:
    import openpyxl  # only here: heavy, and only an XLSX needs it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file it cannot read
        raise InvalidInput("file", _("{path} is not an Excel workbook FunnelDesk can read "
                                     "(.xlsx).").format(path=path)) from error
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        headers = tuple(_text(v).strip() for v in next(rows, ()))
        if not headers:
            raise InvalidInput("file", _("The file is empty."))
        records: list[Record] = []
        for line, values in enumerate(rows, start=2):
            cells = tuple(_text(v) for v in values)
            if any(c.strip() for c in cells):
                records.append(Record(len(records) + 1, line, cells))
        return Table(headers, tuple(records), "xlsx")
    finally:
        book.close()


def _text(value: object) -> str:
    """A cell as the text a CSV would have held: dates in ISO form, whole numbers without
    a decimal point."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def cells_of(table: Table) -> Iterator[tuple[Record, dict[str, str]]]:
    """Each record as header -> cell (a short row leaves its last headers blank)."""
    for record in table.records:
        yield record, dict(zip(table.headers, record.cells, strict=False))
