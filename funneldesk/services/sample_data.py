"""Sample data kept apart from real data: a separate sample database, or sample records
(marked ``is_sample`` by the generator) that one call removes again.

Removing takes the sample deals with their stage changes and criterion checks, then the
sample contacts, companies and reps that no remaining record refers to: a real deal
kept for a sample company keeps that company. Every foreign key of the schema is
followed, so tables added later are respected without changes here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from funneldesk.errors import InvalidInput
from funneldesk.i18n import _
from funneldesk.models import Base, Company, Contact, Deal, User
from funneldesk.services import audit
from funneldesk.services.base import Service
from funneldesk.services.demo import DemoSummary
from funneldesk.services.dto import Actor, SampleCounts
from funneldesk.services.permissions import require_manager
from funneldesk.services.trash import purge_deals


def _remove_unreferenced(session: Session, model: Any) -> int:
    """Deletes the sample rows of ``model`` that no row of any table refers to."""
    table = model.__table__
    unused = [table.c.is_sample.is_(True)]
    for other in Base.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is table:
                unused.append(~exists().where(fk.parent == fk.column))
    ids = list(session.scalars(select(table.c.id).where(*unused)))
    for i in range(0, len(ids), 500):
        session.execute(delete(table).where(table.c.id.in_(ids[i:i + 500])))
    return len(ids)


def _remove(session: Session) -> SampleCounts:
    deal_ids = list(session.scalars(select(Deal.id).where(Deal.is_sample.is_(True))))
    purge_deals(session, deal_ids)
    # contacts before companies, companies and deals before the people who own them
    contacts = _remove_unreferenced(session, Contact)
    companies = _remove_unreferenced(session, Company)
    users = _remove_unreferenced(session, User)
    return SampleCounts(len(deal_ids), companies, contacts, users)


class SampleDataService(Service):
    def counts(self) -> SampleCounts:
        """What ``remove`` would take away now (worked out by removing, then rolling back)."""
        with self.db.session() as session:
            counts = _remove(session)
            session.rollback()
            return counts

    def remove(self, *, by: Actor) -> SampleCounts:
        """Removes every sample record no real one depends on, in one transaction."""
        require_manager(by, _("Only a manager can remove sample data."))
        with self.db.session() as session:
            counts = _remove(session)
            audit.record(session, by, "remove-samples", "database", None, deals=counts.deals,
                         companies=counts.companies, contacts=counts.contacts,
                         users=counts.users)
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
