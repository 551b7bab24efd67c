"""The repository explains itself: no tracked file points at documents that are not in it."""

from __future__ import annotations

import re

from tests.repository import ROOT, tracked_files

# Built from pieces so that this file does not match its own patterns.
OUTSIDE = re.compile("|".join([
    "DESIGN" + r"\.md",           # the design lives in docs/ARCHITECTURE.md
    "STACK" + "_NOTES",           # measured facts belong next to what they explain
    r"\.\./" + "shared",          # a sibling folder of the checkout
    r"/work" + "/",               # a folder of the machine the code was written on
]), re.IGNORECASE)


def test_no_tracked_file_refers_to_documents_outside_the_repository() -> None:
    files = [ROOT / name for name in tracked_files()]
    assert ROOT / "README.md" in files  # the listing really is the repository
    found = []
    for path in files:
        if not path.is_file():  # deleted in the work tree, not yet committed
            continue
        data = path.read_bytes()
        if b"\0" in data:  # images, compiled catalogs
            continue
        for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_the_architecture_the_readme_links_to_is_in_the_repository() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#\s]+)", readme)
    local = [link for link in links if "://" not in link]
    assert "docs/ARCHITECTURE.md" in local
    assert [link for link in local if not (ROOT / link).exists()] == []


def test_the_readme_names_every_reason_code_an_import_report_gives() -> None:
    from funneldesk.services.common.tabular.records import REASONS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [code for code in REASONS if f"`{code}`" not in readme] == []
