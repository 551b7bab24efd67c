"""Duplicate search: a form is warned of the customer it repeats (same phone, email, WeChat
ID or credit code, or a name written another way), an import checks its rows against the
database and against each other, and Find duplicates groups the whole database without
comparing every pair."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from funneldesk.i18n import set_language
from funneldesk.services import Services
from funneldesk.services.customers.records import CompanyFields, ContactFields, DuplicateMatch
from funneldesk.services.dto import Actor

STAR = CompanyFields(name="北京星辰科技有限公司", phones=("010 6552 9988",),
                     emails=("sales@xingchen.cn",), credit_code="91440300708461136T")


def _reasons(matches: list[DuplicateMatch]) -> list[tuple[int, str]]:
    return [(m.id, m.reason) for m in matches]


def test_a_company_form_finds_the_same_customer_by_each_key_and_by_its_name(
        services: Services, manager: Actor) -> None:
    star = services.customers.add_company(STAR, by=manager).id
    services.customers.add_company(CompanyFields(name="上海月亮贸易有限公司"), by=manager)
    find = services.duplicates.matches_for_company
    # the number written as people write it, another case, spaces in the code
    assert _reasons(find(CompanyFields(name="x", phones=("+86 10 6552 9988",)))) == [
        (star, "phone")]
    assert _reasons(find(CompanyFields(name="x", emails=("SALES@xingchen.CN",)))) == [
        (star, "email")]
    assert _reasons(find(CompanyFields(name="x", credit_code="91440300 708461136t"))) == [
        (star, "credit_code")]
    by_name = find(CompanyFields(name="星辰科技（北京）股份有限公司"))
    assert _reasons(by_name) == [(star, "name")]
    assert by_name[0].score >= 88
    assert find(CompanyFields(name="星辰物流有限公司")) == []
    # the company being edited is not its own duplicate; one key is enough to say so once
    assert find(STAR, exclude_id=star) == []
    assert [(m.reason, m.score) for m in find(STAR)] == [("credit_code", 100.0)]
    assert find(STAR)[0].reason_label() == "The same Unified Social Credit Code."
    set_language("zh_CN")
    assert "统一社会信用代码" in find(STAR)[0].reason_label()


def test_an_english_name_with_another_legal_form_is_found(services: Services,
                                                          manager: Actor) -> None:
    acme = services.customers.add_company(CompanyFields(name="Xingchen Tech Co., Ltd."),
                                          by=manager).id
    matches = services.duplicates.matches_for_company(CompanyFields(name="XINGCHEN TECH INC"))
    assert _reasons(matches) == [(acme, "name")]


def test_a_contact_form_finds_wechat_in_any_case_and_a_namesake_only_at_the_same_company(
        services: Services, manager: Actor) -> None:
    star = services.customers.add_company(STAR, by=manager).id
    moon = services.customers.add_company(CompanyFields(name="月亮贸易"), by=manager).id
    wang = services.customers.add_contact(ContactFields(
        name="王芳", company_id=star, wechat="WangFang_88"), by=manager).id
    find = services.duplicates.matches_for_contact
    assert _reasons(find(ContactFields(name="Fang", wechat="wangfang_88"))) == [
        (wang, "wechat")]
    assert _reasons(find(ContactFields(name="王芳", company_id=star))) == [(wang, "name")]
    assert find(ContactFields(name="王芳", company_id=moon)) == []
    assert find(ContactFields(name="王芳")) == []


def test_deleted_and_merged_records_are_not_offered(services: Services,
                                                    manager: Actor) -> None:
    first = services.customers.add_company(STAR, by=manager)
    second = services.customers.add_company(CompanyFields(name="星辰科技", phones=(
        "010 6552 9988",)), by=manager)
    services.merges.merge("company", first.id, second.id, {}, (1, 1), by=manager)
    matches = services.duplicates.matches_for_company(CompanyFields(
        name="星辰科技", phones=("010 6552 9988",)))
    assert _reasons(matches) == [(first.id, "phone")]
    assert services.duplicates.find_all("company") == []


def test_find_all_groups_companies_linked_by_a_key_or_a_name(services: Services,
                                                             manager: Actor) -> None:
    add = services.customers.add_company
    a = add(STAR, by=manager).id
    b = add(CompanyFields(name="Star Tech", emails=("Sales@xingchen.cn",)), by=manager).id
    c = add(CompanyFields(name="星辰科技（北京）有限公司"), by=manager).id
    d = add(CompanyFields(name="Moon Trading Ltd"), by=manager).id
    e = add(CompanyFields(name="Moon Trading Inc."), by=manager).id
    add(CompanyFields(name="Sun Logistics"), by=manager)
    groups = services.duplicates.find_all("company")
    assert [([m.id for m in g.members], g.reasons) for g in groups] == [
        ([a, b, c], ("email", "name")), ([d, e], ("name",))]


def _plant(db_path: Path, n: int) -> dict[str, set[int]]:
    """``n`` contacts at n / 5 companies, each with its own phone, email and WeChat ID and
    a name unique at its company; then planted duplicates. Returns the planted groups."""
    surnames = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋"
                "唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")
    given = [a + b for a in "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平" for b in "子文华国建红英玉兰海"]
    now = "2026-01-01 00:00:00.000000"
    with closing(sqlite3.connect(db_path)) as conn:
        conn.executemany("INSERT INTO companies (id, name, address, created_at, version) "
                         "VALUES (?, ?, '', ?, 1)",
                         [(i, f"公司{i:05d}", now) for i in range(1, n // 5 + 1)])
        rows = [(i, f"{surnames[i % 50]}{given[(i // 50) % 200]}", 1 + (i - 1) // 5,
                 f"wx_{i:06d}", now) for i in range(1, n + 1)]
        conn.executemany("INSERT INTO contacts (id, name, company_id, wechat, title, "
                         "created_at, version) VALUES (?, ?, ?, ?, '', ?, 1)", rows)
        channels = [(i, "phone", f"+86139{i:08d}", f"+86139{i:08d}") for i in range(1, n + 1)]
        channels += [(i, "email", f"p{i}@example.cn", f"p{i}@example.cn")
                     for i in range(1, n + 1)]
        conn.executemany("INSERT INTO channels (contact_id, kind, value, key, position) "
                         "VALUES (?, ?, ?, ?, 0)", channels)
        # 3 and 9,003 share a number; 9,003 and 15,007 an email: one group of three
        conn.execute("UPDATE channels SET key = '+8613900000003' WHERE contact_id = 9003 "
                     "AND kind = 'phone'")
        conn.execute("UPDATE channels SET key = 'p9003@example.cn' WHERE contact_id = 15007 "
                     "AND kind = 'email'")
        # a WeChat ID written in another case
        conn.execute("UPDATE contacts SET wechat = 'WX_000100' WHERE id = 12000")
        # the same person twice at company 7 (contacts 31 to 35), the name written as
        # the other English way round
        conn.execute("UPDATE contacts SET name = 'John Smith' WHERE id = 31")
        conn.execute("UPDATE contacts SET name = 'Smith John' WHERE id = 33")
        # a common name without a company, many times: no signal without another key
        conn.executemany("INSERT INTO contacts (id, name, title, created_at, version) "
                         "VALUES (?, '张伟', '', ?, 1)",
                         [(n + k, now) for k in range(1, 301)])
        # a deleted record and a merged one share 40's number: neither counts
        conn.execute(f"UPDATE contacts SET deleted_at = '{now}' WHERE id = 50")
        conn.execute("UPDATE contacts SET merged_into_id = 40 WHERE id = 60")
        conn.execute("UPDATE channels SET key = '+8613900000040' WHERE contact_id IN (50, 60) "
                     "AND kind = 'phone'")
        conn.commit()
    return {"chain": {3, 9003, 15007}, "wechat": {100, 12000}, "name": {31, 33}}


def test_find_all_over_twenty_thousand_contacts_finds_just_the_planted_duplicates(
        services: Services, db_path: Path) -> None:
    planted = _plant(db_path, 20_000)
    groups = services.duplicates.find_all("contact")
    found = {frozenset(m.id for m in g.members): g.reasons for g in groups}
    assert found == {frozenset(planted["chain"]): ("phone", "email"),
                     frozenset(planted["wechat"]): ("wechat",),
                     frozenset(planted["name"]): ("name",)}


def test_branches_of_one_brand_in_two_cities_are_not_duplicates_by_name(
        services: Services, manager: Actor) -> None:
    add = services.customers.add_company
    beijing = add(STAR, by=manager).id
    shanghai = add(CompanyFields(name="上海星辰科技有限公司"), by=manager).id
    bare = add(CompanyFields(name="星辰科技有限公司"), by=manager).id
    find = services.duplicates.matches_for_company
    # a name that gives no city may be either; one that gives the other city is another
    assert {m.id for m in find(CompanyFields(name="星辰科技（上海）有限公司"))} == {
        shanghai, bare}
    # the bare name may be either branch: it is listed with one, never both together
    groups = [{m.id for m in g.members} for g in services.duplicates.find_all("company")]
    assert len(groups) == 1
    assert groups[0] in ({beijing, bare}, {shanghai, bare})
    pairs = {(a, b) for a, b, _score in _name_pairs(services)}
    assert (min(beijing, shanghai), max(beijing, shanghai)) not in pairs


def _name_pairs(services: Services) -> list[tuple[int, int, float]]:
    from funneldesk.services.customers.matching import load_names

    with services.db.reading() as session:
        return list(load_names(session).name_pairs())


def test_chinese_people_at_one_company_written_with_a_space_or_read_alike_are_found(
        services: Services, manager: Actor) -> None:
    company = services.customers.add_company(CompanyFields(name="北京星辰科技有限公司"),
                                             by=manager)
    other = services.customers.add_company(CompanyFields(name="上海华信贸易有限公司"),
                                           by=manager)
    spaced = services.customers.add_contact(ContactFields(
        name="张 伟", company_id=company.id, phones=("13800138000",)), by=manager)
    services.customers.add_contact(ContactFields(
        name="王小明", company_id=company.id, phones=("13900139000",)), by=manager)
    services.customers.add_contact(ContactFields(  # same sound, another company
        name="王晓明", company_id=other.id, phones=("13700137000",)), by=manager)
    found = services.duplicates.matches_for_contact(ContactFields(
        name="张伟", company_id=company.id))
    assert [(m.id, m.reason) for m in found] == [(spaced.id, "name")]
    alike = services.duplicates.matches_for_contact(ContactFields(
        name="王晓明", company_id=company.id))
    assert [(m.name, m.score) for m in alike] == [("王小明", 90.0)]
    services.customers.add_contact(ContactFields(
        name="王晓明", company_id=company.id, phones=("13600136000",)), by=manager)
    groups = services.duplicates.find_all("contact")
    assert sorted(tuple(sorted(m.name for m in g.members)) for g in groups) == [
        ("王小明", "王晓明")]


def test_the_name_search_scores_pairs_in_proportion_to_the_names_not_their_square(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every name shares 科技, a block far too common to say anything: it is not scored,
    and no block of more than BLOCK_LIMIT names is, so the pairs scored stay under
    BLOCK_LIMIT for each name in each of its blocks (scoring the 科技 block alone would be
    25,000,000 pairs)."""
    import random

    from rapidfuzz import process

    from funneldesk.services.customers import names
    from funneldesk.services.customers.name_pairs import BLOCK_LIMIT, NameIndex, name_blocks

    scored = [0]
    real = process.cdist

    def counting(first: list[str], second: list[str], **options: object) -> object:
        scored[0] += len(first) * len(second)
        return real(first, second, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(process, "cdist", counting)
    rng = random.Random(5)
    index = NameIndex()
    chars = [chr(0x4E00 + n) for n in range(40)]  # few: blocks of dozens of names
    count = 5_000
    memberships = 0
    for ident in range(1, count + 1):
        name = "".join(rng.choice(chars) for _ in range(4)) + "科技有限公司"
        core = names.core(name)
        blocks = name_blocks(core, False, None)
        memberships += len(blocks)
        index.file(ident, name, core, blocks)
    found = list(index.name_pairs())
    assert found  # names alike were scored and paired
    assert 0 < scored[0] <= BLOCK_LIMIT * memberships < count * count
