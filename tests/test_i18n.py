"""Every message is translated into Simplified Chinese, and the catalog the program loads
is compiled from the current .po."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from funneldesk import i18n
from funneldesk.paths import LOCALE_DIR

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import i18n as catalog_tool

PO = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "funneldesk.po"


def read() -> object:
    with PO.open("rb") as fh:
        return read_po(fh, locale="zh_CN")


def test_every_message_in_the_code_has_a_zh_cn_translation() -> None:
    catalog = read()
    extracted = catalog_tool.extract()
    missing = []
    for m in extracted:
        if not m.id:
            continue
        # by id and context: pgettext's words are entries of their own
        found = catalog.get(m.id, context=m.context)  # type: ignore[attr-defined]
        if found is None or not found.string or "fuzzy" in found.flags:
            missing.append((m.context, m.id))
    assert missing == []


def test_placeholders_survive_translation() -> None:
    for message in read():  # type: ignore[attr-defined]
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"{\w+}", ids[-1]))
        for text in strings:
            assert set(re.findall(r"{\w+}", text)) == wanted, message.id


def test_compiled_catalog_is_up_to_date() -> None:
    buffer = io.BytesIO()
    write_mo(buffer, read())  # type: ignore[arg-type]
    assert PO.with_suffix(".mo").read_bytes() == buffer.getvalue(), \
        "run: python scripts/i18n.py compile"


def test_language_switches_every_layer() -> None:
    from funneldesk.errors import StageNotEmpty

    i18n.set_language("zh_CN")
    assert i18n._("Initial contact") == "初步接触"
    assert "先" in StageNotEmpty("方案制定", 3).message()
    i18n.set_language("en")
    assert StageNotEmpty("Proposal", 3).message().startswith("“Proposal” still holds 3")


def test_system_locale_picks_the_language(monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert i18n.set_language(None) == "zh_CN"
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert i18n.set_language(None) == "en"


def test_no_translation_call_hides_inside_an_f_string() -> None:
    """Catalog extraction cannot see _() inside an f-string: such text stays English."""
    import ast

    root = Path(__file__).resolve().parent.parent / "funneldesk"
    hidden = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                hidden += [f"{path.name}:{call.lineno}" for call in ast.walk(node)
                           if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                           and call.func.id in ("_", "ngettext")]
    assert hidden == []


def test_a_missing_catalog_is_an_error_that_names_the_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from funneldesk.errors import FunnelDeskError

    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    with pytest.raises(FunnelDeskError) as caught:
        i18n.set_language("zh_CN")
    expected = tmp_path / "zh_CN" / "LC_MESSAGES" / "funneldesk.mo"
    assert str(expected) in caught.value.message()
    assert i18n.language() == "en"  # the failed switch left the language as it was
    assert i18n.set_language("en") == "en"  # English is the source text: no catalog needed


def test_the_command_reports_a_missing_catalog_in_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from funneldesk.cli import main

    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    assert main(["--lang", "zh_CN", "demo", "--deals", "1", "--db", str(tmp_path / "a.db")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "funneldesk.mo" in err
    assert not (tmp_path / "a.db").exists()
