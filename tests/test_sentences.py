"""Translators get whole sentences: counts go through ngettext, and no translated text is
glued to other text with ``+``."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from funneldesk import i18n
from funneldesk.errors import StageNotEmpty

ROOT = Path(__file__).resolve().parent.parent / "funneldesk"
TRANSLATE = ("_", "ngettext")
# "{n} deals", "{deals} deals": a count that the singular would word differently
COUNTED = re.compile(r"\{(?:n|count)\}|\{(\w+)\} \1\b")


def translated(node: ast.AST) -> bool:
    """``_("…")``, ``ngettext(…)``, or either followed by ``.format(…)``."""
    if not isinstance(node, ast.Call):
        return False
    if isinstance(node.func, ast.Name):
        return node.func.id in TRANSLATE
    return (isinstance(node.func, ast.Attribute) and node.func.attr == "format"
            and translated(node.func.value))


def glue(node: ast.AST) -> bool:
    """Text that, added to a translation, makes a sentence no translator saw whole.
    Line breaks between whole sentences are fine."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.strip("\n") != ""
    return isinstance(node, ast.JoinedStr) or translated(node)


def sources() -> list[Path]:
    return sorted(ROOT.rglob("*.py"))


def glued_in(paths: list[Path]) -> list[str]:
    glued = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and (
                    (translated(node.left) and glue(node.right))
                    or (translated(node.right) and glue(node.left))):
                glued.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return glued


def test_no_translated_text_is_glued_to_other_text() -> None:
    checked = sources()
    assert any(p.parent.name == "board" for p in checked)  # the dialogs are among them
    assert glued_in(checked) == []


def test_counts_use_plural_forms() -> None:
    singular_only = []
    for path in sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("_", "N_") and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and COUNTED.search(str(node.args[0].value))):
                singular_only.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert singular_only == []


@pytest.mark.parametrize(("count", "wording"), [
    (1, "“Proposal” still holds 1 deal. Move it to another stage first."),
    (3, "“Proposal” still holds 3 deals. Move them to another stage first."),
])
def test_a_stage_that_still_holds_deals_says_how_many_in_the_right_form(
        count: int, wording: str) -> None:
    i18n.set_language("en")
    assert StageNotEmpty("Proposal", count).message() == wording
