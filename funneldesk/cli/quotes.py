"""``funneldesk quote``: the quotes as a list (text or JSON), and one quote's PDF."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from funneldesk.cli.common import opened_services
from funneldesk.i18n import _


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                 common: argparse.ArgumentParser) -> None:
    command = sub.add_parser("quote", parents=[common], help=_("list quotes, or print one as PDF"),
                             description=_("Lists the quotes, or writes one as a PDF."))
    actions = command.add_subparsers(dest="quote_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[common], help=_("list every quote"),
                                 description=_("Lists every quote, the latest changed first: "
                                               "its state, revision and options' totals."))
    listing.add_argument("--json", action="store_true", help=_("write JSON"))
    listing.set_defaults(run=run_list)
    pdf = actions.add_parser("pdf", parents=[common], help=_("write a quote as a PDF"),
                             description=_(
                                 "Writes a quote as a PDF in its own language: the newest "
                                 "revision, or the one given. A quote below a floor price or "
                                 "the minimum margin without a manager's approval is marked "
                                 "as a draft on every page."))
    pdf.add_argument("quote_id", type=int, metavar="ID", help=_("the quote's id"))
    pdf.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                     help=_("the PDF file to write"))
    pdf.add_argument("--revision", type=int, metavar="N", help=_("an earlier revision"))
    pdf.set_defaults(run=run_pdf)


def run_list(args: argparse.Namespace) -> int:
    from funneldesk.services.quotes.records import state_label

    with opened_services(args) as services:
        quotes = services.quotes.all()
    if args.json:
        json.dump({"quotes": [_plain(q, state_label(q.state_code)) for q in quotes]},
                  sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if not quotes:
        print(_("No quotes yet."))
    for q in quotes:
        totals = "  ".join(f"{o.name} {o.total:,.2f}" for o in q.options)
        print(f"{q.id:>5}  {q.number}  R{q.revision}  {state_label(q.state_code)}  "
              f"{q.company or q.deal_title}  {q.currency} {totals}")
    return 0


def _plain(q: Any, label: str) -> dict[str, Any]:
    return {"id": q.id, "number": q.number, "title": q.title,
            "deal": {"id": q.deal_id, "title": q.deal_title},
            "customer": q.company or None, "owner": q.owner, "state": q.state_code,
            "state_label": label, "revision": q.revision, "revision_sent": q.revision_sent,
            "currency": q.currency,
            "options": [{"name": o.name, "total": f"{o.total:.2f}"} for o in q.options],
            "valid_until": q.valid_until.isoformat() if q.valid_until else None,
            "approval": q.approval.value, "needs_approval": q.needs_approval,
            "accepted_option": q.accepted_option}


def run_pdf(args: argparse.Namespace) -> int:
    from funneldesk.errors import InvalidInput

    with opened_services(args) as services:
        data = services.quotes.pdf(args.quote_id, args.revision)
    try:
        args.output.write_bytes(data)
    except OSError as error:
        raise InvalidInput("output", _("Cannot write {path}: {reason}").format(
            path=args.output, reason=error.strerror or error)) from error
    print(_("Written: {path}").format(path=args.output))
    return 0
