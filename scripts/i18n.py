"""Keeps the translation catalogs in step with the code.

    python scripts/i18n.py update    extract messages, merge them into every .po
    python scripts/i18n.py compile   write the .mo files the program loads
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "resources" / "locale"
DOMAIN = "funneldesk"
LANGUAGES = ("zh_CN",)


def extract() -> Catalog:
    catalog = Catalog(project="FunnelDesk", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT / "funneldesk", method_map=[("**.py", "python")],
        # a document's plurals, in its own language (funneldesk/i18n.py)
        keywords={**DEFAULT_KEYWORDS, "translated_plural": (1, 2)},
    ):
        catalog.add(message, None, [(f"funneldesk/{filename}", lineno)],
                    auto_comments=comments, context=context)
    return catalog


def po_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def update() -> None:
    template = extract()
    with (LOCALES / f"{DOMAIN}.pot").open("wb") as fh:
        write_po(fh, template, omit_header=False, sort_output=True, no_location=True)
    for lang in LANGUAGES:
        path = po_path(lang)
        if path.exists():
            with path.open("rb") as fh:
                catalog = read_po(fh, locale=lang)
        else:
            catalog = Catalog(locale=lang, project="FunnelDesk", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            write_po(fh, catalog, sort_output=True, no_location=True, ignore_obsolete=True)


def compile_all() -> None:
    for lang in LANGUAGES:
        with po_path(lang).open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        with po_path(lang).with_suffix(".mo").open("wb") as fh:
            write_mo(fh, catalog)


if __name__ == "__main__":
    {"update": update, "compile": compile_all}[sys.argv[1]]()
