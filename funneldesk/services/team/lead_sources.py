"""The team's list of lead sources: seeded with the usual channels (shown in the user's
language), grown by managers with the team's own (shown as they were named)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from funneldesk.errors import InvalidInput, NotFound
from funneldesk.i18n import N_, _
from funneldesk.models import LeadSource
from funneldesk.services.common import audit
from funneldesk.services.common.base import Service
from funneldesk.services.common.permissions import require_manager
from funneldesk.services.common.records import Actor

# the seeded sources by code; migration 0007 seeds the same codes
SEEDED = {
    "wechat": N_("WeChat"), "wecom": N_("WeCom"), "weibo": N_("Weibo"),
    "douyin": N_("Douyin"), "website": N_("Website"), "trade_show": N_("Trade show"),
    "seminar": N_("Seminar"), "partner_referral": N_("Partner referral"),
    "purchased_list": N_("Purchased list"), "cold_call": N_("Cold call"), "other": N_("Other"),
}


@dataclass(frozen=True, slots=True)
class LeadSourceInfo:
    id: int
    code: str | None
    label: str  # in the user's language for a seeded source
    active: bool


def shown(code: str | None, label: str) -> str:
    return _(SEEDED[code]) if code in SEEDED else label


class LeadSourceService(Service):
    def all(self, *, inactive: bool = False) -> list[LeadSourceInfo]:
        rows = self.db.query("SELECT id, code, label, active FROM lead_sources "
                             "ORDER BY position, id")
        return [LeadSourceInfo(int(r[0]), r[1], shown(r[1], str(r[2])), bool(r[3]))
                for r in rows if inactive or r[3]]

    def find(self, text: str) -> int | None:
        """The source called ``text`` in either language, or by its code, any case."""
        return lookup_table(self.all(inactive=True)).get(text.strip().casefold())

    def add(self, *, label: str, by: Actor) -> LeadSourceInfo:
        require_manager(by, _("Only a manager can change the list of lead sources."))
        name = label.strip()
        if not name:
            raise InvalidInput("label", _("Enter the lead source's name."))
        if self.find(name) is not None:
            raise InvalidInput("label", _("“{name}” is already a lead source.").format(
                name=name))
        with self.db.session() as session:
            last = len(self.all(inactive=True))
            source = LeadSource(label=name, position=last, active=True)
            session.add(source)
            session.flush()
            audit.record(session, by, "create", "lead_source", source.id, label=name)
            return LeadSourceInfo(source.id, None, name, True)

    def usage(self) -> dict[int, int]:
        """How many companies, contacts and deals (not deleted nor merged away) name each
        source."""
        counts: dict[int, int] = {}
        live = {"companies": "merged_into_id IS NULL", "contacts": "merged_into_id IS NULL",
                "deals": "1 = 1"}
        for table, alive in live.items():
            for ident, n in self.db.query(
                    f"SELECT lead_source_id, count(*) FROM {table} WHERE deleted_at IS NULL "
                    f"AND {alive} AND lead_source_id IS NOT NULL GROUP BY lead_source_id"):
                counts[int(ident)] = counts.get(int(ident), 0) + int(n)
        return counts

    def rename(self, *, source_id: int, label: str, by: Actor) -> None:
        """Renames one of the team's own sources (a seeded one is shown in each user's
        language, so it keeps its name); the records that name it follow."""
        require_manager(by, _("Only a manager can change the list of lead sources."))
        name = label.strip()
        if not name:
            raise InvalidInput("label", _("Enter the lead source's name."))
        held = self.find(name)
        if held is not None and held != source_id:
            raise InvalidInput("label", _("“{name}” is already a lead source.").format(
                name=name))
        with self.db.session() as session:
            source = session.get(LeadSource, source_id)
            if source is None:
                raise NotFound("lead_source", source_id)
            if source.code is not None:
                raise InvalidInput("label", _(
                    "A built-in source keeps its name: each user sees it in their own "
                    "language. Retire it and add one of your own instead."))
            if source.label != name:
                audit.record(session, by, "update", "lead_source", source_id,
                             label=[source.label, name])
                source.label = name

    def move(self, *, source_id: int, by: Actor, down: bool) -> None:
        """Moves a source one place up or down the pick lists."""
        require_manager(by, _("Only a manager can change the list of lead sources."))
        with self.db.session() as session:
            order = list(session.scalars(select(LeadSource).order_by(LeadSource.position,
                                                                      LeadSource.id)))
            at = next((i for i, s in enumerate(order) if s.id == source_id), None)
            if at is None:
                raise NotFound("lead_source", source_id)
            to = at + 1 if down else at - 1
            if not 0 <= to < len(order):
                return
            order[at], order[to] = order[to], order[at]
            for position, source in enumerate(order):
                source.position = position
            audit.record(session, by, "move", "lead_source", source_id, position=to)

    def set_active(self, *, source_id: int, active: bool, by: Actor) -> None:
        """Retires a source from the pick lists (records keep it) or brings it back."""
        require_manager(by, _("Only a manager can change the list of lead sources."))
        with self.db.session() as session:
            source = session.get(LeadSource, source_id)
            if source is None:
                raise NotFound("lead_source", source_id)
            source.active = active
            audit.record(session, by, "activate" if active else "retire", "lead_source",
                         source_id)


def lookup_table(sources: list[LeadSourceInfo]) -> dict[str, int]:
    """Names a file may give a source by (its code, its label, and a seeded one's label
    in English and in Chinese), folded, to the source's id."""
    from funneldesk.i18n import translated

    table: dict[str, int] = {}
    for source in sources:
        names = [source.label, source.code or ""]
        if source.code in SEEDED:
            names += [SEEDED[source.code], translated(SEEDED[source.code], "zh_CN")]
        for name in names:
            if name:
                table.setdefault(name.casefold(), source.id)
    return table
