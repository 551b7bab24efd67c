"""``funneldesk contract``: the contracts as a list (text or JSON), and one contract's PDF,
encrypted when it is confidential or a password is given on standard input."""

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
    command = sub.add_parser("contract", parents=[common],
                             help=_("list contracts, or print one as PDF"),
                             description=_("Lists the contracts, or writes one as a PDF."))
    actions = command.add_subparsers(dest="contract_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[common], help=_("list every contract"),
                                 description=_(
                                     "Lists every contract you may read, the latest changed "
                                     "first: its state, amount and signature date."))
    listing.add_argument("--json", action="store_true", help=_("write JSON"))
    listing.set_defaults(run=run_list)
    pdf = actions.add_parser("pdf", parents=[common], help=_("write a contract as a PDF"),
                             description=_(
                                 "Writes a contract as a PDF in its own language. With "
                                 "--password-stdin the first line of standard input is the "
                                 "password and the PDF is encrypted (AES-256); a confidential "
                                 "contract is always encrypted, with the password kept in the "
                                 "keyring for it when none is given."))
    pdf.add_argument("contract_id", type=int, metavar="ID", help=_("the contract's id"))
    pdf.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                     help=_("the PDF file to write"))
    pdf.add_argument("--password-stdin", action="store_true",
                     help=_("read the PDF's password from the first line of standard input"))
    pdf.set_defaults(run=run_pdf)


def run_list(args: argparse.Namespace) -> int:
    from funneldesk.services.contracts.records import confidentiality_label, state_label

    with opened_services(args) as services:
        contracts = services.contracts.all(viewer=services.users.current())
    if args.json:
        json.dump({"contracts": [_plain(c) for c in contracts]}, sys.stdout,
                  ensure_ascii=False, indent=1)
        print()
        return 0
    if not contracts:
        print(_("No contracts yet."))
    for c in contracts:
        signed = c.signed_on.isoformat() if c.signed_on else "—"
        print(f"{c.id:>5}  {c.number}  {state_label(c.state)}  "
              f"{confidentiality_label(c.confidentiality)}  {c.customer or c.deal_title}  "
              f"{c.currency} {c.amount:,.2f}  {signed}")
    return 0


def _plain(c: Any) -> dict[str, Any]:
    from funneldesk.services.contracts.records import state_label

    return {"id": c.id, "number": c.number, "title": c.title,
            "deal": {"id": c.deal_id, "title": c.deal_title},
            "customer": c.customer or None, "owner": c.owner, "state": c.state.value,
            "state_label": state_label(c.state), "confidentiality": c.confidentiality.value,
            "amount": f"{c.amount:.2f}", "received": f"{c.received:.2f}",
            "currency": c.currency,
            "signed_on": c.signed_on.isoformat() if c.signed_on else None}


def run_pdf(args: argparse.Namespace) -> int:
    from funneldesk.errors import InvalidInput

    password = None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise InvalidInput("password", _("The first line of standard input is empty: "
                                             "give the PDF's password there."))
    with opened_services(args) as services:
        data = services.contracts.pdf_to_save(args.contract_id,
                                              viewer=services.users.current(),
                                              password=password)
    from funneldesk.files import write_whole

    write_whole(args.output, data)
    print(_("Written: {path}").format(path=args.output))
    return 0
