"""Writes resources/collation/pinyin.txt, the table FunnelDesk's sort keys read Chinese by
(funneldesk/collation.py), from pypinyin's dictionaries.

    python scripts/pinyin_table.py

The table is kept in the repository, not read from pypinyin at run time: a stored sort key
must not change when pypinyin does. Writing a new table therefore needs a migration that
rewrites every stored key (see funneldesk/collation.py); tests/test_collation.py
checks that the table is what this script writes from the pinned pypinyin.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from pypinyin import __version__
from pypinyin.phrases_dict import phrases_dict
from pypinyin.pinyin_dict import pinyin_dict

TABLE = Path(__file__).resolve().parent.parent / "resources" / "collation" / "pinyin.txt"
_TONES = {"\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4"}


def syllable(marked: str) -> str:
    """'lǘ' -> 'lv2': the letters without their marks (ü as v), then the tone's number
    (5: the neutral tone)."""
    tone, letters = "5", []
    for char in unicodedata.normalize("NFD", marked):
        if char in _TONES:
            tone = _TONES[char]
        elif char == "\u0308":  # the diaeresis of ü
            letters[-1] = "v"
        else:
            letters.append(char)
    return "".join(letters) + tone


def generate() -> str:
    """The table: runs of consecutive characters, each line ``@<first code point, hex>``
    and the characters' most common readings; then ``=<word> <reading>`` for each
    two-character word read otherwise than its characters' most common readings."""
    chars = {point: syllable(readings.split(",")[0]) for point, readings in pinyin_dict.items()}
    lines = [f"# written by scripts/pinyin_table.py from pypinyin {__version__} (MIT licence: "
             "LICENSE-pypinyin.txt); do not edit"]
    run: list[str] = []
    start = previous = -2
    for point in sorted(chars):
        if point != previous + 1:
            if run:
                lines.append(f"@{start:x} " + " ".join(run))
            run, start = [], point
        run.append(chars[point])
        previous = point
    lines.append(f"@{start:x} " + " ".join(run))
    for word, readings in sorted(phrases_dict.items()):
        if len(word) == 2:
            read = "".join(syllable(r[0]) for r in readings)
            if read != word.translate(chars):
                lines.append(f"={word} {read}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    TABLE.write_text(generate(), encoding="utf-8")
    print(f"wrote {TABLE}")
