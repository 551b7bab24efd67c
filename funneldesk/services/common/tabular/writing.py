"""Tables written to the files people open: CSV in UTF-8 with a BOM (which Excel opens
correctly in Chinese), XLSX, and vCard for contacts."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from funneldesk import formatting
from funneldesk.errors import InvalidInput
from funneldesk.i18n import _

FORMATS = (".csv", ".xlsx", ".vcf")


class MoneyCell(NamedTuple):
    """An amount as a list shows it: a CSV holds the shown text, an XLSX a number
    formatted in its currency, so that Excel adds it up."""
    amount: Decimal
    currency: str
    shown: str


def write_table(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Writes a header and rows as CSV or XLSX (by the file's extension); the row count."""
    suffix = path.suffix.lower()
    count = 0
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(headers)
            for row in rows:
                writer.writerow(["" if v is None else v.shown if isinstance(v, MoneyCell)
                                 else v for v in row])
                count += 1
        return count
    if suffix == ".xlsx":
        import openpyxl  # only here: heavy, and only an XLSX needs it
        from openpyxl.cell import WriteOnlyCell

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(list(headers))

        def money(cell: MoneyCell) -> WriteOnlyCell:
            written = WriteOnlyCell(sheet, value=cell.amount)
            written.number_format = formatting.spreadsheet_money_format(cell.currency)
            return written

        for row in rows:
            # text stays text: a long number (a credit code, a phone) would lose digits;
            # an amount (a Decimal) is a number Excel adds up
            sheet.append([money(v) if isinstance(v, MoneyCell)
                          else v if isinstance(v, (int, float, Decimal, dt.date))
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


_CJK_NAME = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]{2,}")
# two-character surnames; any other Chinese name's surname is its first character
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容",
                      "长孙", "令狐", "夏侯", "司徒", "澹台", "宇文", "万俟", "单于", "端木")


def name_parts(name: str) -> tuple[str, str]:
    """A person's family and given names, as a phone's address book files them: 张伟 is
    张 and 伟 (欧阳娜娜: 欧阳 and 娜娜), Wei Zhang is Zhang and Wei; one word is a
    family name alone."""
    name = name.strip()
    compact = "".join(name.split())  # 张 伟, as some type it
    if _CJK_NAME.fullmatch(compact):
        cut = 2 if compact[:2] in _COMPOUND_SURNAMES and len(compact) > 2 else 1
        return compact[:cut], compact[cut:]
    words = name.split()
    if len(words) < 2:
        return name, ""
    return words[-1], " ".join(words[:-1])


def vcard(name: str, company: str, title: str, phones: Sequence[str], emails: Sequence[str],
          notes: str) -> str:
    """One person as a vCard 3.0 card (what phones and mail programs import)."""
    family, given = name_parts(name)
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{_escaped(name)}",
             f"N:{_escaped(family)};{_escaped(given)};;;"]
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
