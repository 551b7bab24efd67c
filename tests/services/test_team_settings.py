"""The team's phone region: CN until a manager sets another, kept in the database and
recorded in the audit history; a rep cannot change it, and an unknown region is refused."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from funneldesk.db import Database
from funneldesk.errors import InvalidInput, NotAllowed
from funneldesk.models import AuditEntry
from funneldesk.services import Services
from funneldesk.services.customers import validation
from funneldesk.services.dto import Actor


def test_the_phone_region_is_cn_until_a_manager_sets_another(
        services: Services, manager: Actor, db: Database) -> None:
    assert services.team_settings.phone_region() == "CN"
    assert services.team_settings.set_phone_region(region=" hk ", by=manager) == "HK"
    assert Services.for_database(db).team_settings.phone_region() == "HK"  # kept in the file
    # a number without a country code is now read as Hong Kong's
    assert validation.phone("6123 4567", services.team_settings.phone_region()) == "+85261234567"
    with db.session() as session:
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "set-phone-region")).one()
        assert json.loads(entry.details) == {"phone_region": ["CN", "HK"]}
        assert entry.user_id == manager.id


def test_a_rep_cannot_change_it_and_an_unknown_region_is_refused(
        services: Services, manager: Actor, rep: Actor) -> None:
    with pytest.raises(NotAllowed):
        services.team_settings.set_phone_region(region="US", by=rep)
    with pytest.raises(InvalidInput) as refused:
        services.team_settings.set_phone_region(region="China", by=manager)
    assert refused.value.field == "phone_region"
    assert services.team_settings.phone_region() == "CN"


def test_a_manager_sets_the_team_s_time_zone_and_a_bad_one_changes_nothing(
        services: Services, manager: Actor, rep: Actor, db: Database) -> None:
    assert "Asia/Shanghai" in services.team_settings.time_zones()
    assert "localtime" not in services.team_settings.time_zones()
    before = services.team_settings.time_zone()
    with pytest.raises(InvalidInput) as refused:
        services.team_settings.set_time_zone(zone="Asia/Beijing", by=manager)
    assert refused.value.field == "time_zone"
    assert "Asia/Beijing" in str(refused.value)
    with pytest.raises(NotAllowed):
        services.team_settings.set_time_zone(zone="Asia/Shanghai", by=rep)
    assert services.team_settings.time_zone() == before
    assert not services.team_settings.time_zone_chosen()
    # as typed: case and spaces do not matter, and a city alone names its zone
    assert services.team_settings.check_time_zone("new york") == "America/New_York"
    assert services.team_settings.check_time_zone(" asia/shanghai ") == "Asia/Shanghai"
    assert "Etc/GMT+8" not in services.team_settings.time_zones()  # eight hours behind
    services.team_settings.set_time_zone(zone="Shanghai", by=manager)
    assert Services.for_database(db).team_settings.time_zone() == "Asia/Shanghai"
    assert services.team_settings.time_zone_chosen()
    with db.session() as session:
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "set-time-zone")).one()
        assert json.loads(entry.details) == {"time_zone": [before, "Asia/Shanghai"]}


def test_today_is_the_team_s_day_wherever_this_computer_is(
        services: Services, manager: Actor) -> None:
    """Kiritimati (UTC+14) and Pago Pago (UTC−11) are never on the same day: "this
    month" counts from the team's day, not this computer's."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    services.team_settings.set_time_zone(zone="Pacific/Kiritimati", by=manager)
    ahead = services.analytics.today()
    assert ahead == dt.datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    services.team_settings.set_time_zone(zone="Pacific/Pago_Pago", by=manager)
    assert services.analytics.today() < ahead
