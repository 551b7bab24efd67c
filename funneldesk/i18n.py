"""The one translation function for every layer (gettext catalogs managed with babel).

Use ``_("text")`` for a string shown now, ``N_("text")`` to mark a string that is
translated later (module-level constants), ``ngettext`` for plurals.
"""

from __future__ import annotations

import gettext
import locale
import os
from pathlib import Path

from funneldesk.paths import LOCALE_DIR

DOMAIN = "funneldesk"
LANGUAGES = ("zh_CN", "en")
SOURCE_LANGUAGE = "en"  # the messages in the code are English: it needs no catalog

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def system_language() -> str:
    """zh_CN when the system locale is Chinese, otherwise en."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return "zh_CN" if value.lower().startswith("zh") else "en"
    code = locale.getlocale()[0] or ""
    return "zh_CN" if code.lower().startswith("zh") else "en"


def normalize_language(lang: str) -> str:
    lang = lang.replace("-", "_")
    if lang.lower() in ("zh", "zh_cn", "zh_hans", "zh_hans_cn"):
        return "zh_CN"
    if lang.lower().startswith("en"):
        return "en"
    raise ValueError(lang)


def catalog_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def _catalog(lang: str) -> gettext.NullTranslations:
    if lang == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    path = catalog_path(lang)
    try:
        with path.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    except OSError as error:  # absent, unreadable, or not a catalog ("Bad magic number")
        # imported here: errors words its messages through this module
        from funneldesk.errors import MissingCatalog

        raise MissingCatalog(str(path)) from error


def set_language(lang: str | None = None) -> str:
    """Switch every layer to ``lang`` (system language when None); returns the one chosen.

    A catalog that is missing is an error (an incomplete installation), never a quiet
    switch to English; the language in use then stays as it was.
    """
    global _translations, _language
    chosen = normalize_language(lang) if lang else system_language()
    _translations = _catalog(chosen)
    _language = chosen
    return chosen


def language() -> str:
    return _language


def _(message: str) -> str:
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` as meant in ``context``: one English word may be two in Chinese
    (Deals, the page: 商机列表; deals, the records an import makes: 商机)."""
    return _translations.pgettext(context, message)


def translated(message: str, lang: str) -> str:
    """``message`` in ``lang`` whatever the interface speaks: what an import matches a
    file's Chinese or English names against."""
    if lang not in _other_catalogs:
        _other_catalogs[lang] = _catalog(normalize_language(lang))
    return _other_catalogs[lang].gettext(message)


def translated_plural(singular: str, plural: str, n: int, lang: str) -> str:
    """The form of ``singular``/``plural`` for ``n`` in ``lang`` (a contract printed in
    English from a Chinese window)."""
    translated(singular, lang)  # loads the catalog
    return _other_catalogs[lang].ngettext(singular, plural, n)


_other_catalogs: dict[str, gettext.NullTranslations] = {}


def N_(message: str) -> str:
    return message
