"""The search-everything index (services/common/search_index.py says how it is kept) and
each user's recently opened records.

The FTS5 table ``search_fts`` (and the shadow tables SQLite keeps for it) is created by
migration 0004 and has no model: SQLAlchemy cannot describe a virtual table.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from funneldesk.models.base import Base, UTCDateTime, utcnow


class SearchDoc(Base):
    """One findable record: a deal (later companies, contacts, quotes, contracts)."""

    __tablename__ = "search_docs"
    __table_args__ = (
        UniqueConstraint("kind", "record_id"),
        # exact and prefix matches of the title come from this index
        Index("ix_search_docs_norm_title", "norm_title"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int]
    title: Mapped[str] = mapped_column(Text)  # as shown
    norm_title: Mapped[str] = mapped_column(Text)  # normalised (search_index.normalise)
    body: Mapped[str] = mapped_column(Text)  # the normalised text it is found by
    archived: Mapped[bool] = mapped_column(default=False, server_default=false())


class SearchTerm(Base):
    """A short-query term of a record (a CJK bigram, a run's last character, the first one
    or two letters of a word): one- and two-character queries read this table's key."""

    __tablename__ = "search_terms"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 - SQLAlchemy reads a dict

    term: Mapped[str] = mapped_column(String(8), primary_key=True)
    doc_id: Mapped[int] = mapped_column(primary_key=True)  # search_docs.id; no foreign key,
    # which would need a second index over millions of rows (terms are removed by key)


class SearchRecent(Base):
    """When a user last opened a record from the search: first among equal matches."""

    __tablename__ = "search_recent"
    __table_args__ = (Index("ix_search_recent_user_opened", "user_id", "opened_at"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    record_id: Mapped[int] = mapped_column(primary_key=True)
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
