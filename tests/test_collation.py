"""Names in the order a Chinese reader expects: pinyin for Chinese characters, beside the
Latin letters they are spelt with."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from funneldesk.collation import sort_key, sort_keys
from funneldesk.paths import RESOURCES

ROOT = Path(__file__).resolve().parent.parent


def test_chinese_names_sort_by_pinyin_among_latin_ones() -> None:
    names = ["上海明远贸易", "北京星辰科技", "Apple", "阿里巴巴", "西安电子", "先锋电器",
             "广州", "Zebra Ltd.", "绿地集团", "3M 中国"]
    assert sorted(names, key=sort_key) == [
        "3M 中国", "阿里巴巴", "Apple", "北京星辰科技", "广州", "绿地集团", "上海明远贸易",
        "西安电子", "先锋电器", "Zebra Ltd."]


@pytest.mark.parametrize(("name", "key"), [
    # pinned: a change here needs a migration that rewrites every stored key
    ("北京", "bei3jing1"), ("绿地", "lv4di4"), ("长沙明远", "chang2sha1ming2yuan3"),
    ("重庆", "chong2qing4"), ("厦门", "xia4men2"), ("ＡＢＣ公司", "abcgong1si1"),
    ("Summit Inc.", "summit inc"), ("Émile Bakery", "emile bakery"), ("Øresund", "oresund"),
    ("《读者》杂志社", "du2zhe3za2zhi4she4"),
])
def test_keys_are_stable(name: str, key: str) -> None:
    assert sort_key(name) == key


def test_accents_and_punctuation_do_not_send_a_name_after_z() -> None:
    names = ["Zürich Re", "Ålesund Fish", "Émile Bakery", "Øresund", "délice Co",
             "Denver Inc", "“东方”贸易公司", "《读者》杂志社"]
    assert sorted(names, key=sort_key) == [
        "Ålesund Fish", "délice Co", "Denver Inc", "“东方”贸易公司", "《读者》杂志社",
        "Émile Bakery", "Øresund", "Zürich Re"]


def test_a_word_at_the_start_takes_its_reading_as_a_word() -> None:
    # 长 alone is most often zhang3 (长大), in 长沙 chang2; 重 is zhong4 (重要), in 重庆 chong2
    assert sorted(["长沙", "张家口", "重庆", "中山"], key=sort_key) == [
        "长沙", "重庆", "张家口", "中山"]


def test_a_persons_surname_takes_its_reading_as_a_surname() -> None:
    people = ["曾国藩", "张三", "单田芳", "李四", "长孙无忌", "陈明"]
    assert sorted(people, key=lambda n: sort_key(n, person=True)) == [
        "长孙无忌", "陈明", "李四", "单田芳", "曾国藩", "张三"]
    assert sort_key("单田芳") != sort_key("单田芳", person=True)


def test_many_names_are_keyed_as_each_one_is() -> None:
    names = ["北京", "line\nbreak", "", "曾国藩", "长沙", "ｆｕｌｌ", "Ünïcode"]
    for person in (False, True):
        assert sort_keys(names, person=person) == [sort_key(n, person=person) for n in names]
    assert sort_key("line\nbreak") == "line break"


def test_the_table_is_what_the_script_writes_from_pypinyin() -> None:
    spec = importlib.util.spec_from_file_location("pinyin_table",
                                                  ROOT / "scripts" / "pinyin_table.py")
    assert spec is not None
    assert spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    shipped = (RESOURCES / "collation" / "pinyin.txt").read_text(encoding="utf-8")
    assert shipped == script.generate()


def test_the_table_and_the_rules_are_those_the_stored_keys_were_written_with() -> None:
    """Keys already stored were written with these (migration 0010). If this fails, what
    a key is has changed: add a migration that writes every key anew
    (collation.rewrite_keys), then pin the new digests here."""
    from funneldesk import collation

    _chars, _words, plain = collation._tables()
    rules = json.dumps([collation._SURNAMES, collation._COMPOUND_SURNAMES,
                        collation._LETTERS, sorted(plain)], ensure_ascii=False, sort_keys=True)
    table = (RESOURCES / "collation" / "pinyin.txt").read_bytes()
    assert hashlib.sha256(table).hexdigest() == (
        "981538d4d096185c9c7d38050db5945700b761867e0da4a1f3829e1c1017e801")
    assert hashlib.sha256(rules.encode()).hexdigest() == (
        "5da5fe41556c3f2dec227e825a9a6efaa57111018d05acf0a0ff48eac769b8a5")


def test_what_a_key_drops_and_makes_plain_is_the_rules_for_every_character() -> None:
    """Two scans stand in for a translation by the rules' table (``plain``), which looked
    up every character of every name: for every character, the same text."""
    from funneldesk import collation

    _chars, _words, plain = collation._tables()
    every = "".join(chr(p) for p in range(0x110000) if not 0xD800 <= p <= 0xDFFF)
    assert collation._made_plain(every) == every.translate(plain)
    assert collation._made_plain("ørsted《读者》") == "orsted读者"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["张伟", "曾伟", "长沙", "Élodie", "王 芳", "单", ""])
                         | st.text(max_size=5), max_size=8), max_size=4),
       st.booleans())
def test_keys_kept_between_batches_are_the_keys_each_name_has(
        batches: list[list[str]], person: bool) -> None:
    """An import keys its rows a batch at a time, keeping the keys of names seen before."""
    known: dict[str, str] = {}
    for names in batches:
        assert sort_keys(names, person=person, known=known) == sort_keys(names, person=person)
    assert all(known[name] == sort_key(name, person=person) for name in known)
