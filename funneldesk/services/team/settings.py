"""Team settings that are neither money nor users: for now the phone region, in which a
customer's number written without a country code is read (CN unless a manager changes
it, so that 138… is a Chinese mobile whatever language the interface speaks)."""

from __future__ import annotations

from funneldesk.errors import InvalidInput
from funneldesk.i18n import _
from funneldesk.models import TeamSetting
from funneldesk.services.common import audit
from funneldesk.services.common.base import Service
from funneldesk.services.common.permissions import require_manager
from funneldesk.services.common.records import Actor
from funneldesk.services.team import reads

PHONE_REGION = "phone_region"
DEFAULT_PHONE_REGION = "CN"


class TeamSettingsService(Service):
    def phone_region(self) -> str:
        """The region (ISO 3166 code) of a phone number typed without a country code."""
        return reads.setting(self.db.query, PHONE_REGION) or DEFAULT_PHONE_REGION

    def set_phone_region(self, *, region: str, by: Actor) -> str:
        """Sets the phone region (a manager's call); the region as kept."""
        import phonenumbers  # only here: it loads its metadata when imported

        require_manager(by, _("Only a manager can change the team's phone region."))
        code = region.strip().upper()
        if code not in phonenumbers.SUPPORTED_REGIONS:
            raise InvalidInput("phone_region", _("“{region}” is not a region phone numbers "
                                                 "are known for (use a two-letter code such "
                                                 "as CN, HK or US).").format(region=region))
        with self.db.session() as session:
            before = session.get(TeamSetting, PHONE_REGION)
            old = before.value if before is not None else DEFAULT_PHONE_REGION
            session.merge(TeamSetting(key=PHONE_REGION, value=code))
            audit.record(session, by, "set-phone-region", "team_setting", None,
                         phone_region=[old, code])
        return code
