"""Names alike among the contacts of one company: each colleague compared with each in a
company of ordinary size, within blocks in a very big one, and the shortcuts that make a
look over 100,000 contacts take a second giving what the full scoring gives."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from funneldesk.collation import sort_key
from funneldesk.services import Services
from funneldesk.services.customers import names
from funneldesk.services.customers.name_pairs import (
    BLOCK_LIMIT,
    NAME_THRESHOLD,
    Colleagues,
    _reachable,
    _spelt_alike,
    colleague_pairs,
)
from funneldesk.services.customers.records import CompanyFields, ContactFields
from funneldesk.services.dto import Actor


def _person(ident: int, name: str, company: int = 1) -> tuple[int, str, int, str]:
    return ident, name, company, sort_key(name, person=True)


def test_a_name_written_in_the_other_order_is_found_at_the_same_company_only(
        services: Services, manager: Actor) -> None:
    """Li Na and Na Li share no word of three letters, so no blocking key: a company of
    ordinary size compares every colleague with every other."""
    add = services.customers.add_company
    moon, sun = (add(CompanyFields(name=n), by=manager).id for n in ("Moon Ltd", "Sun Ltd"))
    first = services.customers.add_contact(ContactFields(name="Li Na", company_id=moon),
                                           by=manager)
    services.customers.add_contact(ContactFields(name="Na Li", company_id=sun), by=manager)
    found = services.duplicates.matches_for_contact(ContactFields(name="Na Li",
                                                                  company_id=moon))
    assert [(m.id, m.score) for m in found] == [(first.id, 100.0)]
    assert services.duplicates.find_all("contact") == []  # the two are at two companies
    services.customers.add_contact(ContactFields(name="NA LI", company_id=moon), by=manager)
    groups = services.duplicates.find_all("contact")
    assert [sorted(m.name for m in g.members) for g in groups] == [["Li Na", "NA LI"]]


def test_a_company_bigger_than_the_block_limit_is_compared_within_blocks() -> None:
    people = [_person(n, f"Person Number{n:04d} Staff", 7) for n in range(1, BLOCK_LIMIT + 50)]
    people += [_person(900, "Xiaoming Wang", 7), _person(901, "Xiaoming  WANG.", 7),
               _person(902, "Wang Xiaoming", 8)]  # another company
    pairs = {(a, b) for a, b, _score in colleague_pairs(people)}
    assert (900, 901) in pairs
    assert not any(902 in pair for pair in pairs)
    assert all(score >= NAME_THRESHOLD for *_ids, score in colleague_pairs(people))


def test_a_name_read_alike_is_paired_by_its_sound_and_only_for_new_ones_when_asked() -> None:
    people = [_person(1, "王小明"), _person(2, "王晓明"), _person(3, "汪晓明"),
              _person(4, "王 小明"), _person(5, "王伟"), _person(6, "王玮")]
    pairs = {(a, b): score for a, b, score in colleague_pairs(people)}
    # 王 小明 is 王小明 written with a space (100); 汪 is another family; two-character
    # names read alike are as often two people
    assert pairs == {(1, 4): 100.0, (1, 2): 90.0, (2, 4): 90.0}
    assert {(a, b) for a, b, _s in colleague_pairs(people, new=lambda i: i == 2)} == {
        (1, 2), (2, 4)}


cjk = st.text(alphabet="王李张伟小明晓北京星辰公司集团有限欧阳", min_size=1, max_size=7)


@st.composite
def colleagues(draw: st.DrawFn) -> list[str]:
    """Names and near copies of them (a character added, dropped or changed; words
    swapped): the pairs that score high without being the same."""
    spelt = draw(st.lists(st.one_of(cjk, st.text(alphabet="abc ", min_size=1, max_size=9)),
                          min_size=1, max_size=6))
    for name in list(spelt):
        at = draw(st.integers(0, len(name)))
        spelt.append(draw(st.sampled_from([
            name[:at] + "李" + name[at:], name[:at] + name[at + 1:],
            name[:at] + "x" + name[at + 1:], " ".join(reversed(name.split())) or name])))
    return [name for name in spelt if name.strip()]


@settings(max_examples=500, deadline=None)
@given(colleagues(), st.sampled_from([80.0, NAME_THRESHOLD, 95.0]))
def test_short_names_give_the_pairs_the_full_scoring_gives(spelt: list[str],
                                                           min_score: float) -> None:
    named = list(enumerate(spelt, start=1))
    if len(named) < 2:
        return
    scores = process.cdist(spelt, spelt, scorer=fuzz.token_sort_ratio, score_cutoff=min_score)
    full = {(a + 1, b + 1) for a, b in zip(*scores.nonzero(), strict=True) if a < b}
    assert {(a, b) for a, b, _s in _spelt_alike(named, min_score)} == full


@settings(max_examples=300, deadline=None)
@given(cjk)
def test_a_plain_chinese_name_has_the_core_the_full_normalising_gives(name: str) -> None:
    # a leading space takes the long way (NFKC, case folding, brackets, spaces)
    assert names.core(name) == names.core(" " + name)


@pytest.mark.parametrize(("name", "core"), [
    ("北京星辰科技有限公司", "星辰科技"), ("星辰集团", "星辰"), ("北京", "北京"), ("公司", "公司"),
    ("王伟", "王伟")])
def test_the_core_of_a_plain_chinese_name(name: str, core: str) -> None:
    assert names.core(name) == core


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.one_of(cjk, st.text(alphabet="abc ", min_size=1, max_size=9)),
                          st.integers(1, 3)), min_size=1, max_size=30),
       st.integers(0, 30), st.sampled_from([80.0, NAME_THRESHOLD, 95.0]))
def test_colleagues_taken_a_batch_at_a_time_give_the_pairs_of_all_at_once(
        drawn: list[tuple[str, int]], old: int, min_score: float) -> None:
    """What an import's worker finds as its rows arrive is what the look after it finds."""
    people = [_person(n, name, company) for n, (name, company) in enumerate(drawn, start=1)]
    assert_taken_in_batches_as_all_at_once(people, old, min_score, batch=4)


def assert_taken_in_batches_as_all_at_once(people: list[tuple[int, str, int, str]], old: int,
                                           min_score: float, batch: int) -> None:
    """The first ``old`` people there before, the others made ``batch`` at a time."""
    taken = Colleagues(min_score)
    taken.add(people[:old], new=False)
    for start in range(old, len(people), batch):
        taken.add(people[start:start + batch], new=True)
    new = (lambda ident: ident > old)  # noqa: E731 - as the look's ``new`` is
    assert {(a, b): s for a, b, s in taken.pairs(new)} == {
        (a, b): s for a, b, s in colleague_pairs(people, min_score, new)}


@settings(max_examples=300, deadline=None)
@given(colleagues(), st.integers(0, 12),
       st.sampled_from([80.0, NAME_THRESHOLD, 95.0, 30.0]), st.randoms())
def test_colleagues_alike_taken_a_batch_at_a_time_give_the_pairs_of_all_at_once(
        spelt: list[str], old: int, min_score: float, rng: random.Random) -> None:
    """As above, with names and near copies of them at one company (long beside short,
    words swapped): the pairs whose lengths differ are the ones a shortcut could miss."""
    rng.shuffle(spelt)
    people = [_person(n, name) for n, name in enumerate(spelt, start=1)]
    assert_taken_in_batches_as_all_at_once(people, min(old, len(people) - 1), min_score,
                                           batch=3)


@pytest.mark.parametrize("min_score", [NAME_THRESHOLD, 95.0, 80.0, 60.0, 40.0, 20.0, 5.0,
                                       88.88888888888889, 66.66666666666667, 1.0])
def test_no_length_that_can_reach_the_score_is_left_out(min_score: float) -> None:
    """The closest two different names of lengths a and b can be: b - a letters added,
    or one changed at equal lengths. Whenever rapidfuzz scores them high enough, the
    length is one ``Colleagues`` compares with."""
    for first in range(1, 41):
        reachable = _reachable(first, min_score)
        for second in range(1, int(first * 200 / min_score) + 2):
            other = "a" * (first - 1) + "b" if first == second else "a" * second
            if fuzz.ratio("a" * first, other) >= min_score:
                assert second in reachable, (first, second)


@pytest.mark.parametrize("old", [0, 120, BLOCK_LIMIT + 10])
def test_a_company_grown_past_the_block_limit_is_compared_within_blocks_at_the_end(
        old: int) -> None:
    """Whether it was big before the import, or grew past the limit during it."""
    people = [_person(n, f"Person Number{n:04d} Staff", 7) for n in range(1, BLOCK_LIMIT + 50)]
    people += [_person(n + 400, name, 7) for n, name in enumerate(
        ("Xiaoming Wang", "Xiaoming  WANG.", "王小明", "王晓明", "王 小明", "李伟", "李 伟"))]
    people += [_person(500, "Xiaoming Wang", 8)]  # another company
    taken = Colleagues()
    taken.add(people[:old], new=False)
    for start in range(old, len(people), 60):
        taken.add(people[start:start + 60], new=True)

    def new(ident: int) -> bool:
        return ident > old

    assert {(a, b): s for a, b, s in taken.pairs(new)} == {
        (a, b): s for a, b, s in colleague_pairs(people, NAME_THRESHOLD, new)}
    assert {(400, 401), (402, 403), (402, 404), (405, 406)} <= {
        (a, b) for a, b, _s in taken.pairs(new)}
