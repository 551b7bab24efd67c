"""Companies and contacts: their forms, reads, verification and the pickers of the deal
form."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, fields, replace
from typing import Any

from sqlalchemy import case, func, select

from funneldesk.db import Database
from funneldesk.db.stale import last_change
from funneldesk.errors import InvalidInput, NotFound
from funneldesk.i18n import _
from funneldesk.models import Channel, Company, Contact, LeadSource, User
from funneldesk.models.base import utcnow
from funneldesk.services.common import audit, search_index
from funneldesk.services.common.base import Service
from funneldesk.services.common.bulk import large_cache
from funneldesk.services.common.lookups import get_or_raise
from funneldesk.services.common.records import Actor, ChangeSet
from funneldesk.services.customers import channels, search
from funneldesk.services.customers.profiles import checked_company, checked_contact
from funneldesk.services.customers.records import (
    CompanyDetail,
    CompanyFields,
    ContactDetail,
    ContactFields,
    Named,
    SavedCustomer,
)
from funneldesk.services.team import reads

# writes deals into the search index again (the pipeline area's index_deals)
ReindexDeals = Callable[[search_index.Connection, Sequence[int]], None]

# fields kept outside the record's own row
LIST_FIELDS = ("phones", "emails", "tags")
# records indexed per transaction after an import: about a fifth of a second of write lock
INDEX_CHUNK = 2_000


def _columns(values: CompanyFields | ContactFields) -> dict[str, Any]:
    return {k: v for k, v in asdict(values).items() if k not in LIST_FIELDS}


def like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class CustomerService(Service):
    """``reindex_deals`` writes deals into the search index again (their entries hold
    their company's and contact's names: a rename changes them); the pipeline area owns
    it, which this area may not import, so the Services facade hands it over."""

    def __init__(self, db: Database, *, reindex_deals: ReindexDeals | None = None) -> None:
        super().__init__(db)
        self._reindex_deals = reindex_deals

    def has_customers(self) -> bool:
        """Whether any company or contact is left; stops at the first one."""
        return bool(self.db.query(
            "SELECT EXISTS (SELECT 1 FROM companies WHERE deleted_at IS NULL) "
            "OR EXISTS (SELECT 1 FROM contacts WHERE deleted_at IS NULL)")[0][0])

    def region(self) -> str:
        from funneldesk.services.team.settings import DEFAULT_PHONE_REGION, PHONE_REGION

        return reads.setting(self.db.query, PHONE_REGION) or DEFAULT_PHONE_REGION

    # --- the deal form's pickers ---------------------------------------------------------

    def search_companies(self, text: str, limit: int = 50) -> list[Named]:
        """Companies whose name contains ``text`` (any case), those that start with it
        first, at most ``limit``. A LIKE over the names: one- and two-character Chinese
        queries (星辰) must match, which a trigram index cannot do."""
        escaped = like_escaped(text.strip())
        with self.db.reading() as session:
            rows = session.execute(
                select(Company.id, Company.name)
                .where(Company.deleted_at.is_(None),
                       Company.name.ilike(f"%{escaped}%", escape="\\"))
                .order_by(case((Company.name.ilike(f"{escaped}%", escape="\\"), 0), else_=1),
                          Company.sort_name, Company.id)
                .limit(limit))
            return [Named(r.id, r.name) for r in rows]

    def search_contacts(self, text: str, company_id: int | None = None,
                        limit: int = 50) -> list[Named]:
        """Contacts whose name contains ``text``, of ``company_id`` when given, each with
        its company's name (two 张伟 at two companies are told apart by it)."""
        escaped = like_escaped(text.strip())
        with self.db.reading() as session:
            query = (select(Contact.id, Contact.name, Contact.company_id,
                            func.coalesce(Company.name, "").label("company"))
                     .outerjoin(Company, Company.id == Contact.company_id)
                     .where(Contact.deleted_at.is_(None),
                            Contact.name.ilike(f"%{escaped}%", escape="\\")))
            if company_id is not None:
                query = query.where(Contact.company_id == company_id)
            rows = session.execute(query.order_by(
                case((Contact.name.ilike(f"{escaped}%", escape="\\"), 0), else_=1),
                Contact.sort_name, Contact.id).limit(limit))
            return [Named(r.id, r.name, r.company_id, r.company) for r in rows]

    def company(self, company_id: int) -> Named:
        """A company by id, deleted ones included: a deal still names the company it had."""
        with self.db.session() as session:
            company = session.get(Company, company_id)
            if company is None:
                raise NotFound("company", company_id)
            return Named(company.id, company.name)

    def contacts(self, company_id: int | None = None) -> list[Named]:
        with self.db.reading() as session:
            query = select(Contact.id, Contact.name, Contact.company_id).where(
                Contact.deleted_at.is_(None))
            if company_id is not None:
                query = query.where(Contact.company_id == company_id)
            return [Named(r.id, r.name, r.company_id)
                    for r in session.execute(query.order_by(Contact.sort_name, Contact.id))]

    # --- short forms (the deal form's "new company" and "new contact") -------------------

    def create_company(self, *, name: str, by: Actor, phone: str = "",
                       email: str = "") -> Named:
        saved = self.add_company(CompanyFields(
            name=name, phones=(phone,) if phone.strip() else (),
            emails=(email,) if email.strip() else ()), by=by)
        return Named(saved.id, saved.name)

    def create_contact(self, *, name: str, company_id: int | None, by: Actor, title: str = "",
                       phone: str = "", email: str = "") -> Named:
        saved = self.add_contact(ContactFields(
            name=name, company_id=company_id, title=title,
            phones=(phone,) if phone.strip() else (),
            emails=(email,) if email.strip() else ()), by=by)
        return Named(saved.id, saved.name, company_id)

    # --- the full forms ------------------------------------------------------------------

    def check_company(self, values: CompanyFields) -> CompanyFields:
        """The fields as they would be kept, or InvalidFields naming every problem: what
        a form shows next to its fields before anything is saved."""
        return checked_company(values, self.region())

    def check_contact(self, values: ContactFields) -> ContactFields:
        return checked_contact(values, self.region())

    def add_company(self, values: CompanyFields, *, by: Actor) -> SavedCustomer:
        return self._add(Company, self.check_company(values), by)

    def add_contact(self, values: ContactFields, *, by: Actor) -> SavedCustomer:
        values = self.check_contact(values)
        return self._add(Contact, values, by,
                         consent_at=utcnow() if values.consent != "unknown" else None)

    def update_company(self, company_id: int, values: CompanyFields, *, expected_version: int,
                       by: Actor) -> SavedCustomer:
        return self._update(Company, company_id, self.check_company(values), expected_version,
                            by)

    def update_contact(self, contact_id: int, values: ContactFields, *, expected_version: int,
                       by: Actor) -> SavedCustomer:
        return self._update(Contact, contact_id, self.check_contact(values), expected_version,
                            by)

    def revert(self, to: CompanyDetail | ContactDetail,
               undone: CompanyDetail | ContactDetail, *, expected_version: int,
               by: Actor, redo: bool = False) -> SavedCustomer:
        """Takes back one edit (an undo, or its redo): each field the edit changed (from
        ``to`` into ``undone``, both read of the record) goes back to its value in ``to``,
        with the consent's date and the verification of a phone or email put back; every
        other field stays as it is now (a release to the public pool made since, say).
        The history calls it an undo, or with ``redo`` a redo."""
        company = isinstance(to, CompanyDetail)
        now = self.company_detail(to.id) if company else self.contact_detail(to.id)
        edited = {f.name for f in fields(to.fields)
                  if getattr(to.fields, f.name) != getattr(undone.fields, f.name)}
        values = replace(now.fields, **{name: getattr(to.fields, name) for name in edited})
        action = "redo" if redo else "undo"
        if isinstance(values, CompanyFields):
            return self._update(Company, to.id, self.check_company(values), expected_version,
                                by, restoring=to, action=action)
        return self._update(Contact, to.id, self.check_contact(values), expected_version, by,
                            restoring=to, action=action)

    def _add(self, model: type[Company] | type[Contact], values: CompanyFields | ContactFields,
             by: Actor, **extra: Any) -> SavedCustomer:
        entity = model.__name__.lower()
        with self.db.session() as session:
            _check_links(session, values)
            now = utcnow()
            record = model(**_columns(replace(values, owner_id=values.owner_id or by.id)),
                           created_by_id=by.id, created_at=now, touched_at=now, **extra)
            session.add(record)
            session.flush()
            _write_lists(session, entity, record.id, values)
            session.flush()
            search.index_customers(search.raw_connection(session), entity, [record.id])
            audit.record(session, by, "create", entity, record.id, name=values.name)
            return SavedCustomer(record.id, record.name, record.version,
                                 changes=ChangeSet.of_customers(entity, [record.id]))

    def _update(self, model: type[Company] | type[Contact], record_id: int,
                values: CompanyFields | ContactFields, expected_version: int,
                by: Actor, restoring: CompanyDetail | ContactDetail | None = None,
                action: str = "update") -> SavedCustomer:
        entity = model.__name__.lower()
        with self.db.session() as session:
            record = get_or_raise(session, model, record_id, entity)
            if record.version != expected_version:
                raise last_change(session, model, record.id)
            _check_links(session, values)
            changed = _apply(record, form_fields(session, record), values)
            deals: list[int] = []
            if changed:
                record.touched_at = utcnow()
                if "consent" in changed:  # dated now, or as it was when a revert restores it
                    record.consent_at = (  # type: ignore[union-attr]
                        restoring.consent_at if isinstance(restoring, ContactDetail)
                        else record.touched_at)
                _write_lists(session, entity, record.id, values)
                session.flush()
                if restoring is not None:
                    channels.restore_verification(session, entity, record.id,
                                                  restoring.channels)
                deals = self._reindex(session, entity, record.id, renamed="name" in changed)
                audit.record(session, by, action, entity, record.id, changed=changed)
            return SavedCustomer(record.id, record.name, record.version, changes=(
                ChangeSet.of_customers(entity, [record.id], deals) if changed
                else ChangeSet()))

    def _reindex(self, session: Any, entity: str, record_id: int, *,
                 renamed: bool) -> list[int]:
        """The record's search entry, and on a rename those that hold its name: a
        company's contacts, and its (or the contact's) deals, whose ids it returns."""
        raw = search.raw_connection(session)
        search.index_customers(raw, entity, [record_id])
        if not renamed:
            return []
        return search.index_names_of_renamed(raw, entity, [record_id], self._reindex_deals)

    def index_missing(self, stop: Callable[[], bool] = lambda: False) -> int:
        """Makes findable in search-everything the companies and contacts it lacks: a bulk
        import's, once it has committed, and any that a crash left out. Returns how many
        it added. Each few thousand are a transaction of their own: a change made
        meanwhile (a deal moved on the board) waits for one of them, not for them all.
        ``stop`` is asked before each: when it says yes (FunnelDesk is quitting), the rest
        is left to the next call, which the next start makes."""
        with self.db.reading() as session:
            if not search.any_missing_customers(search.raw_connection(session)):
                return 0
        added = 0
        for kind in (search.COMPANY_KIND, search.CONTACT_KIND):
            after = 0
            while True:
                if stop():
                    return added
                with self.db.session() as session:
                    raw = search.raw_connection(session)
                    with large_cache(raw):
                        done = search.index_missing_customers(raw, kind, after, INDEX_CHUNK)
                if done is None:
                    break
                after, count = done
                added += count
        return added

    # --- reads ---------------------------------------------------------------------------

    def company_detail(self, company_id: int) -> CompanyDetail:
        with self.db.session() as session:
            company = get_or_raise(session, Company, company_id, "company")
            owner = session.get(User, company.owner_id) if company.owner_id else None
            return CompanyDetail(
                company.id, form_fields(session, company), company.version,
                channels.read_channels(session, "company", company.id, self.region()),
                owner.display_name if owner else None, company.created_at)

    def contact_detail(self, contact_id: int) -> ContactDetail:
        with self.db.session() as session:
            contact = get_or_raise(session, Contact, contact_id, "contact")
            owner = session.get(User, contact.owner_id) if contact.owner_id else None
            company = session.get(Company, contact.company_id) if contact.company_id else None
            return ContactDetail(
                contact.id, form_fields(session, contact), contact.version,
                channels.read_channels(session, "contact", contact.id, self.region()),
                owner.display_name if owner else None, company.name if company else None,
                contact.consent_at, contact.created_at)

    # --- verification --------------------------------------------------------------------

    def verify(self, channel_id: int, *, verified: bool, by: Actor) -> None:
        """Records that someone checked (or un-checked) that this phone or email reaches
        the customer."""
        with self.db.session() as session:
            channel = session.get(Channel, channel_id)
            if channel is None:
                raise NotFound("channel", channel_id)
            channel.verified_at = utcnow() if verified else None
            channel.verified_by_id = by.id if verified else None
            entity = "company" if channel.company_id is not None else "contact"
            audit.record(session, by, "verify" if verified else "unverify", entity,
                         channel.company_id or channel.contact_id, kind=channel.kind,
                         value=channel.value)


def form_fields(session: Any, record: Company | Contact) -> Any:
    """The record's fields as its form shows them (CompanyFields or ContactFields)."""
    kind = CompanyFields if isinstance(record, Company) else ContactFields
    entity = "company" if isinstance(record, Company) else "contact"
    own = {f.name: getattr(record, f.name) for f in fields(kind) if f.name not in LIST_FIELDS}
    return kind(**own, **_lists(session, entity, record.id))


def _write_lists(session: Any, entity: str, record_id: int,
                 values: CompanyFields | ContactFields) -> None:
    channels.write_channels(session, entity, record_id, values.phones, values.emails)
    channels.write_tags(session, entity, record_id, values.tags)


def _lists(session: Any, entity: str, record_id: int) -> dict[str, Any]:
    held = session.scalars(select(Channel).where(
        getattr(Channel, channels.owner_column(entity)) == record_id)
        .order_by(Channel.position)).all()
    return {"phones": tuple(c.value for c in held if c.kind == "phone"),
            "emails": tuple(c.value for c in held if c.kind == "email"),
            "tags": channels.read_tags(session, entity, record_id)}


def _apply(record: Company | Contact, before: CompanyFields | ContactFields,
           values: CompanyFields | ContactFields) -> dict[str, list[Any]]:
    changed = {k: [v, getattr(values, k)] for k, v in asdict(before).items()
               if getattr(values, k) != v}
    for name in changed:
        if name not in LIST_FIELDS:
            setattr(record, name, getattr(values, name))
    return changed


def _check_links(session: Any, values: CompanyFields | ContactFields) -> None:
    if values.owner_id is not None and session.get(User, values.owner_id) is None:
        raise InvalidInput("owner", _("Choose an owner."))
    if values.lead_source_id is not None and session.get(LeadSource,
                                                         values.lead_source_id) is None:
        raise NotFound("lead_source", values.lead_source_id)
    if isinstance(values, ContactFields) and values.company_id is not None:
        get_or_raise(session, Company, values.company_id, "company")
