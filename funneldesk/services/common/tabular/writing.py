"""Tables written to the files people open: CSV in UTF-8 with a BOM (which Excel opens
correctly in Chinese), XLSX, and vCard for contacts."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from funneldesk.errors import InvalidInput
from funneldesk.i18n import _

FORMATS = (".csv", ".xlsx", ".vcf")


def write_table(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Writes a header and rows as CSV or XLSX (by the file's extension); the row count."""
    suffix = path.suffix.lower()
    count = 0
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(headers)
            for row in rows:
                writer.writerow(["" if v is None else v for v in row])
                count += 1
        return count
    if suffix == ".xlsx":
        import openpyxl  # only here: heavy, and only an XLSX needs it

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(list(headers))
        for row in rows:
            # text stays text: a long number (a credit code, a phone) would lose digits;
            # an amount (a Decimal) is a number Excel adds up
            sheet.append([v if isinstance(v, (int, float, Decimal, dt.date))
                          and not isinstance(v, bool) else ("" if v is None else str(v))
                          for v in row])
            count += 1
        book.save(path)
        return count
    raise InvalidInput("file", _("FunnelDesk writes .csv, .xlsx or, for contacts, .vcf "
                                 "files, not “{name}”.").format(name=path.name))


def _escaped(text: str) -> str:
    return (text.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,")
            .replace(";", "\\;"))


def vcard(name: str, company: str, title: str, phones: Sequence[str], emails: Sequence[str],
          notes: str) -> str:
    """One person as a vCard 3.0 card (what phones and mail programs import)."""
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{_escaped(name)}", f"N:{_escaped(name)};;;;"]
    if company:
        lines.append(f"ORG:{_escaped(company)}")
    if title:
        lines.append(f"TITLE:{_escaped(title)}")
    lines += [f"TEL;TYPE=VOICE:{p}" for p in phones]
    lines += [f"EMAIL;TYPE=INTERNET:{e}" for e in emails]
    if notes:
        lines.append(f"NOTE:{_escaped(notes)}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"
