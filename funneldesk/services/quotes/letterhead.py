"""The company's letterhead on quotes and contracts: name, address, tax number, bank
account and logo, kept in the team's settings and entered by a manager."""

from __future__ import annotations

import json
from base64 import b64decode, b64encode
from dataclasses import asdict, replace

from funneldesk.errors import InvalidFields, InvalidInput
from funneldesk.i18n import _
from funneldesk.models import TeamSetting
from funneldesk.reports.quote_document import Letterhead
from funneldesk.services.common import audit
from funneldesk.services.common.base import Service
from funneldesk.services.common.permissions import require_manager
from funneldesk.services.common.records import Actor
from funneldesk.services.common.sql import Query
from funneldesk.services.team import reads

KEY = "letterhead"
LOGO_KEY = "letterhead_logo"
MAX_LOGO = 2_000_000  # bytes: a letterhead logo, not a photograph
_LIMITS = {"name": 200, "address": 300, "phone": 60, "email": 120, "tax_number": 40,
           "bank": 120, "account": 60}


def letterhead(query: Query) -> Letterhead:
    fields = json.loads(reads.setting(query, KEY) or "{}")
    logo = reads.setting(query, LOGO_KEY)
    return Letterhead(**{k: str(v) for k, v in fields.items() if k in _LIMITS},
                      logo=b64decode(logo) if logo else b"")


class LetterheadService(Service):
    def letterhead(self) -> Letterhead:
        return letterhead(self.db.query)

    def set_letterhead(self, head: Letterhead, *, by: Actor) -> Letterhead:
        require_manager(by, _("Only a manager can change the company's letterhead."))
        clean = replace(head, **{k: getattr(head, k).strip() for k in _LIMITS})
        problems = [InvalidInput(k, _("Too long: at most {limit} characters.")
                                 .format(limit=limit))
                    for k, limit in _LIMITS.items() if len(getattr(clean, k)) > limit]
        if not clean.name:
            problems.append(InvalidInput("name", _("Enter the company's name.")))
        if clean.logo and not clean.logo.startswith((b"\x89PNG", b"\xff\xd8")):
            problems.append(InvalidInput("logo", _("The logo must be a PNG or JPEG image.")))
        elif len(clean.logo) > MAX_LOGO:
            problems.append(InvalidInput("logo", _("The logo is too large: at most 2 MB.")))
        if problems:
            raise InvalidFields.of(problems)
        before = self.letterhead()
        fields = {k: v for k, v in asdict(clean).items() if k != "logo"}
        with self.db.session() as session:
            session.merge(TeamSetting(key=KEY, value=json.dumps(fields, ensure_ascii=False)))
            session.merge(TeamSetting(key=LOGO_KEY, value=b64encode(clean.logo).decode()))
            audit.record(session, by, "set-letterhead", "team_setting", None, changed={
                k: [getattr(before, k), v] for k, v in fields.items()
                if getattr(before, k) != v}, logo_changed=before.logo != clean.logo)
        return clean
