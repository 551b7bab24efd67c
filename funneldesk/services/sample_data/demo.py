"""Realistic, deterministic sample data: companies, contacts and deals with up to a
year of stage history. Bulk inserts, so that 10,000 deals take seconds."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from funneldesk.errors import InvalidInput
from funneldesk.i18n import _, language, ngettext
from funneldesk.models import (
    Company,
    Contact,
    CriterionCheck,
    Deal,
    LeadSource,
    LostReason,
    Role,
    StageChange,
    StageKind,
    User,
)
from funneldesk.services.common import audit, sql
from funneldesk.services.common.base import Service
from funneldesk.services.common.permissions import require_manager
from funneldesk.services.common.records import Actor
from funneldesk.services.customers import search as customer_search
from funneldesk.services.pipeline import reads, visits
from funneldesk.services.pipeline.lookups import load_pipeline
from funneldesk.services.pipeline.records import StageInfo
from funneldesk.services.pipeline.search import index_new_deals, raw_connection
from funneldesk.services.sample_data import activities as sample_activities
from funneldesk.services.sample_data import analytics as sample_analytics
from funneldesk.services.sample_data import contracts as sample_contracts
from funneldesk.services.sample_data import quotes as sample_quotes
from funneldesk.services.sample_data.names import EN, ZH
from funneldesk.services.sample_data.profiles import ProfileMaker, strip_private
from funneldesk.services.team import reads as team_reads
from funneldesk.services.team.products import product_named


@dataclass(frozen=True)
class DemoSummary:
    deals: int
    companies: int
    contacts: int


class _Builder:
    def __init__(self, session: Session, rng: random.Random, words: dict[str, Any],
                 now: dt.datetime) -> None:
        self.session, self.rng, self.words, self.now = session, rng, words, now

    def reps(self) -> list[int]:
        return self._users("demo", self.words["reps"])

    def colleagues(self) -> list[int]:
        """The sample's colleagues from other departments (users, as reps are: their
        role is on each deal's team)."""
        return self._users("demo-colleague", [name for name, *_rest in self.words["colleagues"]])

    def _users(self, prefix: str, names: list[str]) -> list[int]:
        ids = []
        for number, name in enumerate(names, start=1):
            login = f"{prefix}-{number}"
            existing = self.session.scalar(select(User.id).where(User.login == login))
            if existing is None:
                user = User(login=login, display_name=name, role=Role.REP, is_sample=True)
                self.session.add(user)
                self.session.flush()
                existing = user.id
            ids.append(existing)
        return ids

    def company_parts(self) -> tuple[str, str, str, str]:
        """A made-up company name, and its city, brand and trade."""
        w, r = self.words, self.rng
        city, brand, trade = r.choice(w["cities"]), r.choice(w["brands"]), r.choice(w["trades"])
        sep = "" if w is ZH else " "
        return sep.join([city, brand, trade, w["suffix"]]), city, brand, trade

    def unique_company(self, taken: set[str]) -> tuple[str, str, str, str]:
        for _try in range(200):
            parts = self.company_parts()
            if parts[0] not in taken:
                return parts
        number = 2  # the made-up names are used up: number them
        while f"{parts[0]} {number}" in taken:
            number += 1
        return (f"{parts[0]} {number}", *parts[1:])

    def person(self) -> tuple[str, str, str]:
        """A made-up name, and its surname and given name."""
        w, r = self.words, self.rng
        surname, given = r.choice(w["surnames"]), r.choice(w["given"])
        return (surname + given if w is ZH else f"{given} {surname}"), surname, given

    def customers(self, n_companies: int, by: int, owners: list[int]
                  ) -> tuple[list[int], dict[int, list[int]]]:
        first_company = sql.next_new_id(self.session, "companies")
        first_contact = sql.next_new_id(self.session, "contacts")
        maker = ProfileMaker(self.session, self.rng, self.words)
        companies: list[dict[str, Any]] = []
        contacts: list[dict[str, Any]] = []
        by_company: dict[int, list[int]] = {}
        # names already in the database too: appended sample data must not repeat them
        seen = set(self.session.scalars(select(Company.name)))
        for i in range(n_companies):
            ident = first_company + i
            name, city, brand, trade = self.unique_company(seen)
            if i % 40 == 39 and companies:  # now and then the same company entered twice
                name, city, brand, trade = self.variant(companies[-1]["_parts"])
            seen.add(name)
            companies.append({"id": ident, "name": name, "created_by_id": by, "is_sample": True,
                              "created_at": self.now, "touched_at": self.now,
                              "_parts": (city, brand, trade),
                              **maker.company(name, city, brand, trade, self.rng.choice(owners))})
            for _n in range(self.rng.randint(1, 3)):
                cid = first_contact + len(contacts)
                person, surname, given = self.person()
                contacts.append({"id": cid, "company_id": ident, "name": person,
                                 "title": self.rng.choice(self.words["titles"]),
                                 "created_by_id": by, "is_sample": True,
                                 "created_at": self.now, "touched_at": self.now,
                                 **maker.contact(person, surname, given, companies[-1])})
                by_company.setdefault(ident, []).append(cid)
        self.session.execute(insert(Company), strip_private(companies))
        self.session.execute(insert(Contact), strip_private(contacts))
        maker.channels(companies, contacts)
        maker.tags(companies, contacts)
        self.session.flush()
        raw = customer_search.raw_connection(self.session)
        customer_search.index_new_customers(raw, customer_search.COMPANY_KIND, first_company)
        customer_search.index_new_customers(raw, customer_search.CONTACT_KIND, first_contact)
        return [int(c["id"]) for c in companies], by_company

    def variant(self, parts: tuple[str, str, str]) -> tuple[str, str, str, str]:
        """Another way of writing the same company's name, as a second rep would."""
        city, brand, trade = parts
        if self.words is ZH:
            return f"{brand}{trade}（{city}）有限公司", city, brand, trade
        return f"{brand} {trade}, Inc", city, brand, trade


def _path(rng: random.Random, opens: list[StageInfo], won: StageInfo, lost: StageInfo,
          outcome: str) -> list[StageInfo]:
    if outcome == "won":
        return [*opens, won]
    if outcome == "lost":
        reach = rng.randint(1, len(opens))
        if len(opens) >= 3 and reach == len(opens):
            reach -= 1  # the sample's leak: lost in the stage before the last, not in it
        return [*opens[:reach], lost]
    # open deals thin out towards the later stages, as in a real funnel
    weights = [len(opens) - i + 1 for i in range(len(opens))]
    last = rng.choices(range(len(opens)), weights=weights)[0]
    return opens[: last + 1]


def final_is_lost_after(path: list[StageInfo], lost: StageInfo,
                        stage: StageInfo | None) -> bool:
    """Whether the deal was lost straight from ``stage``."""
    return stage is not None and len(path) >= 2 and path[-1] is lost and path[-2] is stage


def _timeline(rng: random.Random, path: list[StageInfo], now: dt.datetime,
              slow_stage: int | None = None) -> list[tuple[StageInfo, dt.datetime]]:
    """When the deal entered each stage of ``path``, within the last year (``slow_stage``:
    the stage deals stay four times as long in).

    Open deals mostly entered their current stage recently (a few have rotted); closed
    deals closed any time in the year.
    """
    last = path[-1]
    if last.is_open:
        limit = last.rot_days or 30
        back = rng.randint(0, limit) if rng.random() < 0.85 else rng.randint(limit + 1, limit * 3)
    else:
        back = rng.randint(0, 240)  # plus at most 6 steps of 18 days: within a year
    at = now - dt.timedelta(days=back, minutes=rng.randint(0, 600))
    times = [at]
    for stayed in reversed(path[:-1]):
        days = rng.randint(2, 18)
        if stayed.id == slow_stage:
            days *= 4  # the sample's bottleneck: deals wait there, past its rot limit
        at = at - dt.timedelta(days=days, hours=rng.randint(0, 8))
        times.append(at)
    times.reverse()
    return list(zip(path, times, strict=True))


class DemoService(Service):
    def generate(self, *, deals: int, seed: int, by: Actor, append: bool = False,
                 closed_share: float = 0.2, today: dt.date | None = None) -> DemoSummary:
        require_manager(by, _("Only a manager can load sample data."))
        if deals < 0:
            raise InvalidInput("deals", _("The number of deals cannot be negative."))
        words = ZH if language() == "zh_CN" else EN
        now = dt.datetime.combine(today or dt.date.today(), dt.time(9), tzinfo=dt.UTC)
        if today is None:  # before 09:00 UTC, nothing may be made later than this moment
            # (to the second, as the rest of the sample's times and a spreadsheet's are)
            now = min(now, dt.datetime.now(dt.UTC).replace(microsecond=0))
        with self.db.session() as session:
            existing = session.scalar(select(func.count()).select_from(Deal)) or 0
            if existing and not append:
                raise InvalidInput("deals", ngettext(
                    "This database already has {n} deal; use --append to add more.",
                    "This database already has {n} deals; use --append to add more.",
                    existing).format(n=existing))
            # the same seed gives the same data; appended data must differ from what is there
            rng = random.Random(f"{seed}+{existing}" if existing else seed)
            query = sql.session_query(session)
            pipeline = load_pipeline(session, reads.read_pipelines(query)[0][0])
            builder = _Builder(session, rng, words, now)
            owners = [*builder.reps(), by.id]
            colleagues = builder.colleagues()
            n_companies = max(5, deals // 4)
            company_ids, contacts = builder.customers(n_companies, by.id, owners)
            products = {name: product_named(session, name, by, sample=True).id
                        for name in words["products"]}
            currency = team_reads.base_currency(query)
            reasons = list(session.scalars(select(LostReason.id)))
            self._deals(session, rng, words, pipeline.stages, deals, owners, company_ids,
                        contacts, currency, reasons, now, closed_share, products, colleagues,
                        by)
            audit.record(session, by, "demo", "database", None, deals=deals, seed=seed)
            return DemoSummary(deals, n_companies, sum(len(v) for v in contacts.values()))

    @staticmethod
    def _deals(session: Session, rng: random.Random, words: dict[str, Any],
               stages: tuple[StageInfo, ...], count: int, owners: list[int],
               company_ids: list[int], contacts: dict[int, list[int]], currency: str,
               reasons: list[int], now: dt.datetime, closed_share: float,
               products: dict[str, int], colleagues: list[int], by: Actor) -> None:
        opens = [s for s in stages if s.is_open]
        won = next(s for s in stages if s.kind is StageKind.WON)
        lost = next(s for s in stages if s.kind is StageKind.LOST)
        first_deal = sql.next_new_id(session, "deals")
        deal_rows: list[dict[str, Any]] = []
        changes: list[dict[str, Any]] = []
        checks: list[dict[str, Any]] = []
        positions: dict[int, float] = {}
        sources = dict(session.execute(select(Company.id, Company.lead_source_id)
                                       .where(Company.id.in_(company_ids))).all())
        trade_show = session.scalar(select(LeadSource.id).where(LeadSource.code == "trade_show"))
        for i in range(count):
            ident = first_deal + i
            roll = rng.random()
            outcome = ("won" if roll < closed_share / 2 else "lost") if roll < closed_share else "open"
            path = _path(rng, opens, won, lost, outcome)
            owner = rng.choice(owners)
            # the sample has a funnel doctor's case: deals wait long in the open stage
            # before the last, and most lost there are lost on price, many from one source
            slow = opens[-2] if len(opens) >= 3 else None
            steps = _timeline(rng, path, now, slow.id if slow else None)
            lost_there = final_is_lost_after(path, lost, slow)
            created = steps[0][1]
            for n, (stage, when) in enumerate(steps):
                changes.append({"deal_id": ident, "from_stage_id": steps[n - 1][0].id if n else None,
                                "to_stage_id": stage.id, "at": when, "by_id": owner})
                if n + 1 < len(steps) and stage.is_open:
                    checks += [{"deal_id": ident, "criterion_id": c.id, "checked": True,
                                "at": steps[n + 1][1], "by_id": owner} for c in stage.criteria]
            final, entered = steps[-1]
            company = rng.choice(company_ids)
            positions[final.id] = positions.get(final.id, 0.0) + 1024.0
            value = Decimal(rng.choice([5, 8, 12, 20, 35, 50, 80, 120, 200, 450])) * 1000 \
                + Decimal(rng.randint(0, 99) * 100)
            closed = entered.date() if not final.is_open else None
            # a won deal keeps its estimate beside what was finally signed
            won_value = (value * Decimal(rng.randint(85, 110)) / 100).quantize(Decimal(100)) \
                if final is won else None
            deal_rows.append({
                "id": ident, "pipeline_id": final.pipeline_id, "stage_id": final.id,
                "stage_entered_at": entered, "position": positions[final.id],
                "title": (product := rng.choice(words["products"])), "company_id": company,
                "product_id": products[product],
                "lead_source_id": trade_show if lost_there and ident % 2 and trade_show
                else sources.get(company),
                "contact_id": rng.choice(contacts[company]), "value": value,
                "won_value": won_value, "is_sample": True,
                "currency": currency, "owner_id": owner,
                "expected_close": (now + dt.timedelta(days=rng.randint(7, 120))).date()
                if final.is_open else None,
                "next_step": rng.choice(words["steps"]) if final.is_open else "",
                "next_step_date": (now + dt.timedelta(days=rng.randint(-5, 14))).date()
                if final.is_open else None,
                "closed_on": closed,
                "lost_reason_id": (reasons[0] if lost_there and ident % 4 else
                                   rng.choice(reasons)) if final is lost and reasons else None,
                "created_at": created, "created_by_id": owner, "updated_at": entered,
                "updated_by_id": owner, "version": 1,
            })
        if not deal_rows:  # (an empty list would insert one row of defaults)
            return
        session.execute(insert(Deal), deal_rows)
        session.execute(insert(StageChange), changes)
        # each open deal's next step is the planned activity it stands for, as a next
        # step typed in the deal form is (services/activities/next_steps.py); a random
        # stream of its own, so that the rest of the sample stays as it was
        sample_activities.add(session, random.Random(rng.random()), words, deal_rows, now)
        sample_activities.add_plans(session, random.Random(rng.random()), words, deal_rows)
        sample_activities.add_scorecards(session, random.Random(rng.random()), words, deal_rows,
                                         won.id, lost.id, now)
        # last: a stream of its own, drawn after every other, leaves the rest as it was
        sample_activities.add_teams(session, random.Random(rng.random()), words, deal_rows,
                                    colleagues, now)
        kinds = {s.id: "won" if s is won else "lost" if s is lost else "open" for s in stages}
        kinds[opens[0].id] = "first"  # no quote yet at the first contact
        sample_quotes.add(session, random.Random(rng.random()), words, deal_rows, kinds,
                          [owners[-1]], now)  # the one loading the sample: a manager
        sample_contracts.add(session, random.Random(rng.random()), words, deal_rows,
                             opens[-1].id if len(opens) > 1 else None, won.id, by, now)
        # targets, forecast calls, an own forecast and a training plan: no random draws
        slow = opens[-2] if len(opens) >= 3 else None
        sample_analytics.add(session, deal_rows, opens, slow.id if slow else None, by.id, now)
        if checks:
            session.execute(insert(CriterionCheck), checks)
        index_new_deals(raw_connection(session), first_deal)
        visits.refresh(raw_connection(session), [row["id"] for row in deal_rows])


__all__ = ["DemoService", "DemoSummary"]
