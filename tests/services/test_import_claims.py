"""An import refuses a row that repeats a record, or an earlier row, by a key; a refused
row claims none of its keys. Claims decides a whole batch at once: it must give the
answer that taking the rows one by one gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from funneldesk.services.customers.import_channels import Channels, channel_inserts
from funneldesk.services.customers.import_claims import Claims, Column, casefolded
from funneldesk.services.customers.importers import ContactImporter

FIELDS = ("phone", "email", "wechat")
# few distinct keys, so that rows clash often, with each other and with held keys
_KEY = st.sampled_from(["a", "b", "c", "d", "e", "f"])
_ROW = st.fixed_dictionaries({field: st.lists(_KEY, max_size=2) for field in FIELDS})


def one_by_one(held: dict[str, set[str]], batches: list[list[dict[str, list[str]]]]
               ) -> list[list[str | None]]:
    taken = {(field, key) for field, keys in held.items() for key in keys}
    fates = []
    for batch in batches:
        out: list[str | None] = []
        for row in batch:
            pairs = [(field, key) for field in FIELDS for key in row[field]]
            clash = next((field for field, key in pairs if (field, key) in taken), None)
            if clash is None:
                taken.update(pairs)
            out.append(clash)
        fates.append(out)
    return fates


@settings(max_examples=400, deadline=None)
@given(held=st.fixed_dictionaries({field: st.sets(_KEY, max_size=2) for field in FIELDS}),
       batches=st.lists(st.lists(_ROW, max_size=6), max_size=3))
def test_a_batch_gets_the_answer_of_taking_its_rows_one_by_one(held, batches):
    claims = Claims(held)
    got = [claims.claim({field: Column.of([row[field] for row in batch]) for field in FIELDS},
                        len(batch))
           for batch in batches]
    assert got == one_by_one(held, batches)


def test_a_refused_row_leaves_its_other_keys_to_later_rows():
    claims = Claims({"phone": {"+8613800138000"}})
    fates = claims.claim({"phone": Column.of([["+8613800138000"], ["+8613900139000"]]),
                          "email": Column.of([["zw@xingchen.cn"], ["zw@xingchen.cn"]])}, 2)
    # the first row repeats a phone on record: its email stays free for the second
    assert fates == ["phone", None]
    assert claims.claim({"phone": Column.of([["+8613900139000"]]), "email": Column.of([[]])},
                        1) == ["phone"]


def test_a_row_may_list_one_key_twice():
    claims = Claims({})
    assert claims.claim({"phone": Column.of([["+8613800138000", "+8613800138000"]])}, 1) == [None]
    assert claims.claim({"phone": Column.of([["+8613800138000"]])}, 1) == ["phone"]


def test_a_column_keeps_each_key_beside_its_row():
    assert Column.of([["a"], ["b"]]) == (range(2), ["a", "b"])
    assert Column.of([["a", "b"], [], ["c"]]) == ([0, 0, 2], ["a", "b", "c"])


@given(st.lists(st.text(max_size=4)))
def test_many_texts_fold_as_each_alone(texts):
    assert casefolded(texts) == [text.casefold() for text in texts]


_PHONES = st.lists(st.sampled_from(["+8613800138000", "+8613900139000;ext=12"]), max_size=2)
_EMAILS = st.lists(st.sampled_from(["Zw@Xingchen.cn", "wf@huaxin.cn"]), max_size=2)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.tuples(_PHONES, _EMAILS, st.booleans()), max_size=6))
def test_the_channels_of_the_rows_kept_are_written_as_row_by_row(rows):
    found = [{"phone": phones, "email": emails} for phones, emails, _kept in rows]
    accepted = [kept for _p, _e, kept in rows]
    phones, emails = Channels.of("phone", found), Channels.of("email", found)
    first = 101
    ids = range(first, first + sum(accepted))
    written = sorted(
        (owner, kind, value, key, position)
        for insert in channel_inserts("contact", ids, phones.kept(accepted),
                                      emails.kept(accepted))
        for owner, kind, value, key, position in zip(
            insert["contact_id"], insert["kind"], insert["value"], insert["key"],
            insert["position"], strict=True))
    expected = []
    kept = [values for values, keep in zip(found, accepted, strict=True) if keep]
    for ident, values in zip(ids, kept, strict=True):
        listed = [("phone", p, p.split(";ext=")[0]) for p in values["phone"]]
        listed += [("email", e, e.casefold()) for e in values["email"]]
        expected += [(ident, kind, value, key, n) for n, (kind, value, key) in enumerate(listed)]
    assert written == sorted(expected)


_VALUES = st.fixed_dictionaries({"name": st.sampled_from(["张伟", "王芳"])}, optional={
    "company": st.sampled_from(["Acme", "ACME", "星辰"]),
    "phone": st.lists(st.sampled_from(["+8613800138000", "+8613800138000;ext=5",
                                       "+8613900139000"]), min_size=1, max_size=2),
    "email": st.lists(st.sampled_from(["Zw@Xingchen.cn", "zw@xingchen.cn", "STRASSE@x.de",
                                       "straße@x.de"]), min_size=1, max_size=2),
    "external_id": st.sampled_from(["A-1", "a-1", "B-2"]),
    "wechat": st.sampled_from(["wx_Lei", "WX_lei", "wx_mei"])})


@settings(max_examples=300, deadline=None)
@given(held=st.sets(st.sampled_from([("phone", "+8613800138000"), ("email", "zw@xingchen.cn"),
                                     ("wechat", "wx_lei"), ("name", "张伟\x1facme")]),
                    max_size=2),
       batch=st.lists(_VALUES, max_size=6))
def test_a_contact_batch_is_refused_as_its_rows_would_be_one_by_one(held, batch):
    """The keys a contact importer reads from a batch, and the claims, against each row's
    keys read alone (a phone without its extension, the rest case-folded; a row with
    none of those, its name at its company)."""
    importer = ContactImporter("CN")
    claims = Claims({field: {key for f, key in held if f == field}
                     for field in (*FIELDS, "name")})
    fates = claims.claim(importer.keys(batch, Channels.of("phone", batch),
                                       Channels.of("email", batch)), len(batch))
    taken, expected = set(held), []
    for values in batch:
        pairs = [("phone", p.split(";ext=")[0]) for p in values.get("phone", [])]
        pairs += [("email", e.casefold()) for e in values.get("email", [])]
        pairs += [(name, values[name].casefold()) for name in ("external_id", "wechat")
                  if name in values]
        if not pairs:
            pairs = [("name", f"{values['name']}\x1f{values.get('company', '')}".casefold())]
        clash = next((field for field, key in pairs if (field, key) in taken), None)
        if clash is None:
            taken.update(pairs)
        expected.append(clash)
    assert fates == expected
