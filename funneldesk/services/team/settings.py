"""Team settings that are neither money nor users: the phone region, in which a
customer's number written without a country code is read (CN unless a manager changes
it, so that 138… is a Chinese mobile whatever language the interface speaks), how many
days a lead may stay untouched before it returns to the public pool, and the time zone
in which the KPIs count calendar days (this computer's until a manager sets one, so that
every member of a team spread over zones counts the same days)."""

from __future__ import annotations

import functools

from funneldesk.errors import InvalidInput
from funneldesk.i18n import _
from funneldesk.models import TeamSetting
from funneldesk.services.common import audit
from funneldesk.services.common.base import Service
from funneldesk.services.common.permissions import require_manager
from funneldesk.services.common.records import Actor
from funneldesk.services.common.sql import Query
from funneldesk.services.team import reads

PHONE_REGION = "phone_region"
DEFAULT_PHONE_REGION = "CN"
POOL_DAYS = "pool_days"
DEFAULT_POOL_DAYS = 30
MAX_POOL_DAYS = 3650  # ten years: anything longer is a typo, and 0 already means "never"


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

    def phone_regions(self) -> list[tuple[str, str]]:
        """(code, name in the user's language) of every region phone numbers are known
        for, in the order of their names."""
        import phonenumbers

        from funneldesk import formatting
        from funneldesk.collation import sort_key

        named = [(code, formatting.territory(code)) for code in phonenumbers.SUPPORTED_REGIONS]
        return sorted(named, key=lambda region: (sort_key(region[1]), region[0]))

    def pool_days(self) -> int:
        """Days a lead may stay untouched with its owner before it returns to the public
        pool; 0: the team has no public pool."""
        return pool_days(self.db.query)

    def set_pool_days(self, *, days: int, by: Actor) -> int:
        require_manager(by, _("Only a manager can change after how many days untouched "
                              "leads return to the public pool."))
        if not 0 <= days <= MAX_POOL_DAYS:
            raise InvalidInput("pool_days", _("Enter a number of days from 0 (no public "
                                              "pool) to {most}.").format(most=MAX_POOL_DAYS))
        with self.db.session() as session:
            before = session.get(TeamSetting, POOL_DAYS)
            old = int(before.value) if before is not None else DEFAULT_POOL_DAYS
            session.merge(TeamSetting(key=POOL_DAYS, value=str(days)))
            audit.record(session, by, "set-pool-days", "team_setting", None,
                         pool_days=[old, days])
        return days

    def time_zone(self) -> str:
        """The zone (an IANA name) in which the KPIs count days, weeks and months."""
        return reads.time_zone(self.db.query)

    def time_zone_chosen(self) -> bool:
        """Whether a manager has chosen the zone (else it is each computer's own)."""
        return reads.setting(self.db.query, reads.TIME_ZONE) is not None

    @staticmethod
    def time_zones() -> list[str]:
        """The zones offered, by name: places (Asia/Shanghai) and UTC, not the old aliases
        (PRC, US/Eastern) nor the Etc/GMT±N zones, whose sign is the reverse of what
        they seem to say (Etc/GMT+8 is eight hours behind UTC)."""
        return sorted(name for name in _every_zone()
                      if name == "UTC" or name.split("/")[0] in _REGIONS)

    def set_time_zone(self, *, zone: str, by: Actor) -> str:
        """Sets the team's zone (a manager's call); the KPIs' derived days are counted
        again in it at their next read."""
        require_manager(by, _("Only a manager can change the team's time zone."))
        name = self.check_time_zone(zone)
        with self.db.session() as session:
            old = self.time_zone()
            session.merge(TeamSetting(key=reads.TIME_ZONE, value=name))
            audit.record(session, by, "set-time-zone", "team_setting", None,
                         time_zone=[old, name])
        return name


    def check_time_zone(self, zone: str) -> str:
        """The zone's name as kept, or InvalidInput when no such zone is known. Case and
        spaces do not matter, and a city alone will do when one zone is named after it
        (new york: America/New_York)."""
        typed = "_".join(zone.split()).casefold()
        every = {name.casefold(): name for name in _every_zone()}
        if typed in every:
            return every[typed]
        cities = [name for name in self.time_zones() if name.casefold().endswith("/" + typed)]
        if typed and len(cities) == 1:
            return cities[0]
        raise InvalidInput("time_zone", _("“{zone}” is not a time zone FunnelDesk knows: "
                                          "choose one from the list, such as "
                                          "Asia/Shanghai.").format(zone=zone))


# names in the zone database that are not a place a team works in
_NOT_PLACES = frozenset({"Factory", "localtime", "posixrules"})
_REGIONS = frozenset({"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic",
                      "Australia", "Europe", "Indian", "Pacific"})


@functools.cache  # the zone files do not change while FunnelDesk runs
def _every_zone() -> frozenset[str]:
    import zoneinfo  # only here: listing the zones reads every zone file's name

    return frozenset(zoneinfo.available_timezones() - _NOT_PLACES)


def pool_days(query: Query) -> int:
    value = reads.setting(query, POOL_DAYS)
    return int(value) if value is not None else DEFAULT_POOL_DAYS
