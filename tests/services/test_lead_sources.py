"""The team's lead sources: a manager renames, orders and counts the team's own; the
built-in ones keep their translated names."""

from __future__ import annotations

import pytest

from funneldesk.errors import InvalidInput, NotAllowed
from funneldesk.services import Services
from funneldesk.services.customers.records import CompanyFields
from funneldesk.services.dto import Actor


def test_a_manager_renames_reorders_and_counts_the_team_s_own_sources(
        services: Services, manager: Actor, rep: Actor) -> None:
    own = services.lead_sources.add(label="小红书", by=manager)
    services.customers.add_company(CompanyFields(name="星辰科技", lead_source_id=own.id),
                                   by=manager)
    with pytest.raises(NotAllowed):
        services.lead_sources.rename(source_id=own.id, label="红书", by=rep)
    services.lead_sources.rename(source_id=own.id, label="小红书 RED", by=manager)
    assert services.lead_sources.find("小红书 RED") == own.id
    assert services.lead_sources.usage() == {own.id: 1}
    wechat = services.lead_sources.find("WeChat")
    assert wechat is not None
    with pytest.raises(InvalidInput) as built_in:  # shown in each user's language
        services.lead_sources.rename(source_id=wechat, label="Weixin", by=manager)
    assert built_in.value.field == "label"
    with pytest.raises(InvalidInput):  # the name of another source
        services.lead_sources.rename(source_id=own.id, label="微信", by=manager)
    assert services.lead_sources.find("小红书 RED") == own.id  # nothing changed
    services.lead_sources.move(source_id=own.id, down=False, by=manager)
    order = [s.id for s in services.lead_sources.all()]
    assert order[-2] == own.id  # one up: before the last seeded one
    services.lead_sources.move(source_id=order[0], down=False, by=manager)  # already first
    assert [s.id for s in services.lead_sources.all()] == order
