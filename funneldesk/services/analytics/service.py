"""The Analytics area's service: the KPIs of a request, read in one consistent snapshot."""

from __future__ import annotations

import atexit
import datetime as dt
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from funneldesk.i18n import _
from funneldesk.services.analytics import core as computing
from funneldesk.services.analytics.records import (
    Bottleneck,
    CoreKpis,
    Insights,
    KpiReport,
    KpiRequest,
    PaneFigures,
)
from funneldesk.services.common.base import Service
from funneldesk.services.common.records import CurrencyRates
from funneldesk.services.pipeline import visits
from funneldesk.services.team import reads as team_reads

# The KPIs' queries are independent, and SQLite lets go of the GIL while it works: on
# their own connections (Database.query has one per thread) they run on every core.
_POOL = ThreadPoolExecutor(max_workers=3, thread_name_prefix="funneldesk-kpi")
atexit.register(_POOL.shutdown)


class AnalyticsService(Service):
    def core(self, request: KpiRequest) -> CoreKpis:
        """The core KPIs (docs/ARCHITECTURE.md, KPI definitions)."""
        self.prepare()
        with self.db.snapshot():
            zone = team_reads.time_zone(self.db.query)
            scope = computing.scope_of(self.db.query, request, zone)
            rates = team_reads.currency_rates(self.db.query)
        return computing.compute(self.db.query, scope, rates, self._gather)

    def _gather(self, tasks: Sequence[Callable[[], Any]]) -> list[Any]:
        """Runs each task in a read transaction of its own, on the pool's threads."""

        def read(task: Callable[[], Any]) -> Any:
            with self.db.snapshot():
                return task()

        return [future.result() for future in [_POOL.submit(read, t) for t in tasks]]

    def report(self, request: KpiRequest, *, now: dt.datetime | None = None) -> KpiReport:
        """The core KPIs and everything built on them: the bottleneck with its causes and
        suggestions, anomalies, correlations and training needs."""
        from funneldesk.services.analytics import anomalies, coaching, correlations, doctor

        moment = now or dt.datetime.now(dt.UTC)
        self._seed_rules()
        scope, rates, today = self._start(request, moment)
        query, zone = self.db.query, scope.zone
        before = doctor.period_before(scope)
        figures = computing.compute(query, scope, rates, self._gather)
        history = None
        if before is not None:
            past = computing.scope_of(query, replace(request, date_from=before[0],
                                                date_to=before[1]), zone)
            history = computing.compute(query, past, rates, self._gather)
        found, needs, links, odd = self._gather([
            lambda: self._bottleneck(scope, figures, history, moment),
            lambda: coaching.training_needs(query, scope),
            lambda: correlations.find(query, scope),
            lambda: anomalies.find(query, scope, today)])
        return KpiReport(figures, found, odd, links, needs)

    def _start(self, request: KpiRequest, now: dt.datetime
               ) -> tuple[computing.Scope, CurrencyRates, dt.date]:
        """The derived tables ready; the request's scope, the rates and today's date in
        the team's zone, read together."""
        self.prepare()
        query = self.db.query
        with self.db.snapshot():
            zone = team_reads.time_zone(query)
            scope = computing.scope_of(query, request, zone)
            rates = team_reads.currency_rates(query)
        return scope, rates, now.astimezone(ZoneInfo(zone)).date()

    def pane(self, request: KpiRequest, *, now: dt.datetime | None = None) -> PaneFigures:
        """The KPI pane's figures: quick enough to read again after every move."""
        from funneldesk.services.analytics import doctor, series

        scope, rates, today = self._start(request, now or dt.datetime.now(dt.UTC))
        query = self.db.query
        figures, months = self._gather([
            lambda: computing.compute(query, scope, rates),
            lambda: series.forecast(query, scope, rates, today)])
        found = doctor.candidates(figures, None, {})
        return PaneFigures(figures, months, doctor.reason_label(found[0]) if found else None)

    def insights(self, request: KpiRequest, *, grain: str = "month",
                 now: dt.datetime | None = None) -> Insights:
        """Everything the Insights page shows: the report, the forecast and the trends."""
        from funneldesk.services.analytics import series

        moment = now or dt.datetime.now(dt.UTC)
        report = self.report(request, now=moment)
        scope, rates, today = self._start(request, moment)
        query = self.db.query
        months, points = self._gather([
            lambda: series.forecast(query, scope, rates, today),
            lambda: series.trends(query, scope, rates, today, grain)])
        return Insights(report, months, points, grain)

    def _bottleneck(self, scope: computing.Scope, figures: CoreKpis, history: CoreKpis | None,
                    now: dt.datetime) -> Bottleneck | None:
        from funneldesk.services.analytics import doctor, rules

        found = doctor.candidates(figures, history, {})
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
