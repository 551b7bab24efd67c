"""The KPI definitions are one text: the module the window and the command read, and
docs/ARCHITECTURE.md, word for word; the command's help carries them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from funneldesk import i18n
from funneldesk.cli import main
from funneldesk.services.analytics.definitions import DEFINITIONS

ROOT = Path(__file__).resolve().parents[3]


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_docs_carry_every_definition_word_for_word() -> None:
    docs = _words((ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8"))
    for d in DEFINITIONS:
        assert f"- **{d.title}**: {_words(d.text)}" in docs, d.code


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_command_s_help_shows_them_in_the_user_s_language(
        lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    try:
        with pytest.raises(SystemExit):
            main(["--lang", lang, "kpi", "--help"])
        shown = _words(capsys.readouterr().out)
        for d in DEFINITIONS:
            assert _words(i18n.translated(d.text, lang)) in shown
        if lang == "zh_CN":
            assert "赢单率" in shown
    finally:
        i18n.set_language("en")
