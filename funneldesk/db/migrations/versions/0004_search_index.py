"""the search-everything index, filled with every deal not in the Trash

Revision ID: 0004
Revises: 0003

- search_docs: one row per findable record (kind, record id, title, normalised title and
  text, archived);
- search_fts: an FTS5 table with the trigram tokenizer over the normalised text (queries
  of three or more characters);
- search_terms: CJK bigrams, each CJK run's last character and the first one and two
  letters of other words, keyed (term, doc id), for one- and two-character queries;
- search_recent: when each user last opened a record from the search.

services/common/search_index.py describes the index; the deals are written through the
pipeline area's own indexer, as every later change to a deal is.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import funneldesk.models.base

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'search_docs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('norm_title', sa.Text(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('archived', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_docs')),
        sa.UniqueConstraint('kind', 'record_id', name=op.f('uq_search_docs_kind_record_id')),
    )
    op.create_index('ix_search_docs_norm_title', 'search_docs', ['norm_title'], unique=False)
    op.create_table(
        'search_terms',
        sa.Column('term', sa.String(length=8), nullable=False),
        sa.Column('doc_id', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('term', 'doc_id', name=op.f('pk_search_terms')),
        sqlite_with_rowid=False,
    )
    op.create_table(
        'search_recent',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('opened_at', funneldesk.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_search_recent_user_id_users')),
        sa.PrimaryKeyConstraint('user_id', 'kind', 'record_id', name=op.f('pk_search_recent')),
    )
    op.create_index('ix_search_recent_user_opened', 'search_recent', ['user_id', 'opened_at'],
                    unique=False)
    op.execute("CREATE VIRTUAL TABLE search_fts USING fts5(body, tokenize='trigram')")

    from funneldesk.services.pipeline.search import rebuild_deal_index

    raw = op.get_bind().connection.driver_connection  # sqlite3, inside this transaction
    assert raw is not None
    rebuild_deal_index(raw)


def downgrade() -> None:
    op.execute("DROP TABLE search_fts")
    op.drop_index('ix_search_recent_user_opened', table_name='search_recent')
    op.drop_table('search_recent')
    op.drop_table('search_terms')
    op.drop_index('ix_search_docs_norm_title', table_name='search_docs')
    op.drop_table('search_docs')
