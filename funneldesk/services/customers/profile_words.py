"""The consumer profile's usual words (gender, age band, education, loyalty): one team
writes each of them one way, whatever language a rep picked or a file gave it in, so that
its filters find them all. A usual word is kept as its English name (女, female and Female
are kept as Female) and shown in the reader's language; any other word is kept as typed,
since the fields stay free text."""

from __future__ import annotations

import functools

from funneldesk.i18n import LANGUAGES, N_, _, translated

# the usual words per field, as kept (marked: shown translated); age bands need no words
USUAL: dict[str, tuple[str, ...]] = {
    "gender": (N_("Female"), N_("Male")),
    "age_band": ("<20", "20–29", "30–39", "40–49", "50–59", "60+"),
    "education": (N_("High school or less"), N_("Associate degree"), N_("Bachelor's degree"),
                  N_("Master's degree"), N_("Doctorate")),
    "loyalty": (N_("New"), N_("Returning"), N_("Loyal"), N_("At risk")),
    "income_band": (),
}
# how else forms and files write them
_ALIASES = {"Female": ("女性", "F"), "Male": ("男性", "M")}
_DASHES = ("-", "~", "～", "至")  # 20-29, 20~29, 20至29


@functools.cache
def _kept_as(field: str) -> dict[str, str]:
    """Each way of writing a usual word of ``field`` (folded) -> the word as kept."""
    known: dict[str, str] = {}
    for word in USUAL.get(field, ()):
        ways = [word, *_ALIASES.get(word, ()), *(translated(word, lang) for lang in LANGUAGES)]
        ways += [word.replace("–", dash) for dash in _DASHES if "–" in word]
        known.update((way.casefold(), word) for way in ways)
    return known


def kept(field: str, value: str) -> str:
    """``value`` as kept: the usual word it writes, else itself."""
    return _kept_as(field).get(value.strip().casefold(), value)


def shown(field: str, value: str) -> str:
    """A kept value in the reader's language (a usual word translated)."""
    return _(value) if value in USUAL.get(field, ()) else value


def offered(field: str) -> list[str]:
    """The usual words of ``field`` in the reader's language, in their order."""
    return [_(word) for word in USUAL[field]]


def kept_as_table(field: str) -> dict[str, str]:
    """For an import: each way of writing a usual word (folded) -> the word as kept."""
    return dict(_kept_as(field))
