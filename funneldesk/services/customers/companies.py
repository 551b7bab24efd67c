"""Companies and contacts, as far as the deal form needs them (the customer module
builds on this)."""

from __future__ import annotations

from sqlalchemy import case, select

from funneldesk.errors import InvalidInput, NotFound
from funneldesk.i18n import _
from funneldesk.models import Company, Contact
from funneldesk.services.common import audit
from funneldesk.services.common.base import Service
from funneldesk.services.common.lookups import get_or_raise
from funneldesk.services.common.records import Actor
from funneldesk.services.customers.records import Named


class CustomerService(Service):
    def search_companies(self, text: str, limit: int = 50) -> list[Named]:
        """Companies whose name contains ``text`` (any case), those that start with it
        first, at most ``limit``. A LIKE over the names: one- and two-character Chinese
        queries (星辰) must match, which a trigram index cannot do."""
        text = text.strip()
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        with self.db.reading() as session:
            rows = session.execute(
                select(Company.id, Company.name)
                .where(Company.deleted_at.is_(None),
                       Company.name.ilike(f"%{escaped}%", escape="\\"))
                .order_by(case((Company.name.ilike(f"{escaped}%", escape="\\"), 0), else_=1),
                          Company.name, Company.id)
                .limit(limit))
            return [Named(r.id, r.name) for r in rows]

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
                    for r in session.execute(query.order_by(Contact.name))]

    def create_company(self, *, name: str, by: Actor, phone: str = "", email: str = "") -> Named:
        name = name.strip()
        if not name:
            raise InvalidInput("name", _("Enter the company's name."))
        with self.db.session() as session:
            company = Company(name=name, phone=phone.strip(), email=email.strip(),
                              created_by_id=by.id)
            session.add(company)
            session.flush()
            audit.record(session, by, "create", "company", company.id, name=name)
            return Named(company.id, company.name)

    def create_contact(self, *, name: str, company_id: int | None, by: Actor, title: str = "",
                       phone: str = "", email: str = "") -> Named:
        name = name.strip()
        if not name:
            raise InvalidInput("name", _("Enter the contact's name."))
        with self.db.session() as session:
            if company_id is not None:
                get_or_raise(session, Company, company_id, "company")
            contact = Contact(name=name, company_id=company_id, title=title.strip(),
                              phone=phone.strip(), email=email.strip(), created_by_id=by.id)
            session.add(contact)
            session.flush()
            audit.record(session, by, "create", "contact", contact.id, name=name)
            return Named(contact.id, contact.name, company_id)
