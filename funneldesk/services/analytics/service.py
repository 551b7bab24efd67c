"""The Analytics area's service: the KPIs of a request and what is built on them, each
read in one consistent snapshot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from funneldesk.enums import Role
from funneldesk.i18n import _
from funneldesk.services.analytics import core as computing
from funneldesk.services.analytics import targets
from funneldesk.services.analytics.doctor import Targets as StageTargets
from funneldesk.services.analytics.records import (
    Bottleneck,
    CoreKpis,
    Insights,
    KpiReport,
    KpiRequest,
    PaneFigures,
    PlanEffect,
    Standing,
)
from funneldesk.services.common.base import Service
from funneldesk.services.common.records import Actor, ChangeSet, CurrencyRates
from funneldesk.services.pipeline import visits
from funneldesk.services.team import reads as team_reads


class AnalyticsService(Service):
    def today(self) -> dt.date:
        """Today in the team's time zone: the day "this month" and the like count from."""
        return dt.datetime.now(ZoneInfo(team_reads.time_zone(self.db.query))).date()

    def core(self, request: KpiRequest) -> CoreKpis:
        """The core KPIs (docs/ARCHITECTURE.md, KPI definitions)."""
        self.prepare()
        with self.db.snapshot():
            zone = team_reads.time_zone(self.db.query)
            scope = computing.scope_of(self.db.query, request, zone)
            rates = team_reads.currency_rates(self.db.query)
        return computing.compute(self.db.query, scope, rates, self._gather)

    def _gather(self, tasks: Sequence[Callable[[], Any]]) -> list[Any]:
        """Runs the independent queries one after the other in one read transaction, so
        that every figure comes from the same state of the file (a move committed between
        two of them would make the open deals and the stages disagree)."""
        with self.db.snapshot():
            return [task() for task in tasks]

    @staticmethod
    def visible(request: KpiRequest, viewer: Actor | None) -> KpiRequest:
        """What ``viewer`` may see of ``request``: a manager everyone's figures, a rep only
        their own (their colleagues' deals, confidential contracts and coaching are not
        theirs to read)."""
        if viewer is None or viewer.role is Role.MANAGER:
            return request
        return replace(request, owner_ids=(viewer.id,))

    def report(self, request: KpiRequest, *, now: dt.datetime | None = None,
               viewer: Actor | None = None) -> KpiReport:
        """The core KPIs and everything built on them: the bottleneck with its causes and
        suggestions, anomalies, correlations and training needs, all from one state of
        the file."""
        from funneldesk.services.analytics import anomalies, coaching, correlations, doctor

        request = self.visible(request, viewer)
        moment = now or dt.datetime.now(dt.UTC)
        self._seed_rules()
        scope, rates, today = self._start(request, moment)
        query = self.db.query
        with self.db.snapshot():
            figures = computing.compute(query, scope, rates, self._gather)
            history = self._history(scope, rates)
            standing = self._standings(scope, figures, today)
            goals = targets.targets_for([s.stage_id for s in figures.stages], standing)
            found = self._bottleneck(scope, figures, history, moment, goals)
            reps, needs = coaching.compared(query, scope)
            links = correlations.find(query, scope)
            odd = anomalies.find(query, scope, today)
            industries, regions = computing.by_customer(query, scope, rates)
        return KpiReport(figures, found, odd, links, needs, standing, doctor.judged(figures),
                         reps, industries, regions)

    def _history(self, scope: computing.Scope, rates: CurrencyRates) -> CoreKpis | None:
        """The team's own history for the doctor: the year before the period."""
        from funneldesk.services.analytics import doctor

        before = doctor.period_before(scope)
        if before is None:
            return None
        past = computing.scope_of(self.db.query, replace(
            scope.request, date_from=before[0], date_to=before[1]), scope.zone)
        return computing.compute(self.db.query, past, rates, self._gather)

    def _start(self, request: KpiRequest, now: dt.datetime
               ) -> tuple[computing.Scope, CurrencyRates, dt.date]:
        """The derived tables ready; the request's scope, the rates and today's date in
        the team's zone, read together."""
        self.prepare()
        query = self.db.query
        with self.db.snapshot():
            zone = team_reads.time_zone(query)
            scope = computing.scope_of(query, request, zone, now)
            rates = team_reads.currency_rates(query)
        return scope, rates, now.astimezone(ZoneInfo(zone)).date()

    def pane(self, request: KpiRequest, *, now: dt.datetime | None = None,
             viewer: Actor | None = None) -> PaneFigures:
        """The KPI pane's figures: quick enough to read again after every move. Its
        headline is the doctor's, measured as on the Insights page."""
        from funneldesk.services.analytics import doctor, series

        request = self.visible(request, viewer)
        scope, rates, today = self._start(request, now or dt.datetime.now(dt.UTC))
        query = self.db.query
        with self.db.snapshot():
            figures = computing.compute(query, scope, rates)
            months = series.forecast(query, scope, rates, today)
            history = self._history(scope, rates)
            standing = self._standings(scope, figures, today)
        found = doctor.candidates(
            figures, history,
            targets.targets_for([s.stage_id for s in figures.stages], standing))
        headline = doctor.reason_label(found[0]) if found else None
        return PaneFigures(figures, months, headline, standing, doctor.judged(figures))

    def insights(self, request: KpiRequest, *, grain: str = "month",
                 now: dt.datetime | None = None, viewer: Actor | None = None) -> Insights:
        """Everything the Insights page shows: the report, the forecast, the trends, money
        in and the training plans, from one state of the file."""
        from funneldesk.services.analytics import series
        from funneldesk.services.analytics.money_in import money_in

        request = self.visible(request, viewer)
        moment = now or dt.datetime.now(dt.UTC)
        scope, rates, today = self._start(request, moment)
        query = self.db.query
        with self.db.snapshot():
            report = self.report(request, now=moment)
            months = series.forecast(query, scope, rates, today)
            points = series.trends(query, scope, rates, today, grain)
            money = money_in(query, scope, rates, today)
        plans = self.training_plans(today=today, viewer=viewer)
        return Insights(report, months, points, grain, tuple(plans), money)

    def _standings(self, scope: computing.Scope, figures: CoreKpis, today: dt.date
                   ) -> tuple[Standing, ...]:
        """The KPIs against their targets: one rep's when the request is for one, else
        the team's."""
        request = scope.request
        if request.date_from is None or request.date_to is None \
                or targets.kind_of(request.date_from, request.date_to) is None:
            return ()
        owners = request.owner_ids
        done = targets.activities_done(self.db.query, request.date_from, request.date_to,
                                       scope.zone, owners)
        owner = owners[0] if owners is not None and len(owners) == 1 else None
        return targets.standings(self.db.query, figures, owner, today, done)

    def _bottleneck(self, scope: computing.Scope, figures: CoreKpis, history: CoreKpis | None,
                    now: dt.datetime, goals: StageTargets) -> Bottleneck | None:
        from funneldesk.services.analytics import doctor, rules

        found = doctor.candidates(figures, history, goals)
        if not found:
            return None
        worst = found[0]
        shares = doctor.lost_shares(self.db.query, scope, worst.stage.stage_id)
        with self.db.reading() as session:
            advice = rules.matching(rules.read(session), worst.stage.stage_id, worst.reason,
                                    shares)
        return doctor.diagnose(self.db.query, scope, worst, now, advice)

    def _seed_rules(self) -> None:
        from funneldesk.services.analytics import rules

        if self.db.query("SELECT 1 FROM team_settings WHERE key = ?", (rules.SEEDED,)):
            return
        with self.db.session() as session:
            rules.seed(session)

    def report_pdf(self, request: KpiRequest, *, grain: str = "month",
                   owner_name: str | None = None, now: dt.datetime | None = None,
                   viewer: Actor | None = None) -> bytes:
        """The KPI report: charts, tables, targets and the doctor's findings, as a PDF."""
        from funneldesk.reports.kpi_pdf import render
        from funneldesk.services.analytics.document import document

        moment = now or dt.datetime.now(dt.UTC)
        if viewer is not None and viewer.role is not Role.MANAGER:
            owner_name = viewer.display_name
        return render(document(self.insights(request, grain=grain, now=moment, viewer=viewer),
                               owner_name, moment))

    def write_report(self, request: KpiRequest, path: Path, *, grain: str = "month",
                     owner_name: str | None = None, viewer: Actor | None = None) -> Path:
        """The KPI report written to ``path`` (one write, once it is whole)."""
        from funneldesk.errors import InvalidInput

        data = self.report_pdf(request, grain=grain, owner_name=owner_name, viewer=viewer)
        try:
            path.write_bytes(data)
        except OSError as error:
            raise InvalidInput("output", _("Cannot write {path}: {reason}").format(
                path=path, reason=error.strerror or error)) from error
        return path

    # --- what managers keep ------------------------------------------------------------

    def targets_between(self, first: dt.date, last: dt.date) -> list[targets.Target]:
        """The targets of the periods that start between the two days."""
        return targets.read(self.db.query, first, last)

    def save_target(self, fields: targets.TargetFields, *, by: Actor,
                    expected_version: int | None = None) -> ChangeSet:
        with self.db.session() as session:
            targets.save(session, fields, by, expected_version)
        return ChangeSet(everything=True)

    def remove_target(self, target_id: int, *, by: Actor) -> ChangeSet:
        with self.db.session() as session:
            targets.remove(session, target_id, by)
        return ChangeSet(everything=True)

    def amber_percent(self) -> int:
        return targets.amber(self.db.query)

    def set_amber_percent(self, percent: int, *, by: Actor) -> ChangeSet:
        """How close to its target a KPI shows amber rather than red (a manager's call)."""
        from funneldesk.errors import InvalidInput
        from funneldesk.models import TeamSetting
        from funneldesk.services.common import audit
        from funneldesk.services.common.permissions import require_manager

        require_manager(by, _("Only a manager can set targets."))
        if not 1 <= percent <= 99:
            raise InvalidInput("amber", _("Enter a share from 1 to 99%."))
        with self.db.session() as session:
            before = self.amber_percent()
            session.merge(TeamSetting(key=targets.AMBER_SETTING, value=str(percent)))
            audit.record(session, by, "set-target-amber", "team_setting", None,
                         amber=[before, percent])
        return ChangeSet(everything=True)

    def adjust_forecast(self, *, pipeline_id: int, month: dt.date, user_id: int | None,
                        amount: Decimal | None, note: str, by: Actor,
                        expected_version: int | None = None) -> ChangeSet:
        """A manager's own forecast for a month (None: none), beside the computed one."""
        from funneldesk.services.analytics import adjustments

        with self.db.session() as session:
            adjustments.save(session, pipeline_id, month, user_id, amount, note, by,
                             expected_version)
        return ChangeSet(everything=True)

    def training_plans(self, *, today: dt.date | None = None,
                       viewer: Actor | None = None) -> list[PlanEffect]:
        """Every training plan, newest first, with the rep's figure at its stage in the
        90 days before and after it."""
        from funneldesk.services.analytics import training

        day = today or self.today()
        with self.db.reading() as session:
            plans = training.read(session)
        if viewer is not None and viewer.role is not Role.MANAGER:  # a rep's own only
            plans = [p for p in plans if p.fields.user_id == viewer.id]
        found = []
        for plan in plans:
            f = plan.fields
            before, after = training.windows(f, day)
            figure_before = self._figure_of(f, before)
            figure_after = self._figure_of(f, after) if after is not None else (None, 0)
            found.append(PlanEffect(plan.id, plan.version, f.user_id, plan.rep, f.stage_id,
                                    plan.stage, f.kpi, f.topic, f.planned_on, f.done_on,
                                    f.outcome, *figure_before, *figure_after))
        return found

    def _figure_of(self, plan: Any, days: tuple[dt.date, dt.date]) -> tuple[float | None, int]:
        """The rep's conversion or median days at the plan's stage over ``days``, with
        its sample. Conversion counts the deals that have left the stage, as the doctor
        and coaching do: in the weeks after a plan most deals are still in it, and would
        make any training look harmful."""
        if not plan.kpi or plan.stage_id is None:
            return None, 0
        pipeline = self.db.query("SELECT pipeline_id FROM stages WHERE id = ?",
                                 (plan.stage_id,))
        if not pipeline:
            return None, 0
        figures = self.core(KpiRequest(int(pipeline[0][0]), days[0], days[1], (plan.user_id,)))
        stage = next((s for s in figures.stages if s.stage_id == plan.stage_id), None)
        if stage is None:
            return None, 0
        if plan.kpi == "conversion":
            return stage.decided_conversion, stage.reached - stage.waiting
        return stage.days.median, stage.days.n

    def save_training_plan(self, fields: Any, *, by: Actor, plan_id: int | None = None,
                           expected_version: int | None = None) -> ChangeSet:
        from funneldesk.services.analytics import training

        today = self.today()
        with self.db.session() as session:
            training.save(session, fields, by, plan_id, expected_version, today)
        return ChangeSet(everything=True)

    def remove_training_plan(self, plan_id: int, *, by: Actor) -> ChangeSet:
        from funneldesk.services.analytics import training

        with self.db.session() as session:
            training.remove(session, plan_id, by)
        return ChangeSet(everything=True)

    def rules(self) -> list[Any]:
        from funneldesk.services.analytics import rules

        self._seed_rules()
        with self.db.reading() as session:
            return list(rules.read(session))

    def save_rule(self, fields: Any, *, by: Actor, rule_id: int | None = None,
                  expected_version: int | None = None) -> int:
        from funneldesk.services.analytics import rules

        with self.db.session() as session:
            return rules.save(session, fields, by, rule_id, expected_version)

    def remove_rule(self, rule_id: int, *, by: Actor) -> None:
        from funneldesk.services.analytics import rules

        with self.db.session() as session:
            rules.remove(session, rule_id, by)

    def request_for(self, *, date_from: dt.date | None = None, date_to: dt.date | None = None,
                    pipeline: str | None = None, owner: str | None = None) -> KpiRequest:
        """A request from what a person types: a pipeline's name, an owner's display name
        or login (each matched whatever the case)."""
        from funneldesk.errors import InvalidInput
        from funneldesk.services.pipeline.reads import read_pipelines

        if date_from is not None and date_to is not None and date_from > date_to:
            raise InvalidInput("date_to", _("The period ends before it starts."))
        pipeline_id = None
        if pipeline is not None:
            pipelines = read_pipelines(self.db.query)
            found = [i for i, name in pipelines if name.casefold() == pipeline.strip().casefold()]
            if not found:
                raise InvalidInput("pipeline", _("There is no pipeline named “{name}” (there "
                                                 "are: {names}).").format(
                    name=pipeline, names=", ".join(n for _i, n in pipelines)))
            pipeline_id = found[0]
        owner_ids = None
        if owner is not None:
            wanted = owner.strip().casefold()
            owner_ids = tuple(int(i) for i, name, login in self.db.query(
                "SELECT id, display_name, login FROM users ORDER BY id")
                if wanted in (str(name).casefold(), str(login).casefold()))
            if not owner_ids:
                raise InvalidInput("owner", _("No one is named “{name}”: give an owner's name "
                                              "as shown, or their login.").format(name=owner))
        return KpiRequest(pipeline_id, date_from, date_to, owner_ids)

    def prepare(self) -> bool:
        """Builds the derived visits when they are missing or were counted in another
        time zone than the team's (True: they were built now). At 100,000 deals this
        takes seconds: the first KPI read after an upgrade, or after the zone changed."""
        zone = team_reads.time_zone(self.db.query)
        if self.db.query("SELECT value FROM team_settings WHERE key = ?",
                         (visits.VISITS_ZONE,)) == [(zone,)]:
            return False
        from funneldesk.services.pipeline.search import raw_connection

        with self.db.session(large=True) as session:
            conn = raw_connection(session)
            if visits.built_zone(conn) != zone:  # another instance may have built them
                visits.rebuild(conn, zone)
        return True
