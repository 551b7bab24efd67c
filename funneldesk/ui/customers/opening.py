"""The one way into the customers' dialogs, for any page, pane or form:

    open_company(owner, services, actor, company_id)   the company form (new when None)
    open_contact(owner, services, actor, contact_id)   the contact form (new when None)
    find_duplicates(owner, services, actor, entity)    the Find duplicates dialog
    merge_records(owner, services, actor, entity, first_id, second_id)   the merge dialog

``owner`` is the window's ``Workspace`` (then dialogs open over its window, and an edit
saved in a form or a merge goes on its undo stack, so Ctrl+Z undoes it) or just a parent
widget (or None). The forms are modal; each function returns when its dialog has closed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QWidget

from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.services import Services
from funneldesk.services.common.tabular.records import ImportReport
from funneldesk.services.customers.records import (
    CompanyFields,
    ContactFields,
    DuplicateMatch,
    SavedCustomer,
)
from funneldesk.services.dto import Actor, ChangeSet
from funneldesk.ui.common.errors import show_error
from funneldesk.ui.common.page import Workspace
from funneldesk.ui.common.user_action import ActionRunner

if TYPE_CHECKING:
    from funneldesk.ui.customers.record_form import RecordForm

Owner = Workspace | QWidget | None


def _parent(owner: Owner) -> QWidget | None:
    return owner.window if isinstance(owner, Workspace) else owner


def _runner(owner: Owner) -> ActionRunner | None:
    return owner.runner if isinstance(owner, Workspace) else None


def open_company(owner: Owner, services: Services, actor: Actor, company_id: int | None,
                 *, start: CompanyFields | None = None) -> SavedCustomer | None:
    """Opens the company ``company_id``, or a new company (filled from ``start``) when
    None. Returns what was saved, None when nothing was (cancelled, or unchanged). If the
    user chose "Open that one" on a possible duplicate, that record's form opens instead
    and its result is returned."""
    from funneldesk.ui.customers.company_form import CompanyForm

    return _open_form(owner, services, actor, lambda: services.customers.company_detail(
        company_id) if company_id else None,
        lambda detail, parent: CompanyForm(services, actor, detail, parent, start))


def open_contact(owner: Owner, services: Services, actor: Actor, contact_id: int | None,
                 *, start: ContactFields | None = None) -> SavedCustomer | None:
    """Opens the contact ``contact_id``, or a new contact (filled from ``start``, e.g.
    with its ``company_id``) when None; as ``open_company``."""
    from funneldesk.ui.customers.contact_form import ContactForm

    return _open_form(owner, services, actor, lambda: services.customers.contact_detail(
        contact_id) if contact_id else None,
        lambda detail, parent: ContactForm(services, actor, detail, parent, start))


def _open_form(owner: Owner, services: Services, actor: Actor, read: Callable[[], Any],
               make: Callable[[Any, QWidget | None], RecordForm]) -> SavedCustomer | None:
    """Reads the record (None for a new one), shows its form, and follows "Open that
    one" to the record the user chose instead."""
    parent = _parent(owner)
    try:
        detail = read()
    except FunnelDeskError as error:
        show_error(parent, error)
        return None
    form = make(detail, parent)
    runner = _runner(owner)
    if detail is not None and runner is not None:
        _edits_undoable(form, runner, detail)
    form.exec()
    if getattr(form, "erased", False) and runner is not None and detail is not None:
        runner.forget_everything()
        runner.relay(ChangeSet.of_customers(form.entity, [detail.id]))
        # said without the name: nothing shown or kept may name an erased person
        runner.stepped.emit(_("The person's data was erased for good."))
        return None
    if form.open_instead is not None:
        return _open_match(owner, services, actor, form.open_instead)
    if form.saved is None and form.verified and detail is not None and runner is not None:
        # a Verify is saved at once, even when the form is then cancelled
        runner.relay(ChangeSet.of_customers(form.entity, [detail.id]))
        runner.drop_redo()
    if detail is not None and runner is not None:
        return form.saved  # the runner has told every page
    return _relayed(owner, form.saved)


def _edits_undoable(form: RecordForm, runner: ActionRunner, detail: Any) -> None:
    """The form saves its edit through the runner, as a step on the undo stack: undo
    takes back what the edit changed, redo makes it again (CustomerService.revert: its
    consent's date and its verifications included; what changed since by the window's
    own other actions, a release to the pool say, stays). A refusal of the save still
    goes back to the form, which shows it next to its field; one of an undo or redo is
    said over the window."""
    customers, actor = form.services.customers, form.actor
    company = form.entity == "company"
    update = customers.update_company if company else customers.update_contact
    read = customers.company_detail if company else customers.contact_detail
    record = (form.entity, detail.id)

    def write_back(to: Any, undone: Any, result: SavedCustomer, *,
                   redo: bool) -> SavedCustomer:
        return customers.revert(to, undone, by=actor, redo=redo,
                                expected_version=runner.own_version(record, result.version))

    def write(values: Any) -> SavedCustomer | None:
        if values == detail.fields:
            return None  # nothing to save, nothing to undo
        after: list[Any] = []  # the record as this edit left it, read once it is saved

        def save() -> SavedCustomer:
            saved = update(detail.id, values, expected_version=detail.version, by=actor)
            after.append(read(detail.id))
            return saved

        return runner.run(_("Edit “{name}”").format(name=values.name), save,
                          undo=lambda r: write_back(detail, after[0], r, redo=False),
                          redo=lambda r: write_back(after[0], detail, r, redo=True),
                          versions=lambda r: [(record, r.version)],
                          reraise=(FunnelDeskError,))

    form.write = write  # type: ignore[method-assign] # the form's own saving, wrapped


def _relayed(owner: Owner, saved: SavedCustomer | None) -> SavedCustomer | None:
    """Tells every page what a save changed (with a ``Workspace`` owner)."""
    runner = _runner(owner)
    if runner is not None and saved is not None:
        runner.relay(saved.changes)
        runner.drop_redo()  # a new customer is not a step Undo takes back
    return saved


def _open_match(owner: Owner, services: Services, actor: Actor,
                match: DuplicateMatch) -> SavedCustomer | None:
    opener = open_company if match.entity == "company" else open_contact
    return opener(owner, services, actor, match.id)


def find_duplicates(owner: Owner, services: Services, actor: Actor,
                    entity: str = "company", imported: ImportReport | None = None) -> None:
    """Opens Find duplicates on ``entity`` ("company" or "contact"), on what the import
    ``imported`` made when given; returns when closed."""
    from funneldesk.ui.customers.duplicates_view import DuplicatesDialog

    DuplicatesDialog(services, actor, entity, _runner(owner), _parent(owner),
                     imported).exec()


def merge_records(owner: Owner, services: Services, actor: Actor, entity: str,
                  first_id: int, second_id: int) -> bool:
    """Opens the merge dialog on two records of ``entity`` (``first_id`` stays unless the
    user picks the other); True when they were merged."""
    from funneldesk.ui.customers.merge_dialog import MergeDialog

    dialog = MergeDialog(services, actor, entity, first_id, second_id, _runner(owner),
                         _parent(owner))
    return dialog.exec() == QDialog.DialogCode.Accepted
