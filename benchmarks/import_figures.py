"""Import figures, measured in a fresh process.

    python benchmarks/import_figures.py FOLDER

Writes a CSV of ROWS contacts (a name, a company, a Chinese mobile number and an email
each; one row in twenty repeats an earlier row's name, company and number with an email of
its own, as a duplicate does; one in a hundred names an earlier row's person again with
another number and another email, as a person typed twice does: a Chinese name with a
space in it, a Latin one with a letter doubled; one person in ten has a Latin name)
and prints one JSON object, each figure the median of ROUNDS:

- import_rows_per_s: the file through the import service that `funneldesk import
  contacts` and the wizard run (read, map, validate, detect duplicates, write and
  commit), on an empty database, with --skip-bad-rows: duplicates are detected both
  ways, the exact repeats refused and reported, and the records whose names are alike to
  another's counted (``ImportReport.alike``) by a worker process beside the import
  (services/customers/alike_apart.py): timed until that count is in, although the
  import returns as it commits. That commit ends once the rows are in SQLite's
  write-ahead log: the copy of the log into the database file, which SQLite makes at a
  commit that leaves the log long, is made after by a thread (Database.checkpoint_soon),
  and is not timed here; import_copied_rows_per_s is timed until it has ended too.
- import_exact_only_rows_per_s: the same import with its look for names alike left until
  after it, as for a file under 20,000 rows: what that look costs the import.
- import_alike_rows_per_s: the file's rows per second of that look after the import
  (``DuplicateService.alike_after_import``: a company with the companies whose names
  share a block, a contact with its colleagues), which must count what the worker
  counted (asserted).
- import_index_rows_per_s: records (the contacts and the companies they name) added to
  search-everything per second by `services.customers.index_missing`, which the command
  and the wizard run after the import has committed; import_searchable_rows_per_s, the
  file's rows over the time of the import and this, until Ctrl+K finds them, which is
  also until `funneldesk import` has returned.
- validate_only_rows_per_s: the same file read and validated, writing nothing: the floor
  of a validating import.
- raw_insert_rows_per_s: what the import writes (the companies, and the contacts it keeps
  with their phones and emails) inserted by raw sqlite3 executemany in one transaction,
  on the application's settings, its commit leaving the log as the import's does: the
  floor of the writing, per row of the file.
- import_cores_free: how many cores a CPU-bound job found free just before each import
  (the same loop run alone, then in two processes at once: 2 when both ran as fast as
  the one alone, 1 when they had to share a core). The import writes on one core while
  it checks on the other; the other figures here use one. On a shared machine whose
  other users hold a core, the import's figure falls and this one shows why.
- import_stolen_share and validate_stolen_share: the share of this machine's CPU time
  (all its cores over the time measured) that the host of a virtual machine gave to
  others while this one waited to run (the "steal" of /proc/stat), during the import and
  during the validation; 0 on a machine of its own, null where /proc/stat does not
  count it. A busy host shows itself here, whoever else on it was busy.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import multiprocessing
import os
import random
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROWS = 100_000
ROUNDS = 5
DUPLICATE_EVERY = 20
# one row in a hundred names an earlier row's person again (another number, another
# email), written with a space: a repeat only the names-alike look finds
ALIKE_EVERY = 100
ALIKE = ROWS // ALIKE_EVERY
# one person in ten has a name in Latin letters (Xiaoming Wang), which the look must score
LATIN_EVERY = 10
SYLLABLES = ("xiao", "ming", "li", "na", "wei", "jun", "hua", "yan", "jie", "hong", "lei",
             "fang", "ping", "gang", "ying", "qiang", "mei", "lan", "yu", "hao", "chen",
             "tao", "bo", "min")
LATIN_SURNAMES = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
                  "Smith", "Lee", "Brown", "Tan", "Ng")
# Chinese mobile prefixes in use (phonenumbers' metadata): every number the file holds is
# valid, so that the rows the import refuses are the duplicates and nothing else
MOBILE_PREFIXES = [str(p) for p in (*range(130, 140), *range(150, 160), *range(180, 190))
                   if p != 154]


def write_file(path: Path) -> list[tuple[str, str, str, str]]:
    rng = random.Random(7)
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
    # given names of one or two characters of some fifty: about 60,000 names, so that a
    # company's contacts are namesakes about as rarely as in life
    given = "伟芳娜敏静磊洋勇艳杰娟涛明超霞平刚桂英华丽强军秀兰玉萍红海波鹏辉斌宇浩凯健俊帆" \
            "晨欣怡梓涵子轩佳琪雨婷嘉思远志文"
    companies = [f"{rng.choice(['华信', '恒通', '瑞丰', '远航'])}{n}号科技有限公司"
                 for n in range(5_000)]
    rows: list[tuple[str, str, str, str]] = []
    plain: list[int] = []  # rows of a person not yet written again
    used: set[str] = set()
    for n in range(ROWS):
        if n % DUPLICATE_EVERY == DUPLICATE_EVERY - 1:
            earlier = rng.choice(rows)
            rows.append((earlier[0], earlier[1], earlier[2], f"other{n}@example.cn"))
            continue
        while True:
            phone = f"{rng.choice(MOBILE_PREFIXES)}{rng.randint(1000_0000, 9999_9999)}"
            if phone not in used:
                used.add(phone)
                break
        if n % ALIKE_EVERY == ALIKE_EVERY // 2:  # never a duplicate row's place
            name, company = rows[plain.pop(rng.randrange(len(plain)))][:2]
            name = retyped(name, rng)
        elif n % LATIN_EVERY == 3:
            name = (f"{''.join(rng.choices(SYLLABLES, k=2)).capitalize()} "
                    f"{rng.choice(LATIN_SURNAMES)}")
            company = rng.choice(companies)
            plain.append(n)
        else:
            name = rng.choice(surnames) + "".join(rng.choices(given, k=rng.choice((1, 2, 2))))
            company = rng.choice(companies)
            plain.append(n)
        rows.append((name, company, f"{phone[:3]} {phone[3:7]} {phone[7:]}",
                     f"user{n}@example.cn"))
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["姓名", "公司名称", "手机", "邮箱"])
        writer.writerows(rows)
    return rows


def retyped(name: str, rng: random.Random) -> str:
    """A person's name as someone else typed it: a Chinese one with a space after the
    surname (the same name to the look), a Latin one with a letter of the given name
    doubled (alike: scored, over 90 for a name of seven letters or more)."""
    if " " not in name:
        return f"{name[0]} {name[1:]}"
    given, surname = name.split(" ")
    at = rng.randrange(1, len(given))
    return f"{given[:at]}{given[at - 1]}{given[at:]} {surname}"


def run(folder: Path) -> dict[str, float | None]:
    from funneldesk.db import open_database
    from funneldesk.services import Services
    from funneldesk.services.common.tabular.engine import ImportOptions, validate_only
    from funneldesk.services.customers.importers import ContactImporter

    source = folder / "contacts.csv"
    rows = write_file(source)
    empty = folder / "empty.db"
    open_database(empty).close()
    imports, validations, raws = [], [], []
    copied: list[float] = []
    exact_only: list[float] = []
    indexes: list[float] = []
    searchable: list[float] = []
    alike: list[float] = []
    cores: list[float] = []
    stolen: dict[str, list[float | None]] = {"import": [], "validate": []}
    for n in range(ROUNDS):
        cores.append(cores_free())
        work = folder / f"import{n}.db"
        shutil.copy(empty, work)
        db = open_database(work)
        try:
            services = Services.for_database(db)
            me = services.users.current("bench")
            headers = ("姓名", "公司名称", "手机", "邮箱")
            options = ImportOptions(columns=services.imports.suggest("contacts", headers),
                                    skip_bad_rows=True)
            began, steal = time.perf_counter(), stolen_s()
            report = services.imports.run("contacts", source, options, by=me)
            assert report.alike is not None, "no worker looked for names alike"
            counted = report.alike.result()  # the import returns as it commits
            imported = time.perf_counter() - began
            stolen["import"].append(share(steal, stolen_s(), imported))
            imports.append(report.read / imported)
            db.copies_done()
            copied.append(report.read / (time.perf_counter() - began))
            assert report.created + report.failed == ROWS, report.summary()
            # the duplicates, and only they (each repeats an earlier row's number)
            assert report.failed == ROWS // DUPLICATE_EVERY, report.summary()
            assert {e.reason for e in report.errors} == {"duplicate"}, report.summary()
            # each person written again, and the first writing
            assert counted is not None, "the worker counted nothing"
            assert counted.get("contact", 0) >= 2 * ALIKE, counted
            began = time.perf_counter()
            added = services.customers.index_missing()
            indexed = time.perf_counter() - began
            assert added >= report.created, (added, report.created)
            indexes.append(added / indexed)
            searchable.append(report.read / (imported + indexed))
            began = time.perf_counter()
            found = services.duplicates.alike_after_import(report.created_from, report.renamed)
            alike.append(report.read / (time.perf_counter() - began))
            assert found == counted, (found, counted)
            began, steal = time.perf_counter(), stolen_s()
            checked = validate_only(ContactImporter("CN"), source, options, me)
            took = time.perf_counter() - began
            validations.append(checked.read / took)
            stolen["validate"].append(share(steal, stolen_s(), took))
        finally:
            db.close()
        exact_only.append(import_exact_only(empty, folder / f"exact{n}.db", source))
        raws.append(raw_insert(empty, folder / f"raw{n}.db", rows))
    return {"import_rows_per_s": statistics.median(imports),
            "import_copied_rows_per_s": statistics.median(copied),
            "import_exact_only_rows_per_s": statistics.median(exact_only),
            "import_alike_rows_per_s": statistics.median(alike),
            "import_index_rows_per_s": statistics.median(indexes),
            "import_searchable_rows_per_s": statistics.median(searchable),
            "validate_only_rows_per_s": statistics.median(validations),
            "raw_insert_rows_per_s": statistics.median(raws),
            "import_cores_free": statistics.median(cores),
            "import_stolen_share": median_or_none(stolen["import"]),
            "validate_stolen_share": median_or_none(stolen["validate"]),
            "import_rows": ROWS}


def import_exact_only(empty: Path, work: Path, source: Path) -> float:
    """Rows per second of the import with its look for names alike left until after it
    (not timed): the worker beside it is not started below LOOK_APART_ROWS records."""
    from funneldesk.db import open_database
    from funneldesk.services import Services
    from funneldesk.services.common.tabular.engine import ImportOptions
    from funneldesk.services.customers import importers

    shutil.copy(empty, work)
    db = open_database(work)
    was = importers.LOOK_APART_ROWS
    importers.LOOK_APART_ROWS = ROWS + 1
    try:
        services = Services.for_database(db)
        me = services.users.current("bench")
        options = ImportOptions(columns=services.imports.suggest(
            "contacts", ("姓名", "公司名称", "手机", "邮箱")), skip_bad_rows=True)
        began = time.perf_counter()
        report = services.imports.run("contacts", source, options, by=me)
        took = time.perf_counter() - began
        assert report.alike is None
        assert report.created + report.failed == ROWS
        return report.read / took
    finally:
        importers.LOOK_APART_ROWS = was
        db.close()
        work.unlink()


def stolen_s() -> float | None:
    """CPU seconds stolen from this machine by its host since it started (every core's
    together); None where /proc/stat does not count them."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    return int(fields[8]) / os.sysconf("SC_CLK_TCK") if len(fields) > 8 else None


def share(before: float | None, after: float | None, elapsed: float) -> float | None:
    """The stolen share of every core's time over ``elapsed`` seconds."""
    if before is None or after is None:
        return None
    return (after - before) / (elapsed * (os.cpu_count() or 1))


def median_or_none(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def spin(_n: int = 0) -> float:
    """Seconds a fixed pure-Python loop takes."""
    began, total = time.perf_counter(), 0
    for i in range(4_000_000):
        total += i
    return time.perf_counter() - began


def cores_free() -> float:
    """How many of two loops run at full speed at once: the loop's best time alone
    over its slower time when two run at once, in two processes (x 2)."""
    alone = min(spin() for _ in range(2))
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.map(spin, range(2))  # the workers started
        # each worker's own time of the loop, as alone is: no pool overhead in either
        both = min(max(pool.map(spin, range(2), chunksize=1)) for _ in range(2))
    return 2 * alone / both if both > alone else 2.0


def raw_insert(empty: Path, work: Path, rows: list[tuple[str, str, str, str]]) -> float:
    """The file's rows per second of writing what the import writes (its companies, and
    the contacts it does not refuse as duplicates, with their phones and emails), through
    sqlite3 executemany in one transaction, on the application's own settings."""
    from funneldesk.collation import sort_keys

    shutil.copy(empty, work)
    conn = sqlite3.connect(work)
    conn.execute("PRAGMA synchronous=NORMAL")  # as the application's connections
    conn.execute("PRAGMA cache_size=-65536")  # as the import's writer (bulk.py)
    # as the import's commit (Database.session's large): the log is copied into the file
    # after, untimed
    conn.execute("PRAGMA wal_autocheckpoint=0")
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    kept, seen = [], set()
    for row in rows:  # a duplicate repeats an earlier row's number
        if row[2] not in seen:
            seen.add(row[2])
            kept.append(row)
    companies = {name: n + 1 for n, name in enumerate(dict.fromkeys(r[1] for r in kept))}
    company_keys = sort_keys(list(companies))
    keys = sort_keys([r[0] for r in kept], person=True)  # the keys the import computes
    try:
        began = time.perf_counter()
        with conn:
            conn.executemany(
                "INSERT INTO companies (id, name, sort_name, address, created_at, touched_at, "
                "version) VALUES (?, ?, ?, '', ?, ?, 1)",
                [(ident, name, key, now, now)
                 for (name, ident), key in zip(companies.items(), company_keys, strict=True)])
            conn.executemany(
                "INSERT INTO contacts (id, name, sort_name, company_id, external_id, title, "
                "role, wechat, campaign, notes, age_band, gender, occupation, income_band, "
                "education, preferences, decision_process, loyalty, data_origin, consent, "
                "touched_at, created_at, is_sample, version) VALUES (?, ?, ?, ?, '', '', '', "
                "'', '', '', '', '', '', '', '', '', '', '', '', 'unknown', ?, ?, 0, 1)",
                [(n + 1, r[0], key, companies[r[1]], now, now)
                 for n, (r, key) in enumerate(zip(kept, keys, strict=True))])
            conn.executemany(
                "INSERT INTO channels (contact_id, kind, value, key, position) "
                "VALUES (?, ?, ?, ?, ?)",
                [c for n, r in enumerate(kept) for c in (
                    (n + 1, "phone", "+86" + r[2].replace(" ", ""),
                     "+86" + r[2].replace(" ", ""), 0),
                    (n + 1, "email", r[3], r[3], 1))])
        return len(rows) / (time.perf_counter() - began)
    finally:
        conn.close()


if __name__ == "__main__":
    print(json.dumps(run(Path(sys.argv[1]))))
