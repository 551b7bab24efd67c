"""Opportunity assessment: a deal's scorecard (rated by its rep), the value score the
manager's weights make of it, and its win probability learned from the pipeline's won and
lost deals (``winning.py``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from funneldesk.db import Database
from funneldesk.errors import InvalidInput
from funneldesk.i18n import _, language
from funneldesk.models import (
    Deal,
    LeadSource,
    Product,
    Scorecard,
    Stage,
    StageChange,
    StageKind,
    TeamSetting,
    User,
)
from funneldesk.models.base import utcnow
from funneldesk.services.activities.assessment_records import (
    COMPETITORS_LIMIT,
    FACTORS,
    MAX_WEIGHT,
    TOP,
    Assessment,
    AssessmentResult,
    DealRating,
    ScoreFields,
    WinChance,
    factor_name,
    rating_words,
    value_score,
)
from funneldesk.services.activities.deal_parts import part_to_change
from funneldesk.services.activities.winning import WinModel
from funneldesk.services.common import audit
from funneldesk.services.common.base import Service
from funneldesk.services.common.lookups import get_or_raise
from funneldesk.services.common.permissions import require_manager
from funneldesk.services.common.records import Actor, ChangeSet
from funneldesk.services.team import reads as team_reads
from funneldesk.services.team.lead_sources import shown as lead_source_shown

# a pipeline's model, with the labels of its factors and of their values
Learned = tuple[WinModel, dict[str, str], dict[tuple[str, object], str]]

WEIGHTS = "scorecard_weights"
DEFAULT_WEIGHTS = {"intent": 3, "budget": 3, "decision": 2, "timeline": 2, "position": 2}


def check_scores(fields: ScoreFields) -> ScoreFields:
    """The scorecard, trimmed, if it can be saved; raises InvalidInput naming the field."""
    for factor in FACTORS:
        if not 0 <= fields.rating(factor) <= TOP:
            raise InvalidInput(factor, _("Rate it from 1 to 3, or leave it not rated."))
    competitors = fields.competitors.strip()
    if len(competitors) > COMPETITORS_LIMIT:
        raise InvalidInput("competitors", _("Keep it under 500 characters."))
    return ScoreFields.of([fields.rating(f) for f in FACTORS], competitors)


def check_weights(weights: Mapping[str, int]) -> dict[str, int]:
    checked = {}
    for factor in FACTORS:
        weight = weights.get(factor, 0)
        if not 0 <= weight <= MAX_WEIGHT:
            raise InvalidInput(factor, _("Give each weight from 0 to 10."))
        checked[factor] = int(weight)
    if not any(checked.values()):
        raise InvalidInput(FACTORS[0], _("Give at least one factor a weight above 0."))
    return checked


class AssessmentService(Service):
    def __init__(self, db: Database) -> None:
        super().__init__(db)
        # pipeline id -> (what the model was learned from, the model and its labels)
        self._learned: dict[int, tuple[tuple[object, ...], Any]] = {}

    def check(self, deal_id: int, fields: ScoreFields, *, expected_version: int | None,
              by: Actor) -> ScoreFields:
        """Refuses, writing nothing, a scorecard that ``save`` would refuse now (the deal
        form saves the deal first: see ``FollowUpService.check``)."""
        fields = check_scores(fields)
        with self.db.reading() as session:
            _scorecard_row(session, deal_id, expected_version, by)
        return fields

    @staticmethod
    def check_weights(weights: Mapping[str, int]) -> dict[str, int]:
        """Refuses weights that cannot be saved, before anything is."""
        return check_weights(weights)

    def weights(self) -> dict[str, int]:
        return team_weights(self.db.query)

    def set_weights(self, weights: Mapping[str, int], *, by: Actor) -> dict[str, int]:
        require_manager(by, _("Only a manager can change the scorecard's weights."))
        checked = check_weights(weights)
        with self.db.session() as session:
            before = session.get(TeamSetting, WEIGHTS)
            old = _weights(before.value if before is not None else None)
            session.merge(TeamSetting(key=WEIGHTS, value=json.dumps(checked, sort_keys=True)))
            audit.record(session, by, "set-scorecard-weights", "team_setting", None,
                         before=old, after=checked)
        return checked

    def assessment(self, deal_id: int) -> Assessment:
        with self.db.reading() as session:
            deal = get_or_raise(session, Deal, deal_id, "deal")
            return _read(session, deal, self.weights(), self._model)

    def save(self, deal_id: int, fields: ScoreFields, *, expected_version: int | None,
             by: Actor) -> AssessmentResult:
        """Saves the deal's scorecard (``expected_version``: the one shown, None when it
        had none)."""
        fields = check_scores(fields)
        with self.db.session() as session:
            _deal, row = _scorecard_row(session, deal_id, expected_version, by)
            previous = ScoreFields() if row is None else _fields(row)
            if row is None:
                row = Scorecard(deal_id=deal_id)
                session.add(row)
            for factor in FACTORS:
                setattr(row, factor, fields.rating(factor))
            row.competitors, row.updated_at, row.updated_by_id = (fields.competitors, utcnow(),
                                                                  by.id)
            session.flush()
            audit.record(session, by, "rate", "deal", deal_id,
                         before=_audited(previous), after=_audited(fields))
        # read after the commit: learning the probability reads every closed deal of the
        # pipeline, which the write lock must not wait for
        return AssessmentResult(self.assessment(deal_id), previous,
                                ChangeSet(frozenset({deal_id})))

    def ratings(self, pipeline_id: int, deal_ids: Collection[int] | None = None
                ) -> dict[int, DealRating]:
        """Each open deal of the pipeline (or of ``deal_ids``): its value score and win
        probability (what the board shows and sorts by)."""
        weights = self.weights()
        with self.db.reading() as session:
            model, name, word = self._model(session, pipeline_id)
            stages = {i: (position, probability, stage_name) for i, position, probability,
                      stage_name in session.execute(
                          select(Stage.id, Stage.position, Stage.probability, Stage.name)
                          .where(Stage.pipeline_id == pipeline_id))}
            query = _open_deals(pipeline_id)
            if deal_ids is not None:
                query = query.where(Deal.id.in_(list(deal_ids)))
            rows = session.execute(query).all()
        rated = {}
        for deal_id, stage_id, source, product, *ratings in rows:
            fields = ScoreFields.of(ratings)
            chance = model.chance(_values(fields, source, product), *stages[stage_id], name,
                                  word)
            rated[deal_id] = DealRating(value_score(fields, weights), chance.percent,
                                        chance.learned)
        return rated


    def _model(self, session: Session, pipeline_id: int) -> Learned:
        """The pipeline's model, learned again only when what it learns from changed
        since (a board reads its deals' ratings after every change)."""
        closed = and_(Stage.id == Deal.stage_id,
                      Stage.kind.in_((StageKind.WON, StageKind.LOST)))
        # what changes it: a deal closed or reopened, or a closed deal edited or rated
        stamp = (language(), *session.execute(_scored(
            select(func.count(), func.max(Deal.updated_at), func.max(Scorecard.updated_at),
                   func.count(Scorecard.id)).select_from(Deal).join(Stage, closed))
            .where(Deal.pipeline_id == pipeline_id, Deal.deleted_at.is_(None))).one())
        cached = self._learned.get(pipeline_id)
        if cached is None or cached[0] != stamp:
            cached = self._learned[pipeline_id] = (stamp, _learn(session, pipeline_id))
        return cached[1]


def _scorecard_row(session: Session, deal_id: int, expected_version: int | None,
                   by: Actor) -> tuple[Deal, Scorecard | None]:
    return part_to_change(session, Scorecard, deal_id, expected_version, by,
                          _("Only the deal's owner or a manager can rate it."))


def team_weights(query: Any) -> dict[str, int]:
    """The weights the team's value scores are counted with."""
    return _weights(team_reads.setting(query, WEIGHTS))


def _weights(text: str | None) -> dict[str, int]:
    if not text:
        return dict(DEFAULT_WEIGHTS)
    try:
        return check_weights(json.loads(text))
    except (ValueError, TypeError, AttributeError, InvalidInput):
        return dict(DEFAULT_WEIGHTS)  # a value another tool wrote: the defaults


def _fields(row: Scorecard) -> ScoreFields:
    return ScoreFields.of([getattr(row, f) for f in FACTORS], row.competitors)


def _audited(fields: ScoreFields) -> dict[str, Any]:
    return {**{f: fields.rating(f) for f in FACTORS}, "competitors": fields.competitors}


def _values(fields: ScoreFields, source: int | None, product: int | None
            ) -> dict[str, object]:
    """A deal's factor values as the model knows them (None: not known)."""
    values: dict[str, object] = {f: fields.rating(f) or None for f in FACTORS}
    values.update(source=source, product=product)
    return values


def _scored(query: Any) -> Any:
    return query.outerjoin(Scorecard, Scorecard.deal_id == Deal.id)


def _open_deals(pipeline_id: int) -> Any:
    return _scored(select(Deal.id, Deal.stage_id, Deal.lead_source_id, Deal.product_id,
                          *(getattr(Scorecard, f) for f in FACTORS))
                   .join(Stage, Stage.id == Deal.stage_id)
                   .where(Deal.pipeline_id == pipeline_id, Deal.deleted_at.is_(None),
                          Stage.kind == StageKind.OPEN))


def _learn(session: Session, pipeline_id: int) -> Learned:
    """The pipeline's model from its closed deals, and the labels of the factors and
    their values."""
    # counted in SQL, a few rows a factor: Python looping over years of closed deals on
    # a worker would hold the interpreter from the window (SQLite does not)
    closed = and_(Stage.id == Deal.stage_id, Stage.kind.in_((StageKind.WON, StageKind.LOST)))
    mine = (Deal.pipeline_id == pipeline_id, Deal.deleted_at.is_(None))
    won = Stage.kind == StageKind.WON
    totals = dict(session.execute(select(won, func.count()).select_from(Deal).join(Stage, closed)
                                  .where(*mine).group_by(won)).all())
    counts: dict[str, dict[object, list[int]]] = {}
    columns = {**{f: getattr(Scorecard, f) for f in FACTORS},
               "source": Deal.lead_source_id, "product": Deal.product_id}
    for factor, column in columns.items():
        known = column > 0 if factor in FACTORS else column.is_not(None)
        for value, is_won, n in session.execute(_scored(
                select(column, won, func.count()).select_from(Deal).join(Stage, closed))
                .where(*mine, known).group_by(column, won)):
            counts.setdefault(factor, {}).setdefault(value, [0, 0])[0 if is_won else 1] += n
    # how far each lost deal got: the furthest open stage it entered, by moves neither
    # undone nor undoing; one that entered none (imported closed) reached the first
    entered = aliased(Stage)
    undone = select(StageChange.reverts_id).where(StageChange.reverts_id.is_not(None))
    furthest = (select(StageChange.deal_id, func.max(entered.position).label("reach"))
                .join(entered, and_(entered.id == StageChange.to_stage_id,
                                    entered.kind == StageKind.OPEN))
                .join(Deal, Deal.id == StageChange.deal_id).join(Stage, closed)
                .where(*mine, Stage.kind == StageKind.LOST, StageChange.reverts_id.is_(None),
                       StageChange.id.not_in(undone))
                .group_by(StageChange.deal_id).subquery())
    reach: dict[int, int] = dict(session.execute(select(furthest.c.reach, func.count())
                                 .group_by(furthest.c.reach)).all())
    first = session.scalar(select(func.min(Stage.position)).where(
        Stage.pipeline_id == pipeline_id, Stage.kind == StageKind.OPEN)) or 0
    lost = totals.get(False, 0)
    reach[first] = reach.get(first, 0) + lost - sum(reach.values())
    model = WinModel(totals.get(True, 0), lost, counts, reach)
    name = {f: factor_name(f) for f in FACTORS}
    name.update(stage=_("Got as far as"), source=_("Lead source"), product=_("Product"))
    word: dict[tuple[str, object], str] = {
        (f, r): rating_words(f)[r] for f in FACTORS for r in range(1, TOP + 1)}
    word.update({("source", i): lead_source_shown(code, label) for i, code, label in
                 session.execute(select(LeadSource.id, LeadSource.code, LeadSource.label))})
    word.update({("product", i): n for i, n in session.execute(
        select(Product.id, Product.name))})
    return model, name, word


def _read(session: Session, deal: Deal, weights: dict[str, int],
          learned: Callable[[Session, int], Learned]) -> Assessment:
    row = session.scalars(select(Scorecard).where(Scorecard.deal_id == deal.id)).first()
    fields = ScoreFields() if row is None else _fields(row)
    stage = session.get(Stage, deal.stage_id)
    chance = WinChance(stage.probability if stage else 0, False, 0, 0, closed=True)
    if stage is not None and stage.kind is StageKind.OPEN:
        model, name, word = learned(session, deal.pipeline_id)
        chance = model.chance(_values(fields, deal.lead_source_id, deal.product_id),
                              stage.position, stage.probability, stage.name, name, word)
    by = session.get(User, row.updated_by_id) if row is not None else None
    return Assessment(deal.id, fields, row.version if row else None,
                      by.display_name if by else "", row.updated_at if row else None,
                      value_score(fields, weights), chance)

