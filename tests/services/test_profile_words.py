"""The consumer profile's usual words are kept one way, whichever language a rep picked
them in or a file gave them in, so that one filter finds every contact they describe."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from funneldesk.i18n import set_language
from funneldesk.services import Services
from funneldesk.services.common.tabular.engine import ImportOptions
from funneldesk.services.customers import profile_words
from funneldesk.services.customers.list_records import CONTACT, CustomerQuery
from funneldesk.services.customers.records import ContactFields
from funneldesk.services.dto import Actor


def test_a_word_picked_in_either_language_is_kept_as_one(services: Services,
                                                         manager: Actor) -> None:
    made = [services.customers.add_contact(ContactFields(
        name=name, gender=gender, education=education, loyalty=loyalty, age_band=age),
        by=manager).id for name, gender, education, loyalty, age in (
        ("王芳", "女", "本科", "忠实客户", "30至39"),
        ("Anna Li", "Female", "Bachelor's degree", "Loyal", "30–39"),
        ("李娜", " female ", "BACHELOR'S DEGREE", "loyal", "30-39"),
        ("张伟", "男性", "大专", "老客户", "40~49"))]
    kept = [services.customers.contact_detail(ident).fields for ident in made]
    assert [(f.gender, f.education, f.loyalty, f.age_band) for f in kept] == [
        ("Female", "Bachelor's degree", "Loyal", "30–39")] * 3 + [
        ("Male", "Associate degree", "老客户", "40–49")]  # 老客户: the team's own word
    values = services.customer_list.field_values("contact")
    assert values["gender"] == ("Female", "Male")
    assert values["education"] == ("Bachelor's degree", "Associate degree")
    query = CustomerQuery(CONTACT, profile=(("gender", "Female"),))
    assert services.customer_list.count(query) == 3

    # an edit that changes nothing else keeps the word as it was
    detail = services.customers.contact_detail(made[0])
    services.customers.update_contact(made[0], replace(detail.fields, title="采购"),
                                      expected_version=detail.version, by=manager)
    assert services.customers.contact_detail(made[0]).fields.gender == "Female"


def test_an_import_keeps_the_words_of_either_language_as_one(
        services: Services, manager: Actor, tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text("姓名,性别,学历,年龄段\n王芳,女,硕士,20-29\n"
                    "Tom Lee,M,Master's degree,60+\n赵敏,其他,研究生,\n", encoding="utf-8")
    headers = ("姓名", "性别", "学历", "年龄段")
    report = services.imports.run("contacts", path, ImportOptions(
        columns=services.imports.suggest("contacts", headers)), by=manager)
    assert report.created == 3
    rows = {r.name: r.id for r in services.customer_list.all_rows(CustomerQuery(CONTACT))}
    kept = {name: services.customers.contact_detail(ident).fields
            for name, ident in rows.items()}
    assert [(kept[n].gender, kept[n].education, kept[n].age_band)
            for n in ("王芳", "Tom Lee", "赵敏")] == [
        ("Female", "Master's degree", "20–29"), ("Male", "Master's degree", "60+"),
        ("其他", "研究生", "")]


@pytest.mark.parametrize(("lang", "female", "degree"), [
    ("zh_CN", "女", "本科"), ("en", "Female", "Bachelor's degree")])
def test_a_kept_word_is_shown_in_the_readers_language(lang: str, female: str,
                                                       degree: str) -> None:
    set_language(lang)
    try:
        assert profile_words.shown("gender", "Female") == female
        assert profile_words.shown("education", "Bachelor's degree") == degree
        assert profile_words.shown("gender", "其他") == "其他"
        assert profile_words.offered("gender") == [female, profile_words.shown("gender", "Male")]
        assert profile_words.kept("gender", female) == "Female"
    finally:
        set_language("en")


def test_words_kept_before_this_version_are_found_and_merged_back_one_way(
        services: Services, manager: Actor, db_path: Path) -> None:
    """A filter or an older saved segment that writes a usual word another way (女, 女性)
    finds the contacts it describes; undoing a merge that kept an older record's 女
    writes Female back."""
    ids = [services.customers.add_contact(ContactFields(name=name, gender="Female"),
                                          by=manager).id for name in ("王芳", "李娜")]
    for way in ("女", "女性", "female"):
        query = CustomerQuery(CONTACT, profile=(("gender", way),))
        assert services.customer_list.count(query) == 2, way
    segment = services.customer_list.save_segment(
        "女客户", CustomerQuery(CONTACT, profile=(("gender", "女"),)), by=manager)
    [saved] = [s for s in services.customer_list.segments("contact") if s.id == segment.id]
    assert services.customer_list.count(saved.query) == 2

    with closing(sqlite3.connect(db_path)) as conn, conn:  # as an older version kept it
        conn.execute("UPDATE contacts SET gender = '女' WHERE id = ?", (ids[0],))
    preview = services.merges.preview("contact", ids[0], ids[1])
    merge_id = services.merges.merge("contact", ids[0], ids[1], {}, preview.versions,
                                     by=manager)
    services.merges.undo(merge_id, by=manager)
    assert services.customers.contact_detail(ids[0]).fields.gender == "Female"
