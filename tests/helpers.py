"""Small builders shared by tests."""

from __future__ import annotations

from decimal import Decimal

from funneldesk.services import Services
from funneldesk.services.dto import Actor, Card, DealFields, PipelineInfo, StageInfo


def pipeline(services: Services) -> PipelineInfo:
    return services.pipelines.pipeline(services.board.pipelines()[0][0])


def stage(services: Services, name: str) -> StageInfo:
    return next(s for s in pipeline(services).stages if s.name == name)


def make_deal(services: Services, by: Actor, *, title: str = "Warehouse system",
              stage_name: str = "Initial contact", value: str = "1000") -> Card:
    target = stage(services, stage_name)
    fields = DealFields(title, None, None, Decimal(value), "USD", None, by.id)
    return services.deals.create(pipeline_id=target.pipeline_id, stage_id=target.id,
                                 fields=fields, by=by).card


def tick_all(services: Services, by: Actor, deal_id: int, *stage_names: str) -> None:
    for name in stage_names:
        for criterion in stage(services, name).criteria:
            services.deals.set_criterion(deal_id=deal_id, criterion_id=criterion.id,
                                         checked=True, by=by, expected_version=version(services, deal_id))


def version(services: Services, deal_id: int) -> int:
    """The deal's version as saved now."""
    return services.deals.detail(deal_id).version
