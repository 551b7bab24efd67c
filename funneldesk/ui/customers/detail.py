"""One customer's details, read-only, beside the list: its fields, its people (for a
company), its deals and its history. Editing comes with the customer forms."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QTextBrowser, QWidget

from funneldesk import formatting
from funneldesk.i18n import N_, _, pgettext
from funneldesk.services.activities.timeline import Timeline
from funneldesk.services.contracts.records import AfterSales
from funneldesk.services.customers import profile_words
from funneldesk.services.dto import (
    CompanyDetail,
    CustomerOverview,
    HistoryLine,
    PoolHistoryEntry,
    consent_label,
    role_label,
)
from funneldesk.ui.activities.timeline_html import timeline_html
from funneldesk.ui.common.rich_text import (
    escaped,
    heading,
    link,
    names_unbroken,
    para,
    record_of,
)
from funneldesk.ui.contracts.after_sales_html import after_sales_html
from funneldesk.ui.customers.columns import owner_text
from funneldesk.ui.customers.labels import field_label

_OUTCOMES = {"open": N_("In progress"), "won": N_("Won"), "lost": N_("Lost"),
             "archived": N_("Archived")}
_ACTIONS = {"create": N_("Record created"), "update": N_("Edited"), "undo": N_("Edit undone"),
            "redo": N_("Edit redone"), "merge": N_("Merged"),
            "erase": N_("Personal data erased"),
            "unmerge": N_("Merge undone"), "verify": N_("Contact details verified"),
            "unverify": N_("Verification removed"), "claim": N_("Claimed from the pool"),
            "release": N_("Released to the pool"),
            "return-to-pool": N_("Returned to the pool: untouched too long"),
            "import": N_("Imported")}
_COMPANY_FIELDS = (
    ("industry", N_("Industry")), ("segment", N_("Segment")), ("size", N_("Size")),
    ("country", N_("Country")), ("province", N_("Province or state")), ("city", N_("City")),
    ("address", N_("Address")), ("website", N_("Website")),
    ("credit_code", N_("Unified Social Credit Code")), ("key_level", N_("Key level")),
    ("campaign", N_("Campaign")), ("notes", N_("Notes")))
_CONTACT_FIELDS = (
    ("title", N_("Job title")), ("wechat", N_("WeChat ID")), ("campaign", N_("Campaign")),
    ("age_band", N_("Age band")), ("gender", N_("Gender")), ("occupation", N_("Occupation")),
    ("income_band", N_("Income band")), ("education", N_("Education")),
    ("preferences", N_("Preferences")), ("decision_process", N_("Decision process")),
    ("loyalty", N_("Loyalty")), ("data_origin", N_("Data origin")), ("notes", N_("Notes")))


def _table(rows: Sequence[tuple[str, str]]) -> str:
    # a label is never broken (统一社会信/用代码): the value beside it wraps instead
    cells = "".join(f"<tr><td style='color:gray; padding-right:12px; white-space:nowrap'>"
                    f"{escaped(k)}</td>"
                    f"<td{_unbroken(v)}>{escaped(v)}</td></tr>" for k, v in rows if v)
    return f"<table cellspacing='2'>{cells}</table>"


def _unbroken(value: str) -> str:
    """A one-word value (a credit code, an email address) is not broken mid-word: Qt
    breaks such a word anywhere when the pane is narrow."""
    if len(value) <= 60 and not any(ch.isspace() for ch in value):
        return " style='white-space:nowrap'"
    return ""


def _history_line(line: HistoryLine, entity: str) -> str:
    action = _(_ACTIONS[line.action]) if line.action in _ACTIONS else line.action
    if line.action == "merge" and line.value:
        action = _("Merged with “{name}”").format(name=line.value)
    when = formatting.date_short(line.at.astimezone().date())
    who = line.by or _("FunnelDesk")
    text = _("{when} · {who} · {action}").format(when=when, who=who, action=action)
    if line.fields:
        text += " — " + formatting.listing([field_label(f, entity) for f in line.fields])
    elif line.value and line.action != "merge":  # which phone or email was verified
        text += " — " + line.value
    return f"<li>{escaped(text)}</li>"


def _pool_line(entry: PoolHistoryEntry) -> str:
    when, who, before = formatting.datetime(entry.at), entry.by or "?", entry.owner_before
    if entry.action == "claimed":
        text = _("{when} · claimed by {who}").format(when=when, who=who)
    elif entry.action == "released" and before and before != entry.by:
        text = _("{when} · released by {who}, who had it from {owner}").format(
            when=when, who=who, owner=before)
    elif entry.action == "released":
        text = _("{when} · released by {who}").format(when=when, who=who)
    elif before:  # untouched for the team's number of days
        text = _("{when} · returned on its own: {owner} left it untouched too long").format(
            when=when, owner=before)
    else:
        text = _("{when} · returned on its own, untouched too long").format(when=when)
    return f"<li>{names_unbroken(escaped(text), who, before or '')}</li>"


def _outcome(outcome: str, stage: str) -> str:
    """What follows the stage's name: the outcome, unless the stage says it already."""
    label = _(_OUTCOMES[outcome])
    return "" if outcome == "open" or label == stage else " · " + escaped(label)


def overview_html(seen: CustomerOverview, pool: Sequence[PoolHistoryEntry] = (),
                  timeline: Timeline | None = None, after: AfterSales | None = None) -> str:
    """The overview as rich text for a QTextBrowser; ``pool``: its public pool history,
    newest first; ``timeline``: its activities and its deals' moves."""
    detail = seen.detail
    fields = detail.fields
    parts = [f"<h2>{escaped(fields.name)}</h2>"]
    rows: list[tuple[str, str]] = []
    if isinstance(detail, CompanyDetail):
        kind = _("Company")
        rows += [(_(label), str(getattr(fields, name))) for name, label in _COMPANY_FIELDS]
    else:
        kind = _("Contact")
        rows.append((_("Company"), detail.company_name or ""))
        rows.append((_("Role"), role_label(getattr(fields, "role", ""))))
        rows += [(_(label), profile_words.shown(name, str(getattr(fields, name))))
                 for name, label in _CONTACT_FIELDS]
        rows.append((_("Consent"), consent_label(getattr(fields, "consent", "unknown"))))
    rows.insert(0, (_("Owner"), owner_text(detail.owner_name)))
    rows.append((_("Lead source"), seen.lead_source))
    for channel in detail.channels:
        label = _("Phone") if channel.kind == "phone" else _("Email")
        if channel.verified_at is None:
            shown = _("{value} (not verified)").format(value=channel.shown)
        else:
            shown = _("{value} ✓ verified on {date} by {who}").format(
                value=channel.shown,
                who=channel.verified_by or _("someone no longer in the team"),
                date=formatting.date_short(channel.verified_at.astimezone().date()))
        rows.append((label, shown))
    rows.append((_("Tags"), formatting.items(fields.tags)))
    rows.append((_("Created"), formatting.date_short(detail.created_at.astimezone().date())))
    parts.append(f"<p style='color:gray'>{escaped(kind)}</p>")
    parts.append(_table(rows))
    if isinstance(detail, CompanyDetail):
        parts.append(heading(_("Contacts")))
        parts.append("<ul>" + "".join(f"<li>{link('contact', c.id, c.name)}</li>"
                                      for c in seen.contacts)
                     + "</ul>" if seen.contacts else para(_("No contacts yet.")))
    parts.append(heading(pgettext("a customer's", "Deals")))
    if seen.deals:
        cells = "".join(
            f"<tr><td style='padding-right:10px'>{link('deal', d.id, d.title)}</td>"
            f"<td style='padding-right:10px'>{escaped(d.stage)}"
            f"{_outcome(d.outcome, d.stage)}</td>"
            # Qt's rich text honours the style, not the nowrap attribute
            f"<td align='right' style='white-space:nowrap'>"
            f"{escaped(formatting.money(d.value, d.currency))}</td></tr>"
            for d in seen.deals)
        parts.append(f"<table cellspacing='2'>{cells}</table>")
    else:
        parts.append(para(_("No deals yet.")))
    if after is not None:
        parts.append(after_sales_html(after))
    if timeline is not None:
        parts.append(timeline_html(timeline, name_deals=True))
    if pool:
        parts.append(heading(_("Public pool")))
        parts.append("<ul>" + "".join(_pool_line(p) for p in pool) + "</ul>")
    parts.append(heading(_("History")))
    parts.append("<ul>" + "".join(_history_line(h, seen.entity) for h in seen.history) + "</ul>"
                 if seen.history else para(_("Nothing recorded yet.")))
    return "".join(parts)


class CustomerDetail(QTextBrowser):
    """The opened customer, read-only; its contacts and deals are links (a click, or Tab
    to the link and Enter): a contact is shown in the list, a deal opens in its form."""

    recordOpened = Signal(str, int)  # the kind ("deal", "contact") and id of a link

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._follow)
        self.setAccessibleName(_("Customer details"))
        self.overview: CustomerOverview | None = None
        self.pool: tuple[PoolHistoryEntry, ...] = ()
        self.clear_customer()

    def show_customer(self, seen: CustomerOverview, pool: Sequence[PoolHistoryEntry] = (),
                      timeline: Timeline | None = None, after: AfterSales | None = None) -> None:
        self.overview = seen
        self.pool = tuple(pool)
        self.setHtml(overview_html(seen, pool, timeline, after))

    def _follow(self, url: QUrl) -> None:
        record = record_of(url.toString())
        if record is not None:
            self.recordOpened.emit(*record)

    def clear_customer(self) -> None:
        self.overview = None
        self.pool = ()
        hint = _("Open a company or contact to see its deals, contacts and history here.")
        self.setHtml(f"<p style='color:gray'>{escaped(hint)}</p>")
