"""Companies, contacts and products from a file (see services/common/tabular/engine.py).

A blank cell means "unknown": a created record leaves the field empty, an updated one
keeps what it had. Owners, lead sources and companies that a file names and FunnelDesk
does not know yet are created. On create, a row that repeats a record already there (or
an earlier row) by phone, email, WeChat ID, credit code or external id is refused as a
duplicate; so is a company of the same name, and a person with none of those keys of the
same name at the same company.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from functools import cached_property
from itertools import compress, islice
from operator import not_
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from funneldesk.collation import sort_key, sort_keys
from funneldesk.db.driver import driver_connection
from funneldesk.errors import InvalidInput
from funneldesk.i18n import N_, translated
from funneldesk.logs import log
from funneldesk.models import (
    Base,
    Channel,
    Company,
    CompanyTag,
    Contact,
    ContactTag,
    LeadSource,
    PoolEvent,
    Role,
    User,
)
from funneldesk.services.common import audit
from funneldesk.services.common.bulk import BulkWriter, insert_rows
from funneldesk.services.common.sql import next_new_id
from funneldesk.services.common.tabular.checking import require, required_fields
from funneldesk.services.common.tabular.engine import Context, Field, Row
from funneldesk.services.customers import profile_words, search, validation
from funneldesk.services.customers.alike_apart import LOOK_APART_ROWS, AlikeApart
from funneldesk.services.customers.channels import tag_ids
from funneldesk.services.customers.import_channels import Channels, channel_inserts
from funneldesk.services.customers.import_claims import Claims, Column, casefolded
from funneldesk.services.customers.list_records import CONSENT_LABELS
from funneldesk.services.customers.profiles import WECHAT_ID
from funneldesk.services.customers.records import CLAIMED, CONSENTS, KEY_LEVELS, RELEASED, ROLES
from funneldesk.services.team.lead_sources import LeadSourceInfo, lookup_table, shown

# what a list's Owner column says of a record in the public pool, in either language
_POOL_WORDS = frozenset(translated(N_("Public pool"), lang).casefold() for lang in ("en", "zh_CN"))
_ROLE_NAMES = {"decision_maker": (N_("Decision maker"), "决策者", "决策人"),
               "influencer": (N_("Influencer"), "影响者", "影响人"),
               "user": (N_("User"), "使用者", "用户"),
               "gatekeeper": (N_("Gatekeeper"), "把关者", "守门人")}
# the list's labels too (Consented, 已同意 ...): an export with labels imports back
_CONSENT_NAMES = {"given": ("yes", "y", "true", "1", "是", "同意", "已同意",
                            CONSENT_LABELS["given"]),
                  "refused": ("no", "n", "false", "0", "否", "拒绝", "不同意",
                              CONSENT_LABELS["refused"]),
                  "unknown": ("", "未知", "?", CONSENT_LABELS["unknown"])}


def _names(table: Mapping[str, tuple[str, ...]], codes: Sequence[str]) -> dict[str, str]:
    found = {code.casefold(): code for code in codes}
    for code, aliases in table.items():
        for alias in aliases:
            found[alias.casefold()] = code
            found[translated(alias, "zh_CN").casefold()] = code
        found[code.replace("_", " ").casefold()] = code
    return found


def _text(name: str, label: str, limit: int, *aliases: str, required: bool = False) -> Field:
    return Field(name, label, "text", required, aliases, limit)


def _word(name: str, label: str, limit: int, *aliases: str) -> Field:
    """A profile field's text, its usual words kept one way (profile_words.py)."""
    return Field(name, label, "word", False, aliases, limit, profile_words.kept_as_table(name))


_SHARED = (
    _text("external_id", N_("External ID"), 100, "id", "record id", "外部编号"),
    _text("owner", N_("Owner"), 200, "负责人", "所有人", "owner name"),
    _text("source", N_("Lead source"), 200, "lead source", "来源", "线索来源", "客户来源"),
    _text("campaign", N_("Campaign"), 200, "event", "活动", "活动名称"),
    _text("notes", N_("Notes"), 0, "note", "description", "备注", "描述"),
    Field("phone", N_("Phone"), "phones", aliases=("phone number", "telephone", "tel", "mobile",
                                                   "电话", "手机", "手机号", "联系电话")),
    Field("email", N_("Email"), "emails", aliases=("e-mail", "email address", "邮箱",
                                                   "电子邮箱", "电子邮件")),
    Field("tags", N_("Tags"), "list", aliases=("tag", "标签")),
)

COMPANY_FIELDS = (
    _text("name", N_("Company"), 300, "company name", "name", "account name", "organization",
          "公司", "公司名称", "客户名称", "企业名称", "单位名称", "名称", required=True),
    _text("industry", N_("Industry"), 100, "行业"),
    _text("segment", N_("Segment"), 100, "细分", "客户类型"),
    _text("size", N_("Size"), 30, "employees", "规模", "人数"),
    _text("country", N_("Country"), 100, "国家"),
    _text("province", N_("Province or state"), 100, "state", "省", "省份"),
    _text("city", N_("City"), 100, "城市", "市"),
    _text("address", N_("Address"), 0, "地址"),
    _text("website", N_("Website"), 300, "web", "url", "网址", "官网"),
    _text("credit_code", N_("Unified Social Credit Code"), 18, "credit code", "uscc",
          "统一社会信用代码", "信用代码"),
    Field("key_level", N_("Key customer level"), "choice", aliases=("key level", "level",
                                                                    "客户等级", "重点客户",
                                                                    "重点级别"),
          choices={**{k.casefold(): k for k in KEY_LEVELS}, "no": "", "否": ""}),
    *_SHARED,
)

CONTACT_FIELDS = (
    _text("name", N_("Name"), 200, "contact", "contact name", "full name", "姓名", "联系人",
          "联系人姓名", required=True),
    _text("company", N_("Company"), 300, "company name", "account name", "organization",
          "公司", "公司名称", "单位"),
    _text("title", N_("Job title"), 200, "title", "position", "职位", "职务"),
    Field("role", N_("Role"), "choice", aliases=("buying role", "角色", "决策角色"),
          choices=_names(_ROLE_NAMES, ROLES)),
    _text("wechat", N_("WeChat ID"), 100, "wechat", "weixin", "微信", "微信号"),
    _word("age_band", N_("Age band"), 20, "age", "年龄", "年龄段"),
    _word("gender", N_("Gender"), 20, "sex", "性别"),
    _text("occupation", N_("Occupation"), 100, "职业"),
    _text("income_band", N_("Income band"), 30, "income", "收入", "收入水平"),
    _word("education", N_("Education"), 30, "学历", "教育程度"),
    _text("preferences", N_("Preferences"), 0, "偏好"),
    _text("decision_process", N_("Decision process"), 0, "决策过程"),
    _word("loyalty", N_("Loyalty"), 30, "忠诚度"),
    _text("data_origin", N_("Data origin"), 300, "数据来源"),
    Field("consent", N_("Consent"), "choice", aliases=("consented", "同意联系", "是否同意"),
          choices=_names(_CONSENT_NAMES, CONSENTS)),
    *_SHARED,
)

# file fields that are profile columns under the same name
_COLUMNS = {"company": ("external_id", "name", "industry", "segment", "size", "country",
                        "province", "city", "address", "website", "credit_code", "key_level",
                        "campaign", "notes"),
            "contact": ("external_id", "name", "title", "role", "wechat", "age_band", "gender",
                        "occupation", "income_band", "education", "preferences",
                        "decision_process", "loyalty", "data_origin", "consent", "campaign",
                        "notes")}


_PROFILE = {entity: frozenset(names) for entity, names in _COLUMNS.items()}


class References:
    """Owners, sources and companies by the names a file gives them, created on demand.

    With a ``writer`` the companies are inserted through it, and every other statement
    waits until it has written what it holds (nothing else may use the session while it
    writes)."""

    def __init__(self, session: Session, ctx: Context, writer: BulkWriter | None = None,
                 look: AlikeApart | None = None) -> None:
        self.session, self.ctx, self.writer = session, ctx, writer
        self.look = look  # told of each company created (alike_apart.py)
        self._next_company: int | None = None
        self.first_company: int | None = None  # the first company it created
        self.users: dict[str, int] = {}
        for ident, login, display in session.execute(select(User.id, User.login,
                                                            User.display_name)):
            self.users.setdefault(display.casefold(), ident)
            self.users.setdefault(login.casefold(), ident)
        infos = [LeadSourceInfo(i, c, shown(c, label), True) for i, c, label in
                 session.execute(select(LeadSource.id, LeadSource.code, LeadSource.label))]
        self.sources = lookup_table(infos)
        self.companies: dict[str, int] | None = None  # by folded name
        self._named: dict[str, int] = {}  # by a name as the file writes it
        self._tags: dict[tuple[str, ...], list[int]] = {}
        # the sort keys of the names of the one kind of record the import makes (a
        # person's name keys otherwise than a company's)
        self.keys: dict[str, str] = {}

    def tag_ids(self, names: Sequence[str]) -> list[int]:
        key = tuple(names)
        if key not in self._tags:
            self.quiet()
            self._tags[key] = tag_ids(self.session, key)
        return self._tags[key]

    def owner(self, name: str | None) -> int:
        if not name:
            return self.ctx.by.id
        ident = self.users.get(name.casefold())
        if ident is None:  # owners named in the file become users
            self.quiet()
            user = User(login=name, display_name=name, role=Role.REP)
            self.session.add(user)
            self.session.flush()
            ident = self.users[name.casefold()] = user.id
        return ident

    def customer_owner(self, name: str | None) -> int | None:
        """A customer's owner; None (the public pool) for the words a list exports for
        the pool ("Public pool", 公海), so that a list's export imports back as it was."""
        if name and name.strip().casefold() in _POOL_WORDS:
            return None
        return self.owner(name)

    def source(self, name: str | None) -> int | None:
        if not name:
            return None
        ident = self.sources.get(name.casefold())
        if ident is None:
            self.quiet()
            count = self.session.scalar(select(func.count()).select_from(LeadSource)) or 0
            source = LeadSource(label=name, position=count, active=True)
            self.session.add(source)
            self.session.flush()
            ident = self.sources[name.casefold()] = source.id
        return ident

    def company(self, name: str | None, owner: int | None) -> int | None:
        return self.company_ids([name], [owner])[0] if name else None

    def company_ids(self, names: Sequence[str], owners: Sequence[int | None]
                    ) -> list[int | None]:
        """The id of the company each name names, any case (None for a blank); those
        missing are created, owned by the owner beside their first name, in one
        statement (an import may name thousands). A name written as an earlier row wrote
        it is looked up as it is: a file names each company many times."""
        ids = list(map(self._named.get, names))
        if None not in ids:
            return ids
        unknown = [n for n, ident in enumerate(ids) if ident is None]
        found = self._company_ids([names[n] for n in unknown], [owners[n] for n in unknown])
        for n, ident in zip(unknown, found, strict=True):
            if ident is not None:
                ids[n] = self._named[names[n]] = ident
        return ids

    def _company_ids(self, names: Sequence[str], owners: Sequence[int | None]
                     ) -> list[int | None]:
        if self.companies is None:
            self.quiet()
            self.companies = {}
            for ident, company in self.session.execute(
                    select(Company.id, Company.name).where(Company.deleted_at.is_(None))
                    .order_by(Company.id)):
                if company:  # a blank names none, even a company saved without a name
                    self.companies.setdefault(company.casefold(), ident)
        folded = casefolded(names)
        missing = set(folded).difference(self.companies)
        missing.discard("")
        if missing:
            wanted: dict[str, tuple[str, int | None]] = {}
            for key, name, owner in zip(folded, names, owners, strict=True):
                if key in missing and key not in wanted:
                    wanted[key] = (name, owner)
            self._create_companies(wanted)
        return list(map(self.companies.get, folded))

    def _create_companies(self, wanted: Mapping[str, tuple[str, int | None]]) -> None:
        """Creates the companies ``wanted`` (folded name -> name, owner)."""
        assert self.companies is not None
        if self._next_company is None:
            self.quiet()
            self._next_company = next_new_id(self.session, "companies")
        first = self._next_company
        if self.first_company is None:
            self.first_company = first
        self._next_company += len(wanted)
        now, by = self.ctx.now, self.ctx.by.id
        names = [name for name, _owner in wanted.values()]
        # a company a pooled contact brings along is in the pool since now, as theirs is
        rows = [{"id": first + n, "name": name, "sort_name": key, "owner_id": owner,
                 "pooled_at": now if owner is None else None,
                 "created_by_id": by, "created_at": now, "touched_at": now, "version": 1}
                for n, ((name, owner), key) in enumerate(zip(wanted.values(),
                                                            sort_keys(names), strict=True))]
        if self.writer is not None:
            self.writer.insert(_table(Company), rows)
        else:
            insert_rows(self.session, _table(Company), rows)
        if self.look is not None:
            self.look.made("company", range(first, first + len(rows)), names)
        self.companies.update({key: first + n for n, key in enumerate(wanted)})

    def quiet(self) -> None:
        """Waits until the writer has written what it holds."""
        if self.writer is not None:
            self.writer.drain()


class _CustomerImporter:
    entity = "company"
    # new records, their phones, emails and tags are checked by the BulkWriter batch by
    # batch; what apply writes itself (owners, sources, tags, updates of matched records)
    # names only rows read, or queued through the writer, in the same change
    references_checked = True
    model: Any = Company
    fields: tuple[Field, ...] = COMPANY_FIELDS
    match_keys: tuple[str, ...] = ("external_id", "credit_code", "name")
    # what a duplicate shares, besides phones and emails (a company's full name is its
    # own: a re-imported file must not make every company twice)
    key_fields: tuple[str, ...] = ("external_id", "credit_code", "name")

    def __init__(self, region: str,
                 reindex_deals: Callable[[Any, Sequence[int]], None] | None = None) -> None:
        self.region = region
        # the pipeline area's indexer of deals, whose entries hold their customers' names
        self.reindex_deals = reindex_deals

    def parse(self, row: Row, ctx: Context) -> None:
        values = row.values
        try:
            if "phone" in values:
                values["phone"] = _unique([validation.phone(p, self.region)
                                           for p in values["phone"]])
        except InvalidInput:
            ctx.fail(row, "phone", "bad_phone")
        try:
            if "email" in values:
                values["email"] = _unique([validation.email(e) for e in values["email"]])
        except InvalidInput:
            ctx.fail(row, "email", "bad_email")
        if "credit_code" in values:
            try:
                values["credit_code"] = validation.credit_code(values["credit_code"])
            except InvalidInput:
                ctx.fail(row, "credit_code", "bad_credit_code")
        if "wechat" in values and not WECHAT_ID.fullmatch(values["wechat"]):
            ctx.fail(row, "wechat", "bad_wechat")

    # --- what differs between companies and contacts ---

    def keys(self, found: Sequence[dict[str, Any]], phones: Channels, emails: Channels
             ) -> dict[str, Column]:
        """The keys a duplicate shares with each row (its values ``found``, its
        ``phones`` and ``emails``), by field: exact keys only, any case. Names that merely
        look alike are for Find duplicates, where a person decides; two branches of one
        brand (北京星辰, 上海星辰) are different customers."""
        keys = {"phone": phones.column, "email": emails.column}
        for name in self.key_fields:
            given = [(n, str(values[name])) for n, values in enumerate(found)
                     if values.get(name)]
            if given:
                keys[name] = Column([n for n, _v in given],
                                    casefolded([value for _n, value in given]))
        return keys

    def known_keys(self, session: Session) -> dict[str, set[str]]:
        """The keys records hold already, by field (see ``keys``)."""
        known = _channel_keys_held(session, Channel.company_id)
        for external, code, name in session.execute(
                select(Company.external_id, Company.credit_code, Company.name)
                .where(Company.deleted_at.is_(None), Company.merged_into_id.is_(None))):
            if external:
                known["external_id"].add(external.casefold())
            if code:
                known["credit_code"].add(code.casefold())
            if name:
                known["name"].add(name.casefold())
        return known

    def own(self, row: Row, refs: References) -> dict[str, Any]:
        return {}

    # --- the run ---

    def apply(self, session: Session, rows: Iterable[Row], ctx: Context) -> None:
        """New records are written in batches through a BulkWriter while the next rows
        are checked; they reach search-everything afterwards, in a transaction of their
        own (``search.index_missing_customers``), so that the import holds the database
        no longer than it must."""
        mode = ctx.options.mode
        matched: dict[int, int] = {}
        if mode != "create":
            ctx.passes = 2
            listed = list(rows)
            matched = self.matches(session, listed, ctx)
            rows = ctx.rewatch(listed)
        claims = Claims(self.known_keys(session))
        next_id = next_new_id(session, self.model.__tablename__)
        first_id = next_id
        required = required_fields(self.fields)
        updated: list[int] = []
        renamed: list[int] = []
        look = _look_apart(session, self.entity, first_id, ctx)
        with BulkWriter(session) as writer:
            refs = References(session, ctx, writer, look)
            for batch in _batches(rows, ctx.report.read):
                fresh = batch  # in create mode: every row taken passed its checks
                if mode != "create":
                    fresh = []
                    for row in batch:
                        target = matched.get(row.record.number)
                        if target is not None:
                            writer.drain()
                            written = self.update(session, target, row, refs, ctx, claims)
                            if written is not None:
                                updated.append(target)
                                if "name" in written:
                                    renamed.append(target)
                        elif mode != "update" and require(row, required, ctx):
                            fresh.append(row)
                found = [row.values for row in fresh]
                phones, emails = Channels.of("phone", found), Channels.of("email", found)
                fates = claims.claim(self.keys(found, phones, emails), len(fresh))
                accepted = list(map(not_, fates))
                created = list(compress(fresh, accepted))
                if len(created) != len(fresh):
                    for row, held in zip(fresh, fates, strict=True):
                        if held is not None:
                            ctx.fail(row, held, "duplicate")
                self.create(writer, created, next_id, refs, ctx,
                            (phones.kept(accepted), emails.kept(accepted)))
                next_id += len(created)
        if look is not None:
            look.end()  # it counts while the change commits
        session.flush()
        if updated:
            self.check_updates(session)
        if next_id > first_id:
            ctx.report.created_from[self.entity] = first_id
        if refs.first_company is not None:  # a contact's new company
            ctx.report.created_from.setdefault("company", refs.first_company)
        if renamed:
            ctx.report.renamed[self.entity] = renamed
        raw = search.raw_connection(session)
        search.index_customers(raw, self.entity, updated)
        search.index_names_of_renamed(raw, self.entity, renamed, self.reindex_deals)
        audit.record(session, ctx.by, "import", self.entity, None,
                     created=ctx.report.created, updated=ctx.report.updated)

    def check_updates(self, session: Session) -> None:
        """SQLite's own check of what the updates wrote (their owners, companies, sources,
        phones, emails, tags and pool events): the change runs with its foreign keys off
        (``references_checked``), and the BulkWriter checks only the rows it inserts."""
        link = "company_tags" if self.entity == "company" else "contact_tags"
        raw = driver_connection(session)
        for table in (_table(self.model).name, "channels", link, "pool_events"):
            if raw.execute(f"PRAGMA foreign_key_check({table})").fetchone() is not None:
                raise sqlite3.IntegrityError(f"FOREIGN KEY constraint failed (a row of "
                                             f"{table} an import updated)")

    def matches(self, session: Session, rows: Sequence[Row], ctx: Context) -> dict[int, int]:
        """record number -> id of the record it updates; reports rows that match none
        (in update mode) or several."""
        key = ctx.options.match
        assert key is not None
        found: dict[str, list[int]] = {}
        for ident, held in self.match_values(session, key):
            found.setdefault(held, []).append(ident)
        matched = {}
        for row in rows:
            value: Any = row.values.get(key)
            probes = value if isinstance(value, list) else [value] if value else []
            hits = sorted({i for p in probes for i in found.get(self.folded(key, p), [])})
            if len(hits) > 1:
                ctx.fail(row, key, "ambiguous_match")
            elif hits:
                matched[row.record.number] = hits[0]
            elif ctx.options.mode == "update":
                ctx.fail(row, key, "not_found")
        return matched

    @staticmethod
    def folded(key: str, value: str) -> str:
        """A key's value as records hold it: a phone without its extension (as its
        channel's key), any other in any case."""
        return validation.phone_key(value) if key == "phone" else value.casefold()

    def match_values(self, session: Session, key: str) -> list[tuple[int, str]]:
        model = self.model
        alive = (model.deleted_at.is_(None), model.merged_into_id.is_(None))
        if key in ("phone", "email"):
            owner = getattr(Channel, f"{self.entity}_id")
            return [(i, k) for i, k in session.execute(
                select(owner, Channel.key).join(model, model.id == owner)
                .where(Channel.kind == key, *alive))]
        column = getattr(model, key)
        return [(i, str(v).casefold()) for i, v in session.execute(
            select(model.id, column).where(column != "", *alive))]

    def columns(self, row: Row, refs: References) -> dict[str, Any]:
        profile = _PROFILE[self.entity]
        values = {name: value for name, value in row.values.items() if name in profile}
        if "source" in row.values:
            values["lead_source_id"] = refs.source(row.values["source"])
        if "owner" in row.values:
            values["owner_id"] = refs.customer_owner(row.values["owner"])
        values.update(self.own(row, refs))
        return values

    def create(self, writer: BulkWriter, rows: list[Row], first: int, refs: References,
               ctx: Context, channels: tuple[Channels, Channels]) -> None:
        """Queues the rows' records (numbered from ``first``), their ``channels`` (phones,
        emails) and tags, column by column (the writer binds once what every row
        shares)."""
        if not rows:
            return
        now, count = ctx.now, len(rows)
        found = [row.values for row in rows]
        given: set[str] = set().union(*found)
        records: dict[str, Sequence[Any]] = {
            name: [values.get(name, self.defaults[name]) for values in found]
            for name in sorted(given & _PROFILE[self.entity])}
        owners: list[int | None] = (
            [refs.customer_owner(values.get("owner")) for values in found]
            if "owner" in given else [refs.owner(None)] * count)
        if "source" in given:
            records["lead_source_id"] = [refs.source(values.get("source")) for values in found]
        records.update(self.own_columns(found, owners, refs))
        ids = range(first, first + count)
        records["sort_name"] = sort_keys([values["name"] for values in found],
                                         person=self.entity == "contact", known=refs.keys)
        records.update(id=ids, owner_id=owners, created_by_id=[ctx.by.id] * count,
                       created_at=[now] * count, touched_at=[now] * count, version=[1] * count)
        if None in owners:  # in the public pool since now, as a release would put it
            records["pooled_at"] = [now if owner is None else None for owner in owners]
        if "consent" in records:
            records["consent_at"] = [now if c in ("given", "refused") else None
                                     for c in records["consent"]]
        writer.insert_columns(_table(self.model), records)
        if refs.look is not None:
            refs.look.made(self.entity, ids, [values["name"] for values in found],
                           records.get("company_id"), records["sort_name"])
        for insert_ in channel_inserts(self.entity, ids, *channels):
            writer.insert_columns(_table(Channel), insert_)
        if "tags" in given:
            tags = sorted({(ident, tag) for ident, values in zip(ids, found, strict=True)
                           for tag in refs.tag_ids(values.get("tags", []))})
            writer.insert_columns(_table(CompanyTag if self.entity == "company" else ContactTag),
                                  {f"{self.entity}_id": [i for i, _t in tags],
                                   "tag_id": [t for _i, t in tags]})
        ctx.report.created += count

    def own_columns(self, found: list[dict[str, Any]], owners: list[int | None],
                    refs: References) -> dict[str, list[Any]]:
        """``own`` for many rows at once, column by column."""
        return {}

    @cached_property
    def defaults(self) -> dict[str, Any]:
        """Every column a bulk insert sets, at its default (one executemany needs the
        same keys on every row)."""
        names_ = [*_COLUMNS[self.entity], "lead_source_id", "owner_id", *self.extra_columns]
        values: dict[str, Any] = {n: "" for n in names_}
        values.update(lead_source_id=None, owner_id=None,
                      **{n: None for n in self.extra_columns})
        if self.entity == "contact":
            values.update(consent="unknown", consent_at=None)
        return values

    extra_columns: tuple[str, ...] = ()

    def update(self, session: Session, ident: int, row: Row, refs: References,
               ctx: Context, claims: Claims) -> set[str] | None:
        """Updates the record ``ident`` from the row, unless that would give it a key
        (a phone, an email, a WeChat ID ...) another record holds, or an earlier row of
        the file claimed: the row is then a duplicate. The fields written (None:
        nothing)."""
        record = session.get(self.model, ident)
        assert record is not None
        values = self.columns(row, refs)
        refs.quiet()  # the columns may name a company the writer is still inserting
        changed = {k: [getattr(record, k), v] for k, v in values.items()
                   if getattr(record, k) != v}
        key = ctx.options.match
        if key in changed and str(changed[key][0]).casefold() == str(changed[key][1]).casefold():
            del changed[key]  # the key found the record in any case: its own case stays
        held = {(c.kind, c.key) for c in session.scalars(select(Channel).where(
            getattr(Channel, f"{self.entity}_id") == ident))}
        new_channels = [c for c in _channel_rows(self.entity, ident, row)
                        if (c["kind"], c["key"]) not in held]
        for n, channel in enumerate(new_channels):
            channel["position"] = len(held) + n
        new_keys = [(c["kind"], c["key"]) for c in new_channels]
        new_keys += [(name, str(changed[name][1]).casefold()) for name in self.key_fields
                     if name in changed and changed[name][1]
                     and str(changed[name][0]).casefold() != str(changed[name][1]).casefold()]
        taken = next((name for name, key in new_keys if key in claims.held.get(name, ())),
                     None)
        if taken is not None:
            ctx.fail(row, taken, "duplicate")
            return None
        for name, key in new_keys:
            claims.held.setdefault(name, set()).add(key)
        link = CompanyTag if self.entity == "company" else ContactTag
        column = getattr(link, f"{self.entity}_id")
        have = set(session.scalars(select(link.tag_id).where(column == ident)))
        new_tags = [t for t in refs.tag_ids(row.values.get("tags", [])) if t not in have]
        if not changed and not new_channels and not new_tags:
            ctx.done("unchanged")
            return None
        keyed: dict[str, Any] = (
            {"sort_name": sort_key(changed["name"][1], person=self.entity == "contact")}
            if "name" in changed else {})
        if "consent" in changed:  # when it was given or refused, as a form dates it
            keyed["consent_at"] = (ctx.now if changed["consent"][1] in ("given", "refused")
                                   else None)
        if "owner_id" in changed:  # into the pool or out of it: the pool's history says so
            before, after = changed["owner_id"]
            keyed["pooled_at"] = ctx.now if after is None else None
            if before is None or after is None:
                session.add(PoolEvent(entity=self.entity, record_id=ident,
                                      action=RELEASED if after is None else CLAIMED,
                                      owner_before_id=before, at=ctx.now, by_id=ctx.by.id))
        # a new version even when only phones, emails or tags came: an undo of an edit
        # made before must see that the record changed since
        session.execute(update(self.model).where(self.model.id == ident).values(
            **{k: v[1] for k, v in changed.items()}, **keyed, touched_at=ctx.now,
            version=self.model.version + 1))
        if new_channels:
            session.execute(insert(Channel), new_channels)
        for tag in new_tags:
            session.add(link(tag_id=tag, **{f"{self.entity}_id": ident}))
        audit.record(session, ctx.by, "update", self.entity, ident, imported=True,
                     changed={**changed, **({"tags": new_tags} if new_tags else {}),
                              **({"channels": [c["value"] for c in new_channels]}
                                 if new_channels else {})})
        ctx.done("updated")
        return {*changed, *(["channels"] if new_channels else []),
                *(["tags"] if new_tags else [])}


class CompanyImporter(_CustomerImporter):
    pass


class ContactImporter(_CustomerImporter):
    entity = "contact"
    model = Contact
    fields: tuple[Field, ...] = CONTACT_FIELDS
    match_keys: tuple[str, ...] = ("external_id", "email", "phone", "wechat")
    key_fields = ("external_id", "wechat")
    extra_columns = ("company_id",)

    def keys(self, found: Sequence[dict[str, Any]], phones: Channels, emails: Channels
             ) -> dict[str, Column]:
        """As for companies; and a person with no phone, email, WeChat ID or external id
        is known by name at their company (so that a file imported twice does not make
        such people twice), reported on the name."""
        keys = super().keys(found, phones, emails)
        if any(isinstance(c.rows, range) and len(c.rows) == len(found)
               for c in (phones, emails)):
            return keys  # every row has a phone (or every row an email)
        known_by = set(phones.rows).union(emails.rows, *(keys[f].rows for f in self.key_fields
                                                         if f in keys))
        bare = [(n, _person(values["name"], values.get("company", "")))
                for n, values in enumerate(found) if n not in known_by]
        if bare:
            keys["name"] = Column([n for n, _k in bare], casefolded([k for _n, k in bare]))
        return keys

    def known_keys(self, session: Session) -> dict[str, set[str]]:
        known = _channel_keys_held(session, Channel.contact_id)
        for external, wechat in session.execute(
                select(Contact.external_id, Contact.wechat)
                .where(Contact.deleted_at.is_(None), Contact.merged_into_id.is_(None))):
            if external:
                known["external_id"].add(external.casefold())
            if wechat:
                known["wechat"].add(wechat.casefold())
        bare = (select(Contact.name, Company.name)
                .outerjoin(Company, Company.id == Contact.company_id)
                .where(Contact.deleted_at.is_(None), Contact.merged_into_id.is_(None),
                       Contact.external_id == "", Contact.wechat == "",
                       ~select(Channel.id).where(Channel.contact_id == Contact.id).exists()))
        known["name"].update(_person(name, company or "").casefold()
                             for name, company in session.execute(bare))
        return known

    def own(self, row: Row, refs: References) -> dict[str, Any]:
        if "company" not in row.values:
            return {}
        owner = refs.customer_owner(row.values.get("owner"))
        return {"company_id": refs.company(row.values["company"], owner)}

    def own_columns(self, found: list[dict[str, Any]], owners: list[int | None],
                    refs: References) -> dict[str, list[Any]]:
        names = [values.get("company", "") for values in found]
        return {"company_id": refs.company_ids(names, owners)} if any(names) else {}


_BATCH = 5_000  # rows a BulkWriter writes while the next ones are checked
_LAST_BATCH = 500  # the smallest, at the file's end


def _look_apart(session: Session, entity: str, first_id: int, ctx: Context
                ) -> AlikeApart | None:
    """A worker process that looks for names alike among what a big import creates while
    it runs (alike_apart.py); None for an import it is not worth starting for, or where
    it cannot start (the caller then looks after the import)."""
    if ctx.options.mode != "create" or ctx.options.dry_run \
            or ctx.report.read < LOOK_APART_ROWS:
        return None
    # what was there is below these ids; a contacts file may create companies too
    below = {entity: first_id}
    if entity == "contact":
        below["company"] = next_new_id(session, "companies")
    database = session.get_bind().engine.url.database
    if not database or database == ":memory:":
        return None
    try:  # an absolute path: the worker may start in another folder
        look = AlikeApart(Path(database).resolve(), below)
    except OSError:
        return None

    def ended(committed: bool) -> None:
        """Runs after the import's commit (or its undoing): nothing here may fail it."""
        if not committed:
            look.close()
            return
        counted: Future[dict[str, int] | None] = Future()

        def collect() -> None:  # the import has returned: this waits, not the user
            found = None
            try:
                found = look.result()
                look.close()
            except Exception:  # the count is lost, not the import: a look after it counts
                log.exception("the names-alike worker could not be read")
            finally:
                counted.set_result(found)

        try:
            threading.Thread(target=collect, name="alike-count", daemon=True).start()
        except RuntimeError:  # no thread to spare: the look comes after the import
            look.close()
            return
        ctx.report.alike = counted

    ctx.ended.append(ended)
    return look


def _table(model: Any) -> Table:
    return Base.metadata.tables[model.__tablename__]


def _batches(rows: Iterable[Row], records: int) -> Iterator[list[Row]]:
    """The rows (of a file of so many ``records``) in batches, halving over the file's last
    ones: the writer writes the last batch after every row is checked, while the import
    waits, so a small one keeps that wait short."""
    taken, done = iter(rows), 0
    while batch := list(islice(taken, max(min(_BATCH, (records - done) // 2),
                                          min(_LAST_BATCH, _BATCH)))):
        done = batch[-1].record.number
        yield batch


def _person(name: str, company: str) -> str:
    return f"{name}\x1f{company}"  # a unit separator: in no name


def _channel_keys_held(session: Session, owner: Any) -> dict[str, set[str]]:
    """The keys of the phones and emails of the records ``owner`` (a column of channels)
    names: alive or not, as a new record's may not repeat them."""
    known: dict[str, set[str]] = defaultdict(set)
    for kind, key in session.execute(select(Channel.kind, Channel.key)
                                     .where(owner.is_not(None), Channel.key != "")):
        known[kind].add(key)
    return known


def _unique(values: list[str]) -> list[str]:
    return values if len(values) < 2 else list(dict.fromkeys(values))


def _channel_rows(entity: str, ident: int, row: Row) -> list[dict[str, Any]]:
    owner = {"company_id": ident if entity == "company" else None,
             "contact_id": ident if entity == "contact" else None}
    values = [("phone", p, validation.phone_key(p)) for p in row.values.get("phone", ())]
    values += [("email", e, e.casefold()) for e in row.values.get("email", ())]
    return [{**owner, "kind": kind, "value": value, "key": key, "position": n,
             "verified_at": None, "verified_by_id": None}
            for n, (kind, value, key) in enumerate(values)]
