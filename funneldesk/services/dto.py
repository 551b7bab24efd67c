"""The records that services hand out (plain frozen dataclasses, never live ORM objects),
gathered in one place for the UI. Each is defined in its area's ``records`` module; inside
``services`` an area imports its own records and those of the areas before it, never this
module (it would tie every area to every other).

The enums are re-exported too, so that the UI needs nothing from funneldesk.models.
"""

from __future__ import annotations

from funneldesk.enums import CriterionKind, Role, StageKind
from funneldesk.services.common.records import (
    Actor,
    ChangeSet,
    CurrencyRates,
    SearchHit,
    Total,
)
from funneldesk.services.customers.records import Named
from funneldesk.services.pipeline.list_records import (
    DEFAULT_OUTCOMES,
    BulkDone,
    BulkKind,
    BulkRefusal,
    BulkResult,
    BulkSpec,
    DateRange,
    DealQuery,
    DealRow,
    ListColumn,
    Outcome,
    query_from_dict,
    query_to_dict,
)
from funneldesk.services.pipeline.records import (
    ArchivedDeal,
    Board,
    Card,
    ChecklistItem,
    ColumnStart,
    CriterionInfo,
    DealDetail,
    DealFields,
    DealResult,
    DealState,
    HistoryEntry,
    MissingCriterion,
    MoveCheck,
    MoveResult,
    OffBoardResult,
    PipelineInfo,
    StageInfo,
    TrashedDeal,
)
from funneldesk.services.sample_data.records import SampleCounts
from funneldesk.services.team.records import RateInfo, RateTable, UserInfo

__all__ = [
    "DEFAULT_OUTCOMES",
    "Actor",
    "ArchivedDeal",
    "Board",
    "BulkDone",
    "BulkKind",
    "BulkRefusal",
    "BulkResult",
    "BulkSpec",
    "Card",
    "ChangeSet",
    "ChecklistItem",
    "ColumnStart",
    "CriterionInfo",
    "CriterionKind",
    "CurrencyRates",
    "DateRange",
    "DealDetail",
    "DealFields",
    "DealQuery",
    "DealResult",
    "DealRow",
    "DealState",
    "HistoryEntry",
    "ListColumn",
    "MissingCriterion",
    "MoveCheck",
    "MoveResult",
    "Named",
    "OffBoardResult",
    "Outcome",
    "PipelineInfo",
    "RateInfo",
    "RateTable",
    "Role",
    "SampleCounts",
    "SearchHit",
    "StageInfo",
    "StageKind",
    "Total",
    "TrashedDeal",
    "UserInfo",
    "query_from_dict",
    "query_to_dict",
]
