"""Typed errors that carry the facts; ``message()`` turns them into a sentence in the
user's language at the moment it is shown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from funneldesk.i18n import N_, _, ngettext


class FunnelDeskError(Exception):
    """An error the user can understand and act on (not a bug)."""

    def message(self) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        return self.message()


# --- the database file -------------------------------------------------------------

@dataclass
class DatabaseError(FunnelDeskError):
    location: str


class UnsupportedDatabase(DatabaseError):
    def message(self) -> str:
        return _("Only SQLite database files are supported so far, not {url}.").format(
            url=self.location)


class CorruptDatabase(DatabaseError):
    def message(self) -> str:
        return _("The database file {path} is damaged and cannot be opened. "
                 "It was left untouched; restore it from a backup.").format(path=self.location)


class NotFunnelDeskDatabase(DatabaseError):
    def message(self) -> str:
        return _("{path} is not a FunnelDesk database. It was left untouched.").format(
            path=self.location)


class NewerDatabase(DatabaseError):
    def message(self) -> str:
        return _("{path} was written by a newer FunnelDesk. Update FunnelDesk to open it; "
                 "the file was left untouched.").format(path=self.location)


class ReadOnlyDatabase(DatabaseError):
    def message(self) -> str:
        return _("FunnelDesk cannot write to {path} (the file or its folder is read-only). "
                 "Choose a writable place.").format(path=self.location)


class DatabaseBusy(DatabaseError):
    def message(self) -> str:
        return _("Another program is writing to {path}, so nothing was changed. "
                 "Try again in a moment.").format(path=self.location)


@dataclass
class DatabaseDamaged(DatabaseError):
    """Damage found while the database is in use (a read failed, or the integrity check)."""

    detail: str = ""

    def message(self) -> str:
        return _("FunnelDesk found damage in the database file {path}: {detail}. Close "
                 "FunnelDesk and restore the file from a backup.").format(
            path=self.location, detail=self.detail)


@dataclass
class DatabaseUnavailable(DatabaseError):
    detail: str = ""

    def message(self) -> str:
        return _("The database {path} refused the change: {detail}").format(
            path=self.location, detail=self.detail)


@dataclass
class MigrationFailed(DatabaseError):
    tables: list[str]
    rows: int
    backup: str = ""

    def message(self) -> str:
        text = ngettext(
            "FunnelDesk could not upgrade {path}: the upgrade would leave {n} row in {tables} "
            "pointing at a record that does not exist.",
            "FunnelDesk could not upgrade {path}: the upgrade would leave {n} rows in {tables} "
            "pointing at records that do not exist.", self.rows,
        ).format(path=self.location, n=self.rows, tables=", ".join(self.tables))
        if self.backup:
            return text + " " + _("The file was left as it was; a copy made before the upgrade "
                                  "is at {backup}.").format(backup=self.backup)
        return text + " " + _("The file was left as it was.")


# --- the installation --------------------------------------------------------------

@dataclass
class MissingCatalog(FunnelDeskError):
    path: str

    def message(self) -> str:
        return _("The translation file {path} is missing or unreadable, so FunnelDesk is not "
                 "installed completely. Reinstall it, or choose English with --lang en.").format(
            path=self.path)


# --- user actions ------------------------------------------------------------------

@dataclass
class InvalidInput(FunnelDeskError):
    field: str
    reason: str
    value: str = ""  # the text refused, where the field holds several (a phone of many)

    def message(self) -> str:
        return self.reason


@dataclass
class InvalidFields(InvalidInput):
    """Several fields refused at once, so that a form marks each next to its field; the
    first problem is also this error's own field and reason."""

    problems: tuple[InvalidInput, ...] = ()

    @classmethod
    def of(cls, problems: list[InvalidInput]) -> InvalidFields:
        return cls(problems[0].field, problems[0].reason, problems[0].value,
                   problems=tuple(problems))

    def message(self) -> str:
        return "\n".join(p.reason for p in self.problems) or self.reason


@dataclass
class NotFound(FunnelDeskError):
    what: str  # a record kind: "deal", "stage", "pipeline", "company" ...
    ident: int

    def message(self) -> str:
        sentence = {
            "deal": N_("This deal (#{id}) no longer exists: it was deleted. Deleted deals "
                       "stay in Deal ▸ Trash until the Trash is emptied."),
            "stage": N_("Stage #{id} no longer exists."),
            "pipeline": N_("Pipeline #{id} no longer exists."),
            "company": N_("Company #{id} no longer exists."),
            "contact": N_("Contact #{id} no longer exists."),
            "criterion": N_("Criterion #{id} no longer exists."),
            "lost_reason": N_("Lost reason #{id} no longer exists."),
            "lead_source": N_("Lead source #{id} no longer exists."),
            "product": N_("Product #{id} no longer exists."),
            "channel": N_("That phone number or email address (#{id}) is no longer on "
                          "the record."),
            "merge": N_("Merge #{id} no longer exists."),
            "activity": N_("This activity (#{id}) no longer exists."),
            "user": N_("User #{id} no longer exists."),
            "quote": N_("Quote #{id} no longer exists."),
            "contract": N_("There is no contract #{id}: it was never made, or it was "
                           "deleted."),
            "milestone": N_("This payment milestone (#{id}) no longer exists: the "
                            "contract's schedule changed."),
            "payment": N_("This payment (#{id}) is no longer on the record."),
            "visit": N_("This return visit (#{id}) no longer exists."),
            "review": N_("This review (#{id}) no longer exists."),
            "file": N_("This file (#{id}) is no longer attached."),
            "note": N_("This note (#{id}) no longer exists."),
            "segment": N_("Customer segment #{id} no longer exists."),
        }.get(self.what, N_("Record #{id} no longer exists."))
        return _(sentence).format(id=self.ident)


@dataclass
class MergedAway(NotFound):
    """A company or contact merged into another since it was opened: no longer there,
    and the user learns where it went."""

    name: str
    into: str

    def message(self) -> str:
        return _("“{name}” was merged into “{into}”: open that one instead.").format(
            name=self.name, into=self.into)


@dataclass
class StaleEdit(FunnelDeskError):
    changed_by: str | None  # None: nobody recorded who changed it, nor when
    changed_at: dt.datetime | None

    def message(self) -> str:
        from funneldesk.formatting import datetime as fmt_datetime

        if self.changed_by is None or self.changed_at is None:
            return _("This record was changed by someone else since you opened it; who and "
                     "when were not recorded. Reload it and try again.")
        return _("This record was changed by {who} at {when}. Reload it and try again.").format(
            who=self.changed_by, when=fmt_datetime(self.changed_at))

    def reason(self) -> str:
        """Who changed it and when, without the advice to try again (for an undo, which
        cannot be tried again)."""
        from funneldesk.formatting import datetime as fmt_datetime

        if self.changed_by is None or self.changed_at is None:
            return _("it has been changed since, by someone not recorded.")
        return _("it has been changed since (last by {who} at {when}).").format(
            who=self.changed_by, when=fmt_datetime(self.changed_at))


@dataclass
class StepRefused(FunnelDeskError):
    """An undo or redo that could not be done; the step leaves the Undo list."""

    step: str  # the step's name in the Edit menu ("Edit “…”", "Move “…” to …")
    undoing: bool
    cause: FunnelDeskError

    def message(self) -> str:
        reason = (self.cause.reason() if isinstance(self.cause, StaleEdit)
                  else self.cause.message())
        text = (_("Cannot undo {step}: {reason} It is no longer on the Undo list.")
                if self.undoing else
                _("Cannot redo {step}: {reason} It is no longer on the Undo list."))
        return text.format(step=self.step, reason=reason)


@dataclass
class StageDeleted(FunnelDeskError):
    stage: str

    def message(self) -> str:
        return _("The deal cannot go back to “{stage}”: that stage has been deleted since.").format(
            stage=self.stage)


@dataclass
class CriteriaNotMet(FunnelDeskError):
    target_stage: str
    missing: list[str]

    def message(self) -> str:
        items = "\n".join(f"• {label}" for label in self.missing)
        return _("The deal cannot move to “{stage}” until these are ticked:\n{items}").format(
            stage=self.target_stage, items=items)


@dataclass
class StageNotEmpty(FunnelDeskError):
    stage: str
    deals: int

    def message(self) -> str:
        return ngettext("“{stage}” still holds {n} deal. Move it to another stage first.",
                        "“{stage}” still holds {n} deals. Move them to another stage first.",
                        self.deals).format(stage=self.stage, n=self.deals)


@dataclass
class NotAllowed(FunnelDeskError):
    """A rule about who may do what; ``reason`` is the whole sentence, translated where
    the rule is checked (a translator never sees a sentence built from pieces)."""

    reason: str

    def message(self) -> str:
        return self.reason


@dataclass
class PurgeBlocked(FunnelDeskError):
    """Deals could not be removed for good: rows in other tables still point at them."""

    tables: list[str]

    def message(self) -> str:
        return _("Nothing was removed: records in {tables} still refer to these deals.").format(
            tables=", ".join(self.tables))


@dataclass
class StageGone(FunnelDeskError):
    """A deal cannot go back to a stage that was deleted after it left."""

    deal: str
    stage: str

    def message(self) -> str:
        return _("“{deal}” cannot be restored: its stage “{stage}” has been deleted since. "
                 "It stays in the Trash.").format(deal=self.deal, stage=self.stage)


@dataclass
class BaseCurrencyInUse(FunnelDeskError):
    """The base currency stays once deals exist: every rate is expressed in it, and a new
    base would need every rate entered again at once."""

    currency: str
    deals: int

    def message(self) -> str:
        return ngettext(
            "The base currency stays {currency} while the database holds {n} deal: every "
            "exchange rate and every total is expressed in it. Choose the base currency "
            "before entering deals, or start a new database.",
            "The base currency stays {currency} while the database holds {n} deals: every "
            "exchange rate and every total is expressed in it. Choose the base currency "
            "before entering deals, or start a new database.", self.deals,
        ).format(currency=self.currency, n=self.deals)


@dataclass
class BulkStepRefused(FunnelDeskError):
    """An undo or redo of a bulk action applies to all of its deals or to none: this deal
    stopped it (``error`` says why, e.g. a StaleEdit naming who changed it and when)."""

    deal_id: int
    deal: str
    error: FunnelDeskError
    undo: bool  # True: an undo was refused; False: a redo

    def message(self) -> str:
        if self.undo:
            text = _("Nothing was undone, because “{deal}” cannot be: {reason}")
        else:
            text = _("Nothing was redone, because “{deal}” cannot be: {reason}")
        return text.format(deal=self.deal, reason=self.error.message())


@dataclass
class NothingChanged(FunnelDeskError):
    """A bulk action that changed none of its deals: each refused one (title, why), and
    how many needed no change (already as the action would leave them)."""

    refusals: list[tuple[str, FunnelDeskError]]
    skipped: int = 0

    def message(self) -> str:
        if not self.refusals:
            return ngettext("The deal already was as the action would leave it.",
                            "The {n} deals already were as the action would leave them.",
                            self.skipped).format(n=self.skipped)
        n = len(self.refusals) + self.skipped
        head = ngettext("The deal was left as it was:", "None of the {n} deals was changed:",
                        n).format(n=n)
        lines = [_("• {title}: {reason}").format(title=title, reason=error.message())
                 for title, error in self.refusals[:10]]
        more = len(self.refusals) - 10
        if more > 0:
            lines.append(ngettext("… and {n} more deal.", "… and {n} more deals.",
                                  more).format(n=more))
        if self.skipped:
            lines.append(ngettext("{n} deal needed no change.", "{n} deals needed no change.",
                                  self.skipped).format(n=self.skipped))
        return "\n".join([head, *lines])


class ListChanged(FunnelDeskError):
    """The rows a user chose in a list no longer hold the same deals: the list has
    changed since it was read (another FunnelDesk on the same file, for one)."""

    def message(self) -> str:
        return _("The list has changed since it was shown, so the selected rows may no "
                 "longer be the deals you chose. Nothing was changed: press F5 to read "
                 "the list again, then select the deals once more.")
