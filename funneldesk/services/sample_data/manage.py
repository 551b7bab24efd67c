"""Sample data kept apart from real data: a separate sample database, or sample records
(marked ``is_sample`` by the generator) that one call removes again.

Removing takes the sample deals with their stage changes and criterion checks, then the
sample contacts, companies and reps that no remaining record refers to: a real deal
kept for a sample company keeps that company. Every foreign key of the schema is
followed, so tables added later are respected without changes here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, delete, exists, false, select, update
from sqlalchemy.orm import Session

from funneldesk import secrets
from funneldesk.errors import InvalidInput
from funneldesk.i18n import _
from funneldesk.models import (
    Activity,
    Base,
    Channel,
    Company,
    CompanyTag,
    Contact,
    ContactTag,
    Deal,
    ForecastAdjustment,
    KpiTarget,
    Product,
    QuoteLine,
    TrainingPlan,
    User,
)
from funneldesk.services.activities.search import forget_activities
from funneldesk.services.common import audit
from funneldesk.services.common.base import Service
from funneldesk.services.common.permissions import require_manager
from funneldesk.services.common.records import Actor
from funneldesk.services.customers import search
from funneldesk.services.pipeline.trash import purge_deals
from funneldesk.services.sample_data.demo import DemoSummary
from funneldesk.services.sample_data.records import SampleCounts

# rows that belong to a company or contact and go with it
_OWNED = ("channels", "company_tags", "contact_tags",
          # a sample rep's targets, own forecasts and training plans go with the rep
          "kpi_targets", "forecast_adjustments", "training_plans")
# customers that stay pass from the sample rep who owned them to whoever removes the data
_HANDED_OVER = (("companies", "owner_id"), ("contacts", "owner_id"))


def _leaving(tables: Sequence[Table]) -> dict[Table, ColumnElement[bool]]:
    """For each table that loses rows, the condition that picks them: the sample deals,
    the rows deleted with them (their stage changes and criterion checks), then the sample
    rows of each of ``tables`` (in order) that no row staying behind refers to."""
    deals = Base.metadata.tables[Deal.__tablename__]
    sample_deals = select(deals.c.id).where(deals.c.is_sample.is_(True)).correlate(None)
    leaving: dict[Table, ColumnElement[bool]] = {deals: deals.c.is_sample.is_(True)}
    for other in Base.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is deals:
                leaving[other] = fk.parent.in_(sample_deals)
    # and the rows that belong to those (a quote's revisions, their options and lines),
    # sorted_tables giving each table after the ones it refers to
    for other in Base.metadata.sorted_tables:
        if other in leaving:
            continue
        for fk in other.foreign_keys:
            owner = fk.column.table
            if owner is not deals and owner in leaving and owner is not other:
                leaving[other] = fk.parent.in_(
                    select(fk.column).where(leaving[owner]).correlate(None))
                break
    for table in tables:
        unused: list[ColumnElement[bool]] = [table.c.is_sample.is_(True)]
        for other in Base.metadata.sorted_tables:
            for fk in other.foreign_keys:
                if (fk.column.table is table and other.name not in _OWNED
                        and (other.name, fk.parent.name) not in _HANDED_OVER):
                    staying = ~leaving.get(other, false())
                    unused.append(~exists(select(1).select_from(other)
                                          .where(fk.parent == fk.column, staying)
                                          .correlate(table)))
        leaving[table] = and_(*unused)
    return leaving


def _selected(session: Session) -> tuple[list[int], list[int], list[int], list[int]]:
    """The ids of the sample deals, contacts, companies and reps that removing takes,
    read with SELECTs only (counting them takes no write lock)."""
    tables = [Base.metadata.tables[model.__tablename__] for model in (Deal, Contact, Company, User)]
    leaving = _leaving(tables[1:])
    deals, contacts, companies, users = (
        list(session.scalars(select(t.c.id).where(leaving[t]))) for t in tables)
    return deals, contacts, companies, users


def _delete(session: Session, model: Any, ids: list[int]) -> None:
    table = model.__table__
    for i in range(0, len(ids), 500):
        session.execute(delete(table).where(table.c.id.in_(ids[i:i + 500])))


def _remove(session: Session, by: Actor) -> tuple[SampleCounts, list[str]]:
    """Takes the sample away; with what it counted, the numbers of its contracts."""
    deals, contacts, companies, users = _selected(session)
    # the activities of the sample's deals go with them (purge_deals): out of the index
    activities = [i for n in range(0, len(deals), 500) for i in session.scalars(
        select(Activity.id).where(Activity.deal_id.in_(deals[n:n + 500])))]
    forget_activities(search.raw_connection(session), activities)
    numbers = purge_deals(session, deals)
    # contacts before companies, companies and deals before the people who own them
    for i in range(0, max(len(contacts), len(companies)), 500):
        for model, column, ids in ((Channel, Channel.contact_id, contacts),
                                   (ContactTag, ContactTag.contact_id, contacts),
                                   (Channel, Channel.company_id, companies),
                                   (CompanyTag, CompanyTag.company_id, companies)):
            if ids[i:i + 500]:
                session.execute(delete(model).where(column.in_(ids[i:i + 500])))
    _delete(session, Contact, contacts)
    _delete(session, Company, companies)
    raw = search.raw_connection(session)
    search.forget_customers(raw, search.CONTACT_KIND, contacts)
    search.forget_customers(raw, search.COMPANY_KIND, companies)
    # the sample's targets, own forecasts and training plans, and anyone's that name the
    # sample's people (who go below)
    for kept in (KpiTarget, ForecastAdjustment, TrainingPlan):
        session.execute(delete(kept).where(kept.is_sample.is_(True)))
        for i in range(0, len(users), 500):
            session.execute(delete(kept).where(kept.user_id.in_(users[i:i + 500])))
    for i in range(0, len(users), 500):
        for owner in (Company.owner_id, Contact.owner_id):
            session.execute(update(owner.class_).where(owner.in_(users[i:i + 500]))
                            .values(owner_id=by.id))
    _delete(session, User, users)
    session.execute(delete(Product).where(Product.is_sample.is_(True), ~exists(
        select(1).where(Deal.product_id == Product.id)), ~exists(
        select(1).where(QuoteLine.product_id == Product.id))))
    return SampleCounts(len(deals), len(companies), len(contacts), len(users)), numbers


class SampleDataService(Service):
    def counts(self) -> SampleCounts:
        """What ``remove`` would take away now: only read, so it never waits for a writer."""
        with self.db.reading() as session:
            deals, contacts, companies, users = _selected(session)
            return SampleCounts(len(deals), len(companies), len(contacts), len(users))

    def remove(self, *, by: Actor) -> SampleCounts:
        """Removes every sample record no real one depends on, in one transaction."""
        require_manager(by, _("Only a manager can remove sample data."))
        with self.db.session() as session:
            counts, numbers = _remove(session, by)
            audit.record(session, by, "remove-samples", "database", None, deals=counts.deals,
                         companies=counts.companies, contacts=counts.contacts,
                         users=counts.users)
        # a sample contract's number is given again to a real one: not its password
        secrets.forget_contract_pdfs(self.db.path, numbers)
        return counts

    def separate_path(self) -> Path:
        """A new file beside the current database for sample data (never an existing one)."""
        folder, stem = self.db.path.parent, self.db.path.stem
        candidate = folder / f"{stem}-sample.db"
        number = 2
        while candidate.exists():
            candidate = folder / f"{stem}-sample-{number}.db"
            number += 1
        return candidate

    def create_separate(self, *, path: Path, deals: int, seed: int, by: Actor) -> DemoSummary:
        """Creates a new database at ``path`` filled with sample data; ``by`` becomes its
        manager (the same login as here)."""
        require_manager(by, _("Only a manager can load sample data."))
        if path.exists():
            raise InvalidInput("path", _("{path} already exists; choose a new file.").format(
                path=path))
        from funneldesk.db import open_database
        from funneldesk.services import Services

        db = open_database(path)
        try:
            services = Services.for_database(db)
            return services.demo.generate(deals=deals, seed=seed,
                                          by=services.users.current(by.login))
        finally:
            db.close()
