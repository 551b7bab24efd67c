"""customers: profiles, channels, tags, lead sources, products, the public pool, merges

Revision ID: 0007
Revises: 0006

- companies and contacts get their profiles (industry, region, credit code, owner,
  key level, lead source, consumer profile, consent ...).
- Phones and emails move into ``channels``, one row each, with what duplicates are matched
  on (E.164, or the address in lower case) and who verified them. Values typed before
  validation existed are kept as typed; one that does not parse gets no key.
- Lead sources become a managed list seeded with the usual channels; a deal's free-text
  source is matched to it by its English or Chinese name, or becomes a source of its own.
- Each company is owned by the owner of its newest deal (else whoever created it), each
  contact by its company's owner; their pool clock starts at their newest deal's change.

This file is frozen: it imports no FunnelDesk code but the column types, since the live
code may change after it.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import funneldesk.models.base

# (code, English label, other names a deal's free-text source may have used)
SEEDS = (
    ("wechat", "WeChat", ("微信",)),
    ("wecom", "WeCom", ("企业微信", "企微")),
    ("weibo", "Weibo", ("微博",)),
    ("douyin", "Douyin", ("抖音", "TikTok")),
    ("website", "Website", ("官网", "网站", "Web")),
    ("trade_show", "Trade show", ("展会", "Exhibition")),
    ("seminar", "Seminar", ("研讨会", "会议")),
    ("partner_referral", "Partner referral", ("合作伙伴", "合作伙伴推荐", "Partner")),
    ("purchased_list", "Purchased list", ("购买名单", "外购名单")),
    ("cold_call", "Cold call", ("电话营销", "陌生电话", "陌拜")),
    ("other", "Other", ("其他", "其它")),
)

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('lead_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_sources')),
    sa.UniqueConstraint('code', name=op.f('uq_lead_sources_code'))
    )
    op.create_table('products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('is_sample', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('name', name=op.f('uq_products_name'))
    )
    op.create_table('tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tags')),
    sa.UniqueConstraint('name', name=op.f('uq_tags_name'))
    )
    op.create_table('merges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=10), nullable=False),
    sa.Column('kept_id', sa.Integer(), nullable=False),
    sa.Column('merged_id', sa.Integer(), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('undone_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_merges_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merges'))
    )
    op.create_table('pool_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=10), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('owner_before_id', sa.Integer(), nullable=True),
    sa.Column('at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_pool_events_by_id_users')),
    sa.ForeignKeyConstraint(['owner_before_id'], ['users.id'], name=op.f('fk_pool_events_owner_before_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pool_events'))
    )
    with op.batch_alter_table('pool_events', schema=None) as batch_op:
        batch_op.create_index('ix_pool_events_record', ['entity', 'record_id', 'id'], unique=False)

    op.create_table('segments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('query', sa.Text(), nullable=False),
    sa.Column('created_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_segments_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_segments'))
    )
    op.create_table('company_tags',
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_company_tags_company_id_companies')),
    sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_company_tags_tag_id_tags')),
    sa.PrimaryKeyConstraint('company_id', 'tag_id', name=op.f('pk_company_tags'))
    )
    with op.batch_alter_table('company_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_tags_tag_id'), ['tag_id'], unique=False)

    op.create_table('channels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('verified_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('phone', 'email')", name=op.f('ck_channels_kind')),
    sa.CheckConstraint('(company_id IS NULL) <> (contact_id IS NULL)', name=op.f('ck_channels_one_owner')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_channels_company_id_companies')),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_channels_contact_id_contacts')),
    sa.ForeignKeyConstraint(['verified_by_id'], ['users.id'], name=op.f('fk_channels_verified_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channels'))
    )
    with op.batch_alter_table('channels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_channels_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_channels_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index('ix_channels_kind_key', ['kind', 'key'], unique=False)

    op.create_table('contact_tags',
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_contact_tags_contact_id_contacts')),
    sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_contact_tags_tag_id_tags')),
    sa.PrimaryKeyConstraint('contact_id', 'tag_id', name=op.f('pk_contact_tags'))
    )
    with op.batch_alter_table('contact_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_tags_tag_id'), ['tag_id'], unique=False)

    bind = op.get_bind()
    _seed_lead_sources(bind)
    _move_channels(bind)
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_id', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('industry', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('segment', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('size', sa.String(length=30), server_default='', nullable=False))
        batch_op.add_column(sa.Column('country', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('province', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('city', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('website', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('credit_code', sa.String(length=18), server_default='', nullable=False))
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('key_level', sa.String(length=1), server_default='', nullable=False))
        batch_op.add_column(sa.Column('lead_source_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('campaign', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('notes', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('touched_at', funneldesk.models.base.UTCDateTime(timezone=True), server_default='1970-01-01 00:00:00.000000', nullable=False))
        batch_op.add_column(sa.Column('pooled_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_companies_credit_code'), ['credit_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_companies_external_id'), ['external_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_companies_owner_id'), ['owner_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_companies_owner_id_users'), 'users', ['owner_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_companies_merged_into_id_companies'), 'companies', ['merged_into_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_companies_lead_source_id_lead_sources'), 'lead_sources', ['lead_source_id'], ['id'])
        batch_op.drop_column('email')
        batch_op.drop_column('phone')

    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_id', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('role', sa.String(length=20), server_default='', nullable=False))
        batch_op.add_column(sa.Column('wechat', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('lead_source_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('campaign', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('notes', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('age_band', sa.String(length=20), server_default='', nullable=False))
        batch_op.add_column(sa.Column('gender', sa.String(length=20), server_default='', nullable=False))
        batch_op.add_column(sa.Column('occupation', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('income_band', sa.String(length=30), server_default='', nullable=False))
        batch_op.add_column(sa.Column('education', sa.String(length=30), server_default='', nullable=False))
        batch_op.add_column(sa.Column('preferences', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('decision_process', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('loyalty', sa.String(length=30), server_default='', nullable=False))
        batch_op.add_column(sa.Column('data_origin', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('consent', sa.String(length=10), server_default='unknown', nullable=False))
        batch_op.add_column(sa.Column('consent_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('touched_at', funneldesk.models.base.UTCDateTime(timezone=True), server_default='1970-01-01 00:00:00.000000', nullable=False))
        batch_op.add_column(sa.Column('pooled_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_contacts_external_id'), ['external_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_wechat'), ['wechat'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_contacts_merged_into_id_contacts'), 'contacts', ['merged_into_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_contacts_lead_source_id_lead_sources'), 'lead_sources', ['lead_source_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_contacts_owner_id_users'), 'users', ['owner_id'], ['id'])
        batch_op.drop_column('email')
        batch_op.drop_column('phone')

    _own_and_touch(bind)
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lead_source_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('campaign', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('product_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('external_id', sa.String(length=100), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_deals_external_id'), ['external_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_deals_product_id_products'), 'products', ['product_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_deals_lead_source_id_lead_sources'), 'lead_sources', ['lead_source_id'], ['id'])



    _deal_sources(bind)
    with op.batch_alter_table('deals') as batch_op:
        batch_op.drop_column('lead_source')


def downgrade() -> None:
    raise NotImplementedError("FunnelDesk upgrades only; restore the copy saved before the upgrade")


def _seed_lead_sources(bind: sa.Connection) -> None:
    for position, (code, label, _names) in enumerate(SEEDS):
        bind.execute(sa.text("INSERT INTO lead_sources (code, label, position, active) "
                             "VALUES (:code, :label, :position, 1)"),
                     {"code": code, "label": label, "position": position})


def _phone(text: str, region: str) -> tuple[str, str]:
    """The number as kept (E.164, then ";ext=" and its extension) and its key (E.164);
    a number that does not parse is kept as typed, with no key."""
    import phonenumbers

    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return text, ""
    if not phonenumbers.is_valid_number(number):
        return text, ""
    e164 = str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    return (f"{e164};ext={number.extension}" if number.extension else e164), e164


def _move_channels(bind: sa.Connection) -> None:
    setting = bind.execute(sa.text(
        "SELECT value FROM team_settings WHERE key = 'phone_region'")).scalar()
    region = setting or "CN"
    rows = []
    for table, owner in (("companies", "company_id"), ("contacts", "contact_id")):
        for ident, phone, email in bind.execute(sa.text(
                f"SELECT id, phone, email FROM {table} ORDER BY id")):
            phone, email = (phone or "").strip(), (email or "").strip()
            if phone:
                value, key = _phone(phone, region)
                rows.append({"owner": owner, "id": ident, "kind": "phone",
                             "value": value, "key": key})
            if email:
                rows.append({"owner": owner, "id": ident, "kind": "email", "value": email,
                             "key": email.lower() if "@" in email else ""})
    for owner in ("company_id", "contact_id"):
        mine = [r for r in rows if r["owner"] == owner]
        if mine:
            bind.execute(sa.text(
                f"INSERT INTO channels ({owner}, kind, value, key, position) "
                "VALUES (:id, :kind, :value, :key, 0)"), mine)


def _own_and_touch(bind: sa.Connection) -> None:
    bind.execute(sa.text("""
        UPDATE companies SET
            owner_id = coalesce(
                (SELECT owner_id FROM deals WHERE deals.company_id = companies.id
                 ORDER BY created_at DESC, id DESC LIMIT 1), created_by_id),
            touched_at = max(created_at, coalesce(
                (SELECT max(updated_at) FROM deals WHERE deals.company_id = companies.id),
                created_at))"""))
    bind.execute(sa.text("""
        UPDATE contacts SET
            owner_id = coalesce(
                (SELECT owner_id FROM companies WHERE companies.id = contacts.company_id),
                created_by_id),
            touched_at = max(created_at, coalesce(
                (SELECT touched_at FROM companies WHERE companies.id = contacts.company_id),
                created_at))"""))


def _deal_sources(bind: sa.Connection) -> None:
    known: dict[str, int] = {}
    for ident, code in bind.execute(sa.text("SELECT id, code FROM lead_sources")):
        for seed, label, names in SEEDS:
            if seed == code:
                for name in (label, *names):
                    known[name.casefold()] = ident
    texts = [t for (t,) in bind.execute(sa.text(
        "SELECT DISTINCT lead_source FROM deals WHERE trim(lead_source) <> ''"))]
    position = len(SEEDS)
    for text in texts:
        name = text.strip()
        if name.casefold() not in known:
            known[name.casefold()] = bind.execute(sa.text(
                "INSERT INTO lead_sources (code, label, position, active) "
                "VALUES (NULL, :label, :position, 1) RETURNING id"),
                {"label": name, "position": position}).scalar_one()
            position += 1
        bind.execute(sa.text("UPDATE deals SET lead_source_id = :source "
                             "WHERE lead_source = :text"),
                     {"source": known[name.casefold()], "text": text})
