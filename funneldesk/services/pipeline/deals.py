"""Creating, editing and archiving deals; ticking their criteria (deleting: trash.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import asdict, replace

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from funneldesk import formatting
from funneldesk.db import Database
from funneldesk.errors import InvalidInput
from funneldesk.i18n import _
from funneldesk.models import (
    Company,
    Contact,
    CriterionKind,
    Deal,
    LeadSource,
    LostReason,
    Product,
    Stage,
    StageChange,
    StageKind,
    User,
)
from funneldesk.models.base import utcnow
from funneldesk.services.common import audit
from funneldesk.services.common.base import Service
from funneldesk.services.common.lookups import get_or_raise
from funneldesk.services.common.money import check_amount
from funneldesk.services.common.permissions import may_change_deal, require_deal_owner
from funneldesk.services.common.records import Actor, ChangeSet
from funneldesk.services.customers.pool import touch
from funneldesk.services.pipeline import visits
from funneldesk.services.pipeline.criteria import record_ticks, ticks
from funneldesk.services.pipeline.lookups import load_pipeline, read_card
from funneldesk.services.pipeline.moves import GAP, check_version
from funneldesk.services.pipeline.records import (
    FORECAST_CATEGORIES,
    ChecklistItem,
    CriterionInfo,
    DealDetail,
    DealFields,
    DealResult,
    HistoryEntry,
    OffBoardResult,
    PipelineInfo,
)
from funneldesk.services.pipeline.search import index_deals, raw_connection, set_archived


def validate(fields: DealFields) -> DealFields:
    if not fields.title.strip():
        raise InvalidInput("title", _("Give the deal a title."))
    value = check_amount(fields.value)
    if len(fields.currency) != 3 or not fields.currency.isalpha():
        raise InvalidInput("currency", _("Choose a currency."))
    if fields.forecast_category not in FORECAST_CATEGORIES:
        raise InvalidInput("forecast_category", _("Choose pipeline, best case or commit."))
    return DealFields(**{**asdict(fields), "title": fields.title.strip(), "value": value,
                         "currency": fields.currency.upper()})


def _check_links(session: Session, fields: DealFields) -> None:
    if fields.company_id is not None:
        get_or_raise(session, Company, fields.company_id, "company")
    if fields.contact_id is not None:
        contact = get_or_raise(session, Contact, fields.contact_id, "contact")
        if fields.company_id is not None and contact.company_id not in (None, fields.company_id):
            raise InvalidInput("contact", _("This contact works for another company."))
    if session.get(User, fields.owner_id) is None:
        raise InvalidInput("owner", _("Choose an owner."))
    if fields.lead_source_id is not None:
        get_or_raise(session, LeadSource, fields.lead_source_id, "lead_source")
    if fields.product_id is not None:
        get_or_raise(session, Product, fields.product_id, "product")


def _fields_of(deal: Deal) -> DealFields:
    return DealFields(deal.title, deal.company_id, deal.contact_id, deal.value, deal.currency,
                      deal.expected_close, deal.owner_id, deal.next_step, deal.next_step_date,
                      deal.notes, deal.lead_source_id, deal.campaign, deal.product_id,
                      deal.forecast_category)


def _check_owner(by: Actor, fields: DealFields) -> None:
    if not may_change_deal(by, fields.owner_id):
        raise InvalidInput("owner", _("Only a manager can give a deal to someone else."))


# keeps a deal's next step as its planned activity, in the deal's transaction (the
# Activities area's next_steps.sync, handed over by the composition root)
NextSteps = Callable[[Session, Deal, Actor], None]


class DealService(Service):
    def __init__(self, db: Database, *, next_steps: NextSteps | None = None) -> None:
        super().__init__(db)
        self._next_steps = next_steps

    def create(self, *, pipeline_id: int, stage_id: int, fields: DealFields,
               by: Actor) -> DealResult:
        fields = validate(fields)
        _check_owner(by, fields)
        with self.db.session() as session:
            _check_links(session, fields)
            stage = get_or_raise(session, Stage, stage_id, "stage")
            if stage.pipeline_id != pipeline_id:
                raise InvalidInput("stage", _("That stage is not part of this pipeline."))
            if stage.kind is not StageKind.OPEN:
                raise InvalidInput("stage", _("A new deal cannot start as won or lost. Create "
                                              "it in an open stage, then move it."))
            now = utcnow()
            first = session.scalar(select(Deal.position).where(Deal.stage_id == stage_id)
                                   .order_by(Deal.position).limit(1))
            deal = Deal(pipeline_id=pipeline_id, stage_id=stage_id, stage_entered_at=now,
                        position=(GAP if first is None else first) - GAP, created_at=now, created_by_id=by.id,
                        updated_at=now, updated_by_id=by.id,
                        **asdict(fields))
            session.add(deal)
            session.flush()
            session.add(StageChange(deal_id=deal.id, from_stage_id=None, to_stage_id=stage_id,
                                    at=now, by_id=by.id))
            session.flush()
            visits.refresh(raw_connection(session), [deal.id])
            audit.record(session, by, "create", "deal", deal.id, title=fields.title)
            touch(session, fields.company_id, fields.contact_id, now)
            if self._next_steps is not None and (fields.next_step or fields.next_step_date):
                self._next_steps(session, deal, by)
            index_deals(raw_connection(session), [deal.id])
            card = read_card(session, deal.id)
        return DealResult(card, ChangeSet.of_deal(deal.id, stage_id))

    def update(self, *, deal_id: int, expected_version: int, fields: DealFields,
               by: Actor, ticks: Mapping[int, bool] | None = None,
               seen_next_step: tuple[str, dt.date | None] | None = None) -> DealResult:
        """Saves the form: its fields and the criteria ticked or unticked in it (criterion
        id -> checked), in one transaction and one version step. ``seen_next_step``: the
        next step (text, day) the form showed when it opened. Planning an activity is no
        edit of the deal (its version stays), so a form opened before someone planned one
        is not stale: a next step it leaves as it showed it keeps the activities' own, and
        one it changes after they changed is refused."""
        fields = validate(fields)
        with self.db.session() as session:
            deal = get_or_raise(session, Deal, deal_id, "deal")
            check_version(session, deal, expected_version)
            require_deal_owner(by, deal.owner_id,
                               _("Only the deal's owner or a manager can change this deal."))
            fields = _with_next_step(deal, fields, seen_next_step)
            _check_owner(by, fields)
            _check_links(session, fields)
            previous = _fields_of(deal)
            previous_ticks = record_ticks(session, load_pipeline(session, deal.pipeline_id),
                                          deal, ticks or {}, by)
            for name, value in asdict(fields).items():
                setattr(deal, name, value)
            deal.updated_at, deal.updated_by_id = utcnow(), by.id
            session.flush()
            changed = {k: (v, getattr(fields, k)) for k, v in asdict(previous).items()
                       if getattr(fields, k) != v}
            if changed:
                audit.record(session, by, "update", "deal", deal.id, changed=changed)
                touch(session, fields.company_id, fields.contact_id, deal.updated_at)
            if self._next_steps is not None and changed.keys() & {"next_step",
                                                                  "next_step_date"}:
                self._next_steps(session, deal, by)
            if changed.keys() & {"title", "company_id", "contact_id"}:  # what the index holds
                index_deals(raw_connection(session), [deal.id])
            card = read_card(session, deal.id)
        return DealResult(card, ChangeSet.of_deal(deal_id, card.stage_id),
                          previous=previous, previous_ticks=previous_ticks)

    def set_criterion(self, *, deal_id: int, criterion_id: int, checked: bool,
                      expected_version: int, by: Actor) -> int:
        """Ticks or unticks one criterion; a tick is a change of the deal, so it needs the
        version the caller saw and returns the deal's new version."""
        with self.db.session() as session:
            deal = get_or_raise(session, Deal, deal_id, "deal")
            require_deal_owner(by, deal.owner_id,
                               _("Only the deal's owner or a manager can change this deal."))
            check_version(session, deal, expected_version)
            pipeline = load_pipeline(session, deal.pipeline_id)
            if record_ticks(session, pipeline, deal, {criterion_id: checked}, by):
                deal.updated_at, deal.updated_by_id = utcnow(), by.id
                session.flush()
            return deal.version

    def archive(self, *, deal_id: int, archived: bool, expected_version: int,
                by: Actor) -> OffBoardResult:
        """Takes the deal off the board into the archive, or puts it back, if it is still
        the version the caller saw."""
        with self.db.session() as session:
            deal = get_or_raise(session, Deal, deal_id, "deal")
            check_version(session, deal, expected_version)
            require_deal_owner(by, deal.owner_id,
                               _("Only the deal's owner or a manager can archive this deal."))
            now = utcnow()
            deal.archived_at = now if archived else None
            deal.updated_at, deal.updated_by_id = now, by.id
            session.flush()
            set_archived(raw_connection(session), deal_id, archived)
            audit.record(session, by, "archive" if archived else "unarchive", "deal", deal_id)
            card = None if archived else read_card(session, deal_id)
            return OffBoardResult(deal_id, deal.version, card,
                                  ChangeSet.of_deal(deal_id, deal.stage_id))

    def detail(self, deal_id: int) -> DealDetail:
        with self.db.reading() as session:
            deal = get_or_raise(session, Deal, deal_id, "deal")
            pipeline = load_pipeline(session, deal.pipeline_id)
            stages = {s.id: s for s in pipeline.stages}
            current = stages.get(deal.stage_id)
            reason = ""
            lost_reason = (session.get(LostReason, deal.lost_reason_id)
                           if deal.lost_reason_id is not None else None)
            if lost_reason is not None:  # a foreign key: it exists while the deal points at it
                reason = lost_reason.label
            if deal.lost_reason_text:
                reason = f"{reason} — {deal.lost_reason_text}" if reason else deal.lost_reason_text
            return DealDetail(
                deal.id, deal.pipeline_id, deal.stage_id, current.name if current else "?",
                _fields_of(deal), deal.version, deal.closed_on, reason,
                deal.archived_at is not None, self._checklist(session, deal, pipeline),
                self._history(session, deal.id), deal.created_at,
                current.guidance if current else "", deal.won_value)

    @staticmethod
    def _checklist(session: Session, deal: Deal,
                   pipeline: PipelineInfo) -> tuple[ChecklistItem, ...]:
        """The current stage's criteria and the next stage's entry criteria."""
        stages = list(pipeline.stages)
        current = next((s for s in stages if s.id == deal.stage_id), None)
        if current is None or not current.is_open:
            return ()
        relevant: list[tuple[CriterionInfo, str]] = [(c, current.name) for c in current.criteria]
        following = stages[stages.index(current) + 1] if current is not stages[-1] else None
        if following is not None:
            relevant += [(c, following.name) for c in following.criteria if c.kind is CriterionKind.ENTRY]
        state = ticks(session, deal.id)
        items = []
        for criterion, stage_name in relevant:
            checked, who, when = state.get(criterion.id, (False, "", None))
            items.append(ChecklistItem(criterion, stage_name, checked, who if checked else "",
                                       when if checked else None))
        return tuple(items)

    @staticmethod
    def _history(session: Session, deal_id: int) -> tuple[HistoryEntry, ...]:
        src, dst = aliased(Stage), aliased(Stage)
        rows = session.execute(
            select(StageChange.at, src.name, dst.name, User.display_name, StageChange.reverts_id)
            .outerjoin(src, src.id == StageChange.from_stage_id)
            .join(dst, dst.id == StageChange.to_stage_id)
            .join(User, User.id == StageChange.by_id)
            .where(StageChange.deal_id == deal_id).order_by(StageChange.at, StageChange.id))
        return tuple(HistoryEntry(at, a or "", b, who, rev is not None)
                     for at, a, b, who, rev in rows)


def _with_next_step(deal: Deal, fields: DealFields,
                    seen: tuple[str, dt.date | None] | None) -> DealFields:
    """The fields to save, their next step as the deal's activities have it now where the
    form left the one it showed (see ``DealService.update``)."""
    if seen is None:
        return fields
    now = (deal.next_step, deal.next_step_date)
    if (fields.next_step, fields.next_step_date) == seen:
        return replace(fields, next_step=now[0], next_step_date=now[1])
    if now not in (seen, (fields.next_step, fields.next_step_date)):
        step = now[0] or (formatting.date_short(now[1]) if now[1] else _("none"))
        raise InvalidInput("next_step", _(
            "Someone changed this deal's next step meanwhile: it is now “{step}”. Close this "
            "form and open the deal again to change it.").format(step=step))
    return fields

