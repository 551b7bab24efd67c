"""Pieces of the rich text (Qt's HTML subset) that read-only panes show: a customer's
detail, a deal's timeline. A link's address is ``kind:id`` (deal:12), which the pane turns
into opening that record."""

from __future__ import annotations

import html


def escaped(text: str) -> str:
    return html.escape(text)


def heading(text: str) -> str:
    return f"<h3>{escaped(text)}</h3>"


def para(text: str) -> str:
    return f"<p>{escaped(text)}</p>"


def link(kind: str, ident: int, text: str) -> str:
    """``text`` as a link that opens the record."""
    return f"<a href='{kind}:{ident:d}'>{escaped(text)}</a>"


def record_of(address: str) -> tuple[str, int] | None:
    """The kind and id a link's address names; None for any other address."""
    kind, _sep, ident = address.partition(":")
    return (kind, int(ident)) if kind in ("deal", "company", "contact") \
        and ident.isdigit() else None


def names_unbroken(shown: str, *names: str) -> str:
    """``shown`` (escaped already) with each person's name kept on one line: Qt breaks
    Chinese text between any two characters (刘/洋) when the pane is narrow."""
    for name in {n for n in names if n}:
        shown = shown.replace(escaped(name),
                              f"<span style='white-space:nowrap'>{escaped(name)}</span>")
    return shown
