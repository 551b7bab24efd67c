"""Sort keys that put names in the order a Chinese reader expects: Chinese characters by
their pinyin, interleaved with Latin letters (阿里巴巴 beside Apple, 北京… before 上海…).

A key is computed when a name is written and kept beside it (``sort_name``), so that the
lists sort in SQL with an index. A character takes its most common reading; a name's
first two characters take their reading as a word where that differs (长沙 chang2sha1,
重庆 chong2qing4), and a person's surname its reading as a surname (曾 zeng1, 单 shan4).
The readings are pypinyin's, kept in resources/collation/pinyin.txt
(scripts/pinyin_table.py writes it).

A stored key must not change: rows keyed by two versions of this module do not sort
together. Changing what the key of any name is (this module or the table) therefore
needs a migration that rewrites every stored key; tests/test_collation.py pins
examples.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from functools import cache, lru_cache

from funneldesk.paths import RESOURCES

# surnames read otherwise than the character's most common reading; compound surnames
# are read as a whole
_SURNAMES = {
    "曾": "zeng1", "单": "shan4", "解": "xie4", "仇": "qiu2", "朴": "piao2", "区": "ou1",
    "查": "zha1", "覃": "qin2", "翟": "zhai2", "乐": "yue4", "缪": "miao4", "盖": "ge3",
    "召": "shao4", "种": "chong2", "员": "yun4", "宓": "fu2", "隗": "wei3", "繁": "po2",
    "秘": "bi4", "折": "she2", "句": "gou1", "重": "chong2", "华": "hua4", "任": "ren2",
    "纪": "ji3", "燕": "yan1", "葛": "ge3", "过": "guo1", "薄": "bo2", "长": "chang2",
    "令": "ling2",
}
_COMPOUND_SURNAMES = {"长孙": "chang2sun1", "令狐": "ling2hu2", "尉迟": "yu4chi2",
                      "万俟": "mo4qi2", "澹台": "tan2tai2", "单于": "chan2yu2"}


def sort_key(name: str, *, person: bool = False) -> str:
    """The key ``name`` sorts by: folded to lower case without accents (É as e, ø as o)
    or punctuation (《读者》 as 读者), each Chinese character as its pinyin with the
    tone's number (北京 -> bei3jing1). The digit ends each syllable, so 西安 (xi1an1)
    sorts before 先 (xian1), as in a dictionary."""
    return sort_keys([name], person=person)[0]


def sort_keys(names: list[str], *, person: bool = False,
              known: dict[str, str] | None = None) -> list[str]:
    """``sort_key`` of each name, in a few passes over all of them at once (an import
    keys 100,000 names). ``known``: the keys of names keyed before, which gets those
    keyed now (a file names many people alike: 张伟, 王芳)."""
    if known is None:
        return _sort_keys(names, person)
    missing = list(set(names).difference(known))
    if missing:
        known.update(zip(missing, _sort_keys(missing, person), strict=True))
    return list(map(known.__getitem__, names))


def _sort_keys(names: list[str], person: bool) -> list[str]:
    if not names:  # the passes would find one name, ""
        return []
    chars, words, _plain = _tables()
    if any("\n" in name for name in names):  # the passes split on it
        names = [name.replace("\n", " ") for name in names]
    # NFKD: full-width letters as ASCII, accents apart from their letters (then dropped)
    cleaned = _made_plain(unicodedata.normalize("NFKD", "\n".join(names)).casefold())
    folded = cleaned.split("\n")
    keys = cleaned.translate(chars).split("\n")
    lead_words = _COMPOUND_SURNAMES if person else words
    for n, text in enumerate(folded):
        lead = lead_words.get(text[:2])
        if lead is not None:
            keys[n] = lead + text[2:].translate(chars)
        elif person and text[:1] in _SURNAMES:
            keys[n] = _SURNAMES[text[0]] + text[1:].translate(chars)
    return keys


@lru_cache(maxsize=65_536)
def _text_key(text: str | None) -> str | None:
    return None if text is None else sort_key(text)


def add_sql_function(conn: sqlite3.Connection) -> None:
    """Gives ``conn`` the SQL function ``sort_key(text)``: the columns with few distinct
    values and no stored key (a city, an industry, a job title) sort by it. The keys are
    kept in memory, so that a sort of 50,000 rows computes each distinct value's once."""
    conn.create_function("sort_key", 1, _text_key, deterministic=True)


def rewrite_keys(conn: sqlite3.Connection, table: str, *, person: bool,
                 batch: int = 20_000) -> None:
    """Writes the ``sort_name`` of every row of ``table`` (companies, or contacts with
    ``person``) anew, ``batch`` rows at a time: what a migration that stores keys, or
    changes what they are, runs inside its transaction."""
    after = 0
    while rows := conn.execute(f"SELECT id, name FROM {table} WHERE id > ? ORDER BY id "
                               "LIMIT ?", (after, batch)).fetchall():
        keys = sort_keys([str(name) for _id, name in rows], person=person)
        conn.executemany(f"UPDATE {table} SET sort_name = ? WHERE id = ?",
                         [(key, ident) for key, (ident, _n) in zip(keys, rows, strict=True)])
        after = rows[-1][0]


def _made_plain(text: str) -> str:
    """``text.translate(plain)`` (see ``_tables``), in two scans that seldom find anything:
    translate looks up every character, which took a fifth of the keying of 100,000
    names."""
    dropped, letters, letter_table = _plain_patterns()
    text = dropped.sub("", text)
    return text.translate(letter_table) if letters.search(text) else text


@cache
def _plain_patterns() -> tuple[re.Pattern[str], re.Pattern[str], dict[int, str]]:
    """What ``plain`` drops, and the letters it makes plain: as patterns, and the
    letters as a table."""
    _chars, _words, plain = _tables()
    runs: list[list[int]] = []
    for point in sorted(p for p, to in plain.items() if to is None):
        if runs and runs[-1][1] == point - 1:
            runs[-1][1] = point
        else:
            runs.append([point, point])
    dropped = "".join(re.escape(chr(first)) + (f"-{re.escape(chr(last))}" if last > first else "")
                      for first, last in runs)
    letter_table = {p: to for p, to in plain.items() if to is not None}
    letters = "".join(re.escape(chr(p)) for p in sorted(letter_table))
    return re.compile(f"[{dropped}]"), re.compile(f"[{letters}]"), letter_table


# Latin letters that no decomposition takes to a plain one
_LETTERS = {"ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ł": "l", "þ": "th", "ð": "d",
            "ı": "i", "ŋ": "n"}


@cache
def _tables() -> tuple[dict[int, str], dict[str, str], dict[int, str | None]]:
    """The readings of characters (for ``str.translate``) and of two-character words;
    what a name loses or becomes before it is read (accents and punctuation dropped,
    the letters above made plain)."""
    plain: dict[int, str | None] = {
        point: None for point in range(0x10000)
        if unicodedata.category(chr(point))[0] == "P" or unicodedata.combining(chr(point))}
    plain.update({ord(k): v for k, v in _LETTERS.items()})
    chars: dict[int, str] = {}
    words: dict[str, str] = {}
    text = (RESOURCES / "collation" / "pinyin.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("@"):
            first, _space, readings = line[1:].partition(" ")
            start = int(first, 16)
            chars.update(zip(range(start, start + readings.count(" ") + 1),
                             readings.split(" "), strict=True))
        elif line.startswith("="):
            word, _space, read = line[1:].partition(" ")
            words[word] = read
    return chars, words, plain
