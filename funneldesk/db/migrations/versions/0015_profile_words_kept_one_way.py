"""the consumer profile's usual words are kept one way

Revision ID: 0015
Revises: 0014

A contact's gender, age band, education and loyalty were kept as picked: 女 by a rep
working in Chinese, Female by one working in English, so that a team's filter on one
missed the other. From now on a usual word is kept as its English name and shown in the
reader's language (services/customers/profile_words.py); this writes the values already
there the same way. Any other text is left as it is. No table changes.

This file is frozen: it imports no FunnelDesk code. The words and their Chinese names are
copied here as they were (profile_words.py and the zh_CN catalog);
tests/db/test_migrations_on_data.py checks that the copy keeps what the live code keeps.
"""
import sqlite3
from collections.abc import Sequence

from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# field -> (word as kept, its other ways of writing)
_WORDS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "gender": (("Female", ("女", "女性", "F")), ("Male", ("男", "男性", "M"))),
    "age_band": (("<20", ()),
                 ("20–29", ("20-29", "20~29", "20～29", "20至29")),
                 ("30–39", ("30-39", "30~39", "30～39", "30至39")),
                 ("40–49", ("40-49", "40~49", "40～49", "40至49")),
                 ("50–59", ("50-59", "50~59", "50～59", "50至59")),
                 ("60+", ())),
    "education": (("High school or less", ("高中及以下",)), ("Associate degree", ("大专",)),
                  ("Bachelor's degree", ("本科",)), ("Master's degree", ("硕士",)),
                  ("Doctorate", ("博士",))),
    "loyalty": (("New", ("新客户",)), ("Returning", ("回头客",)), ("Loyal", ("忠实客户",)),
                ("At risk", ("有流失风险",))),
}


def kept_as(field: str) -> dict[str, str]:
    """Each way of writing a usual word of ``field`` (folded) -> the word as kept."""
    return {way.casefold(): word for word, ways in _WORDS[field] for way in (word, *ways)}


def upgrade() -> None:
    raw = op.get_bind().connection.driver_connection  # sqlite3, inside this transaction
    assert isinstance(raw, sqlite3.Connection)
    for field in _WORDS:
        words = kept_as(field)
        changes = [(words[value.strip().casefold()], ident) for ident, value in raw.execute(
            f"SELECT id, {field} FROM contacts WHERE {field} != ''")
            if words.get(value.strip().casefold(), value) != value]
        raw.executemany(f"UPDATE contacts SET {field} = ? WHERE id = ?", changes)


def downgrade() -> None:
    # the words kept are words an older FunnelDesk shows as typed
    pass
