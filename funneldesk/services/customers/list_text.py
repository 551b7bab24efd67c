"""What each column of the customers lists is called and what its cells say, named once:
the Customers page shows them and its Export writes them ("what you see is what you
get")."""

from __future__ import annotations

from funneldesk import formatting
from funneldesk.i18n import N_, _
from funneldesk.services.customers.list_records import (
    CompanyRow,
    ContactRow,
    CustomerColumn,
    CustomerRow,
)

C = CustomerColumn

_HEADERS = {
    C.NAME: N_("Name"), C.COMPANY: N_("Company"), C.TITLE: N_("Job title"),
    # "city (province)": not named City, so that an import does not take it for one
    C.ROLE: N_("Role"), C.CITY: N_("Location"), C.INDUSTRY: N_("Industry"),
    C.SEGMENT: N_("Segment"), C.OWNER: N_("Owner"), C.KEY_LEVEL: N_("Key level"),
    C.LEAD_SOURCE: N_("Lead source"), C.TAGS: N_("Tags"), C.OPEN_DEALS: N_("Open deals"),
    C.PHONE: N_("Phone"), C.EMAIL: N_("Email"), C.CONSENT: N_("Consent"),
    C.CREATED: N_("Created"),
}


def header(column: CustomerColumn, entity: str = "contact") -> str:
    """A column's title; the companies' names are no people's names (姓名)."""
    if column is C.NAME and entity == "company":
        return _("Company name")
    return _(_HEADERS[column])


def owner_text(owner: str | None) -> str:
    return owner if owner is not None else _("Public pool")


def place_text(city: str, province: str) -> str:
    """Where a company is, as the list shows it: "南京（江苏）", or the one that is known."""
    if city and province and province != city:
        return _("{city} ({province})").format(city=city, province=province)
    return city or province


def exported_cell(row: CustomerRow, column: CustomerColumn) -> object:
    """A cell as a file holds it: as shown, but a date as a date (ISO in a CSV, a date
    cell in XLSX), since "12/1/26" is read differently from one country to the next, and
    a count as a number, and a phone or email without the list's verified mark (so that
    the file imports back)."""
    if column is C.CREATED:
        return row.created_at.astimezone().date()
    if column is C.OPEN_DEALS and isinstance(row, CompanyRow):
        return row.open_deals
    if column is C.PHONE:
        return row.phone
    if column is C.EMAIL and isinstance(row, ContactRow):
        return row.email
    return cell(row, column)


def _checked(text: str, verified: bool) -> str:
    """A phone or email as the list shows it: marked ✓ once someone verified it."""
    return f"{text} ✓" if text and verified else text


def cell(row: CustomerRow, column: CustomerColumn) -> str:
    """What a cell shows."""
    if column is C.NAME:
        return row.name
    if column is C.OWNER:
        return owner_text(row.owner)
    if column is C.LEAD_SOURCE:
        return row.lead_source
    if column is C.TAGS:
        return formatting.items(row.tags)
    if column is C.PHONE:
        return _checked(row.phone, row.phone_verified)
    if column is C.CREATED:
        return formatting.date_short(row.created_at.astimezone().date())
    if isinstance(row, CompanyRow):
        company = {C.CITY: place_text(row.city, row.province), C.INDUSTRY: row.industry,
                   C.SEGMENT: row.segment, C.KEY_LEVEL: row.key_level,
                   C.OPEN_DEALS: formatting.number(row.open_deals)}
        return company.get(column, "")
    assert isinstance(row, ContactRow)
    contact = {C.COMPANY: row.company, C.TITLE: row.title, C.ROLE: row.role_label,
               C.EMAIL: _checked(row.email, row.email_verified), C.CONSENT: row.consent_label}
    return contact.get(column, "")
