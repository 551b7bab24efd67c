"""Deals from a file, as other CRMs export them (HubSpot, Pipedrive, Salesforce headers are
recognised), with their stage history built from the dates the file has.

- The file's stage values map onto the pipeline's stages by name (any case), by --stage
  VALUE=STAGE, or, for closed deals, by the usual words (Closed Won, 赢单 ...); a status
  column (open / won / lost, as Pipedrive exports it) decides won and lost by itself.
- History: the deal is created in the pipeline's first stage (or the first stage the file
  dates, when that is not later than its creation), then enters each stage whose "date
  entered" column the file has, in date order, then its own stage (at its close date for
  won and lost deals). An open deal with no dates was created in its stage.
- Won and lost deals need a close date (closed_at, or the date they entered their stage).
  A won deal given only `value` won that value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from funneldesk.errors import InvalidInput
from funneldesk.i18n import N_, _
from funneldesk.models import Contact, Deal, LostReason, StageChange, StageKind
from funneldesk.services.common import audit
from funneldesk.services.common.bulk import insert_rows
from funneldesk.services.common.sql import next_new_id, session_query
from funneldesk.services.common.tabular import cells
from funneldesk.services.common.tabular.checking import fail_missing, require, required_fields
from funneldesk.services.common.tabular.records import Context, Field, ImportOptions, Row
from funneldesk.services.customers.importers import References
from funneldesk.services.pipeline import reads, visits
from funneldesk.services.pipeline.records import PipelineInfo, StageInfo
from funneldesk.services.pipeline.search import index_deals, index_new_deals, raw_connection
from funneldesk.services.team import reads as team_reads
from funneldesk.services.team.products import product_named


def _f(name: str, label: str, kind: str = "text", *aliases: str, required: bool = False,
       limit: int = 0) -> Field:
    return Field(name, label, kind, required, aliases, limit)


# aliases: the column names HubSpot, Pipedrive and Salesforce export (the API names too)
DEAL_FIELDS = (
    _f("external_id", N_("External ID"), "text", "Record ID", "Deal - ID", "Opportunity ID",
       "hs_object_id", "id", "外部编号", limit=100),
    _f("title", N_("Title"), "text", "Deal Name", "dealname", "Deal - Title",
       "Opportunity Name", "deal", "商机名称", "商机", "标题", required=True, limit=300),
    _f("company", N_("Company"), "text", "Deal - Organization", "Account Name",
       "Associated Company", "公司", "客户名称", "公司名称", limit=300),
    _f("contact", N_("Contact"), "text", "Deal - Contact person", "Contact Name",
       "联系人", limit=200),
    _f("owner", N_("Owner"), "text", "Deal owner", "hubspot_owner_id", "Deal - Owner",
       "Opportunity Owner", "负责人", limit=200),
    _f("product", N_("Product"), "text", "产品", limit=200),
    _f("stage", N_("Stage"), "text", "Deal Stage", "dealstage", "Deal - Stage", "阶段",
       "商机阶段", limit=200),
    _f("status", N_("Status"), "text", "Deal - Status", "状态", limit=20),
    _f("value", N_("Value"), "money", "Amount", "Deal - Value", "金额", "商机金额"),
    _f("won_value", N_("Won value"), "money", "成交金额"),
    _f("currency", N_("Currency"), "text", "Deal - Currency", "Amount Currency", "币种",
       "货币", limit=3),
    _f("source", N_("Lead source"), "text", "Lead Source", "Deal - Source", "来源",
       "线索来源", limit=200),
    _f("campaign", N_("Campaign"), "text", "活动", limit=200),
    _f("created_at", N_("Created"), "moment", "Create Date", "createdate",
       "Deal - Deal created", "Created Date", "创建时间", "创建日期"),
    # won or lost: when it closed; open: when it is expected to (HubSpot's Close Date)
    _f("closed_at", N_("Close date"), "moment", "Close Date", "closedate", "Deal - Won time",
       "Closed Date", "成交日期", "关闭日期", "Closed on", "成交/输单日期"),
    # Pipedrive writes a lost deal's close in a column of its own
    _f("lost_at", N_("Lost on"), "moment", "Deal - Lost time", "输单日期"),
    _f("expected_close", N_("Expected close"), "date", "Deal - Expected close date",
       "预计成交日期"),
    _f("lost_reason", N_("Lost reason"), "text", "closed_lost_reason", "Deal - Lost reason",
       "Loss Reason", "输单原因", limit=500),
    _f("notes", N_("Notes"), "text", "Description", "备注"),
)

_CLOSED_AT = next(f for f in DEAL_FIELDS if f.name == "closed_at")


def export_source(headers: Sequence[str]) -> str | None:
    """The CRM whose deals export the headers look like (HubSpot, Pipedrive or
    Salesforce), by columns only that CRM writes: its record ids, Pipedrive's "Deal - "
    prefix; None for any other file (a team's own Deal Name, Opportunity name ...)."""
    folded = {h.strip().casefold() for h in headers}
    if sum(h.startswith("deal - ") for h in folded) >= 2:
        return "Pipedrive"
    if "opportunity name" in folded and "opportunity id" in folded:
        return "Salesforce"
    if "deal name" in folded and ({"record id", "hs_object_id"} & folded
                                  or any(h.startswith("date entered") for h in folded)):
        return "HubSpot"
    return None


# what closed deals' stages are called where they come from
_WON_WORDS = {"won", "closed won", "closedwon", "closed - won", "赢单", "成交", "已成交"}
_LOST_WORDS = {"lost", "closed lost", "closedlost", "closed - lost", "输单", "丢单", "已输单"}
_ENTERED = re.compile(r'date entered\s*"?(.+?)(?:\s*\((.+)\))?"?\s*$', re.IGNORECASE)


def suggest_entered(headers: Sequence[str], stages: Sequence[str],
                    mapped: Mapping[str, str] | None = None) -> dict[str, str]:
    """stage name -> header for HubSpot's `Date entered "<Stage> (<Pipeline>)"` columns
    whose stage the pipeline has, or the file's stage that ``mapped`` (the file's stage
    value -> a stage name) sends to one (any case)."""
    names = {s.casefold(): s for s in stages}
    names.update({value.casefold(): names[stage.casefold()]
                  for value, stage in (mapped or {}).items() if stage.casefold() in names})
    found: dict[str, str] = {}
    for header in headers:
        match = _ENTERED.match(header.strip())
        if match and match.group(1).strip().casefold() in names:
            found.setdefault(names[match.group(1).strip().casefold()], header)
    return found


class DealImporter:
    entity = "deal"
    fields: tuple[Field, ...] = DEAL_FIELDS
    match_keys: tuple[str, ...] = ("external_id",)
    references_checked = False

    def __init__(self) -> None:
        # the file's stages as check_options finds them, so that a row's report names an
        # unknown stage with its other problems (a bad date ...), not after them
        self._stages: _StageMap | None = None

    export_source = staticmethod(export_source)

    def entered_columns(self, query: Any, headers: Sequence[str],
                        pipeline: int | str | None,
                        mapped: Mapping[str, str] | None = None) -> dict[str, str]:
        """stage name -> the file's "date entered" column for it (``pipeline``: an id, a
        name, or None for the first; ``mapped``: the file's stage values -> stages)."""
        found = find_pipeline(query, pipeline)
        return (suggest_entered(headers, [s.name for s in found.stages], mapped)
                if found else {})

    @staticmethod
    def decided_by_status(text: str) -> bool:
        """Whether a status cell (Pipedrive's Deal - Status) says won or lost, which
        decides the deal's stage whatever its stage column says."""
        status = text.strip().casefold()
        return status in _WON_WORDS or status in _LOST_WORDS

    def check_options(self, query: Any, options: ImportOptions) -> None:
        """Refuses stages the pipeline does not have, named by --stage or by a date
        entered column, before any row is read."""
        found = find_pipeline(query, options.pipeline_id or options.pipeline)
        if found is None:
            return  # the import says which pipeline is missing
        names = {s.name.casefold() for s in found.stages}
        self._stages = _StageMap(found, options.stages)
        for value, stage in options.stages.items():
            if stage.casefold() not in names:
                raise InvalidInput("stage", _("The pipeline “{pipeline}” has no stage "
                                              "“{stage}” to put “{value}” in.").format(
                    pipeline=found.name, stage=stage, value=value))
        for stage in options.entered:
            if stage.casefold() not in names:
                raise InvalidInput("column", _("The pipeline “{pipeline}” has no stage "
                                               "“{stage}” to read entered dates for.").format(
                    pipeline=found.name, stage=stage))

    def stages_for(self, query: Any, values: Sequence[str], pipeline: int | str | None
                   ) -> tuple[list[str], dict[str, str | None]]:
        """The pipeline's stage names, and the stage each of a file's stage ``values``
        goes to by its name alone (Closed Won, 赢单 ...), or None: what the user maps."""
        found = find_pipeline(query, pipeline)
        if found is None:
            return [], dict.fromkeys(values)
        stages = _StageMap(found, {})
        named = {v: stages.named(v) for v in values}
        return ([s.name for s in stages.stages],
                {v: s.name if s is not None else None for v, s in named.items()})

    def parse(self, row: Row, ctx: Context) -> None:
        _check_currency(row, ctx)
        if self._stages is not None:  # as apply finds it: the report names every problem
            self._stages.of(row, ctx)

    def apply(self, session: Session, rows: Iterable[Row], ctx: Context) -> None:
        query = session_query(session)
        pipeline = _pipeline(query, ctx)
        stages = _StageMap(pipeline, ctx.options.stages)
        refs = References(session, ctx)
        base = team_reads.base_currency(query)
        reasons = {r.label.casefold(): r.id for r in session.scalars(select(LostReason))}
        # external id -> the deal it names: a created deal may not repeat one (a file
        # imported twice makes nothing twice), an update finds its deal by it
        existing: dict[str, int] = {}
        for ident, external in session.execute(
                select(Deal.id, Deal.external_id).where(Deal.external_id != "",
                                                        Deal.deleted_at.is_(None))):
            existing.setdefault(external.casefold(), ident)
        created_keys: set[str] = set()  # those of the deals this file creates
        required = required_fields(self.fields)
        first = next_new_id(session, "deals")
        positions: dict[int, float] = {}
        deals: list[dict[str, Any]] = []
        changes: list[dict[str, Any]] = []
        updated: list[int] = []
        for row in rows:
            stage = stages.of(row, ctx)
            if stage is None:
                continue
            when = _timeline(row, stage, stages, ctx)
            if when is None:
                continue
            key = str(row.values.get("external_id", "")).casefold()
            if key and (key in created_keys
                        or (key in existing and ctx.options.mode == "create")):
                ctx.fail(row, "external_id", "duplicate")
                continue
            target = existing.get(key) if key else None
            if target is None and ctx.options.mode == "update":
                ctx.fail(row, "external_id", "not_found")
                continue
            # a new deal needs its title (before anything it names is made for it)
            if target is None and not require(row, required, ctx):
                continue
            values = self._values(session, row, stage, refs, base, reasons, when, ctx)
            if target is not None:
                if self._update(session, target, values, _Given(row, stage, stages), when,
                                ctx):
                    updated.append(target)
                continue
            ident = first + len(deals)
            if key:
                created_keys.add(key)
            if stage.id not in positions:
                positions[stage.id] = float(session.scalar(
                    select(func.coalesce(func.max(Deal.position), 0.0))
                    .where(Deal.stage_id == stage.id)) or 0.0)
            positions[stage.id] += 1024.0
            deals.append({**values, "id": ident, "pipeline_id": pipeline.id,
                          "stage_id": stage.id, "stage_entered_at": when[-1][1],
                          "position": positions[stage.id], "version": 1})
            previous = None
            for stage_id, at in when:
                changes.append({"deal_id": ident, "from_stage_id": previous,
                                "to_stage_id": stage_id, "at": at, "by_id": values["owner_id"],
                                "details": "{}"})
                previous = stage_id
            ctx.done("created")
        insert_rows(session, Deal.__table__, deals)  # type: ignore[arg-type]
        insert_rows(session, StageChange.__table__, changes)  # type: ignore[arg-type]
        session.flush()
        if deals:
            index_new_deals(raw_connection(session), first)
        if updated:
            index_deals(raw_connection(session), updated)
        visits.refresh(raw_connection(session), [d["id"] for d in deals] + updated)
        audit.record(session, ctx.by, "import", "deal", None, created=ctx.report.created,
                     updated=ctx.report.updated, pipeline=pipeline.name)

    def _values(self, session: Session, row: Row, stage: StageInfo, refs: References,
                base: str, reasons: dict[str, int], when: list[tuple[int, dt.datetime]],
                ctx: Context) -> dict[str, Any]:
        v = row.values
        owner = refs.owner(v.get("owner"))
        company = refs.company(v.get("company"), owner)
        value: Decimal = v.get("value", Decimal("0"))
        won_value = v.get("won_value")
        if stage.kind is StageKind.WON and won_value is None:
            won_value = value  # a won deal given only its value won that value
        created = when[0][1]
        reason = str(v.get("lost_reason", ""))
        expected = v.get("expected_close")
        if expected is None and stage.is_open and v.get("closed_at") is not None:
            # an open deal's close date (HubSpot's, Salesforce's) is when it should close
            expected = _local(v["closed_at"]).date()
        return {
            "title": v.get("title", ""), "company_id": company,
            "contact_id": _contact(session, v.get("contact"), company, owner, ctx),
            "value": value, "won_value": won_value if stage.kind is StageKind.WON else None,
            "currency": v.get("currency", base), "owner_id": owner,
            "expected_close": expected,
            "closed_on": when[-1][1].date() if not stage.is_open else None,
            "lead_source_id": refs.source(v.get("source")),
            "campaign": v.get("campaign", ""),
            "product_id": product_named(session, v["product"], ctx.by).id
            if v.get("product") else None,
            "external_id": v.get("external_id", ""), "notes": v.get("notes", ""),
            "next_step": "", "next_step_date": None,
            "lost_reason_id": reasons.get(reason.casefold())
            if stage.kind is StageKind.LOST else None,
            "lost_reason_text": reason if stage.kind is StageKind.LOST
            and reason.casefold() not in reasons else "",
            "created_at": created, "created_by_id": ctx.by.id, "updated_at": ctx.now,
            "updated_by_id": ctx.by.id, "archived_at": None, "deleted_at": None,
            "deleted_by_id": None, "is_sample": False,
        }

    def _update(self, session: Session, ident: int, values: dict[str, Any], given: _Given,
                when: list[tuple[int, dt.datetime]], ctx: Context) -> bool:
        """Updates what the file gives (a column it lacks, or a blank cell, keeps what the
        deal has); a new stage is one more move, at the date the file gives it, else now."""
        deal = session.get(Deal, ident)
        assert deal is not None
        stage = given.stage
        changed = {f: [getattr(deal, f), values[f]] for f in given.fields()
                   if values[f] != getattr(deal, f) and values[f] not in (None, "")}
        moved = given.staged and deal.stage_id != stage.id
        if not changed and not moved:
            ctx.done("unchanged")
            return False
        for name, (_old, new) in changed.items():
            setattr(deal, name, new)
        if moved:
            at = when[-1][1] if given.dated() else ctx.now
            session.add(StageChange(deal_id=ident, from_stage_id=deal.stage_id,
                                    to_stage_id=stage.id, at=at, by_id=ctx.by.id))
            deal.stage_id, deal.stage_entered_at = stage.id, at
        deal.updated_at, deal.updated_by_id = ctx.now, ctx.by.id
        session.flush()
        audit.record(session, ctx.by, "update", "deal", ident, imported=True, changed=changed,
                     **({"stage": [stage.name]} if moved else {}))
        ctx.done("updated")
        return True


# a deal's column -> the file's fields that set it in an update
_SET_BY = {"title": ("title",), "company_id": ("company",), "contact_id": ("contact",),
           "value": ("value",), "won_value": ("won_value", "value"), "currency": ("currency",),
           "owner_id": ("owner",), "expected_close": ("expected_close", "closed_at"),
           "lead_source_id": ("source",), "campaign": ("campaign",), "product_id": ("product",),
           "notes": ("notes",), "closed_on": ("stage", "status", "closed_at"),
           "lost_reason_id": ("lost_reason",), "lost_reason_text": ("lost_reason",)}


class _Given:
    """What a row of an update gives: the deal's columns it sets, and its stage."""

    def __init__(self, row: Row, stage: StageInfo, stages: _StageMap) -> None:
        self.row, self.stage, self.stages = row, stage, stages
        self.staged = "stage" in row.values or "status" in row.values

    def fields(self) -> list[str]:
        return [column for column, sources in _SET_BY.items()
                if any(source in self.row.values for source in sources)]

    def dated(self) -> bool:
        """Whether the file says when the deal entered its stage."""
        if not self.stage.is_open and ("closed_at" in self.row.values
                                       or "lost_at" in self.row.values):
            return True
        return any((found := self.stages.named(name)) is not None and found.id == self.stage.id
                   for name in self.row.entered)


class _StageMap:
    def __init__(self, pipeline: PipelineInfo, mapped: dict[str, str] | Any) -> None:
        self.stages = pipeline.stages
        self.by_name = {s.name.casefold(): s for s in pipeline.stages}
        self.won = next(s for s in pipeline.stages if s.kind is StageKind.WON)
        self.lost = next(s for s in pipeline.stages if s.kind is StageKind.LOST)
        self.mapped = {k.casefold(): v for k, v in dict(mapped).items()}
        self.first_open = next(s for s in pipeline.stages if s.is_open)

    def named(self, text: str) -> StageInfo | None:
        name = self.mapped.get(text.casefold(), text)
        found = self.by_name.get(name.casefold())
        if found is None and name.casefold() in _WON_WORDS:
            return self.won
        if found is None and name.casefold() in _LOST_WORDS:
            return self.lost
        return found

    def of(self, row: Row, ctx: Context) -> StageInfo | None:
        status = str(row.values.get("status", "")).casefold()
        if status in _WON_WORDS:
            return self.won
        if status in _LOST_WORDS:
            return self.lost
        text = row.values.get("stage")
        if text is None:
            return self.first_open
        stage = self.named(text)
        if stage is None:
            ctx.fail(row, "stage", "unknown_stage")
        return stage


def _check_currency(row: Row, ctx: Context) -> None:
    currency = row.values.get("currency")
    if currency is not None:
        if not (len(currency) == 3 and currency.isascii() and currency.isalpha()):
            ctx.fail(row, "currency", "unknown_currency")
            return
        currency = row.values["currency"] = currency.upper()
    # a sign beside an amount (¥1,234, $1,234, 1234 RMB) names the currency when no
    # column does, and must agree with the one that does
    for name in ("value", "won_value"):
        if name not in row.values:
            continue
        try:
            signed = cells.money_currency(row.shown(name)[1])
        except cells.CellProblem as problem:
            ctx.fail(row, name, problem.reason)
            return
        if signed is None:
            continue
        if currency is not None and signed != currency:
            ctx.fail(row, name, "currency_mismatch")
            return
        currency = row.values["currency"] = signed


def find_pipeline(query: Any, wanted: int | str | None) -> PipelineInfo | None:
    """The pipeline with the id ``wanted`` (what the wizard chose: names may repeat), or
    the name (the command line's --pipeline, any case), or the first; None if gone."""
    for ident, name in reads.read_pipelines(query):
        if (wanted is None or ident == wanted
                or (isinstance(wanted, str) and name.casefold() == wanted.casefold())):
            return reads.read_pipeline(query, ident)
    return None


def _pipeline(query: Any, ctx: Context) -> PipelineInfo:
    wanted = ctx.options.pipeline_id
    found = find_pipeline(query, wanted if wanted is not None else ctx.options.pipeline)
    if found is not None:
        return found
    if wanted is not None:
        raise InvalidInput("pipeline", _("The pipeline chosen for the import was deleted "
                                         "meanwhile. Choose another."))
    raise InvalidInput("pipeline", _("There is no pipeline called “{name}”.").format(
        name=ctx.options.pipeline))


def _local(moment: dt.datetime) -> dt.datetime:
    """A file's date and time, read in this computer's time zone."""
    return moment.astimezone() if moment.tzinfo is None else moment


def _timeline(row: Row, stage: StageInfo, stages: _StageMap,
              ctx: Context) -> list[tuple[int, dt.datetime]] | None:
    """(stage id, when) of each move, oldest first; None when a closed deal has no date."""
    entered = sorted(((_local(m), found) for name, m in row.entered.items()
                      if (found := stages.named(name)) is not None),
                     key=lambda pair: (pair[0], pair[1].position))
    created = row.values.get("created_at")
    start = _local(created) if created is not None else None
    if stage.is_open:
        path = [(at, s) for at, s in entered if s.is_open]
        if not path or path[-1][1].id != stage.id:
            # when it entered its own stage is unknown: at the latest known date
            path.append((path[-1][0] if path else start or ctx.now, stage))
    else:
        closed = row.values.get("closed_at") or row.values.get("lost_at")
        end = _local(closed) if closed is not None else next(
            (at for at, s in entered if s.id == stage.id), None)
        if end is None:
            fail_missing(row, "closed_at", _CLOSED_AT.label, ctx)
            return None
        path = [(at, s) for at, s in entered if s.is_open and at <= end]
        if not path:  # only its dates: it was created in the first stage
            path = [(start or end, stages.first_open)]
        path.append((end, stage))
    if start is not None and start < path[0][0] and path[0][1].id != stages.first_open.id:
        # created before the first date the file has: in the first stage until then
        path.insert(0, (start, stages.first_open))
    first_at = min(start, path[0][0]) if start is not None else path[0][0]
    moves = [(path[0][1].id, first_at)]
    for at, s in path[1:]:
        if s.id != moves[-1][0]:
            moves.append((s.id, max(at, moves[-1][1])))
    return moves


def _contact(session: Session, name: str | None, company: int | None, owner: int,
             ctx: Context) -> int | None:
    if not name:
        return None
    query = select(Contact.id).where(func.lower(Contact.name) == name.lower(),
                                     Contact.deleted_at.is_(None))
    if company is not None:
        query = query.where(Contact.company_id == company)
    found = session.scalar(query.limit(1))
    if found is not None:
        return found
    contact = Contact(name=name, company_id=company, owner_id=owner, created_by_id=ctx.by.id,
                      created_at=ctx.now, touched_at=ctx.now)
    session.add(contact)
    session.flush()
    return contact.id
