"""The records that services hand out (plain frozen dataclasses, never live ORM objects),
gathered in one place for the UI. Each is defined in its area's ``records`` module; inside
``services`` an area imports its own records and those of the areas before it, never this
module (it would tie every area to every other).

The enums are re-exported too, so that the UI needs nothing from funneldesk.models.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from funneldesk.enums import CriterionKind, Role, StageKind
from funneldesk.services.common.records import (
    Actor,
    ChangeSet,
    CurrencyRates,
    SearchHit,
    Total,
)
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
    StepState,
    TrashedDeal,
)
from funneldesk.services.sample_data.records import SampleCounts
from funneldesk.services.team.records import RateInfo, RateTable, UserInfo

if TYPE_CHECKING:
    from funneldesk.services.customers.list_records import (
        ANY_KEY_LEVEL,
        COMPANY,
        COMPANY_COLUMNS,
        CONTACT,
        CONTACT_COLUMNS,
        CompanyRow,
        ContactRow,
        CustomerColumn,
        CustomerDeal,
        CustomerOverview,
        CustomerQuery,
        CustomerRow,
        HistoryLine,
        SegmentInfo,
        TagCount,
        columns_of,
        consent_label,
        role_label,
    )
    from funneldesk.services.customers.records import (
        KEY_LEVELS,
        ChannelInfo,
        CompanyDetail,
        ContactDetail,
        Named,
        PoolHistoryEntry,
    )


# The customers area's records are imported when first asked for: they are many
# dataclasses, and the board's first paint needs none of them (25 ms of its start-up)
_LAZY = {
    "ANY_KEY_LEVEL": "funneldesk.services.customers.list_records",
    "COMPANY": "funneldesk.services.customers.list_records",
    "COMPANY_COLUMNS": "funneldesk.services.customers.list_records",
    "CONTACT": "funneldesk.services.customers.list_records",
    "CONTACT_COLUMNS": "funneldesk.services.customers.list_records",
    "CompanyRow": "funneldesk.services.customers.list_records",
    "ContactRow": "funneldesk.services.customers.list_records",
    "CustomerColumn": "funneldesk.services.customers.list_records",
    "CustomerDeal": "funneldesk.services.customers.list_records",
    "CustomerOverview": "funneldesk.services.customers.list_records",
    "CustomerQuery": "funneldesk.services.customers.list_records",
    "CustomerRow": "funneldesk.services.customers.list_records",
    "HistoryLine": "funneldesk.services.customers.list_records",
    "SegmentInfo": "funneldesk.services.customers.list_records",
    "TagCount": "funneldesk.services.customers.list_records",
    "columns_of": "funneldesk.services.customers.list_records",
    "consent_label": "funneldesk.services.customers.list_records",
    "role_label": "funneldesk.services.customers.list_records",
    "KEY_LEVELS": "funneldesk.services.customers.records",
    "ChannelInfo": "funneldesk.services.customers.records",
    "CompanyDetail": "funneldesk.services.customers.records",
    "ContactDetail": "funneldesk.services.customers.records",
    "Named": "funneldesk.services.customers.records",
    "PoolHistoryEntry": "funneldesk.services.customers.records",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "ANY_KEY_LEVEL",
    "COMPANY",
    "COMPANY_COLUMNS",
    "CONTACT",
    "CONTACT_COLUMNS",
    "DEFAULT_OUTCOMES",
    "KEY_LEVELS",
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
    "ChannelInfo",
    "ChecklistItem",
    "ColumnStart",
    "CompanyDetail",
    "CompanyRow",
    "ContactDetail",
    "ContactRow",
    "CriterionInfo",
    "CriterionKind",
    "CurrencyRates",
    "CustomerColumn",
    "CustomerDeal",
    "CustomerOverview",
    "CustomerQuery",
    "CustomerRow",
    "DateRange",
    "DealDetail",
    "DealFields",
    "DealQuery",
    "DealResult",
    "DealRow",
    "DealState",
    "HistoryEntry",
    "HistoryLine",
    "ListColumn",
    "MissingCriterion",
    "MoveCheck",
    "MoveResult",
    "Named",
    "OffBoardResult",
    "Outcome",
    "PipelineInfo",
    "PoolHistoryEntry",
    "RateInfo",
    "RateTable",
    "Role",
    "SampleCounts",
    "SearchHit",
    "SegmentInfo",
    "StageInfo",
    "StageKind",
    "StepState",
    "TagCount",
    "Total",
    "TrashedDeal",
    "UserInfo",
    "columns_of",
    "consent_label",
    "query_from_dict",
    "query_to_dict",
    "role_label",
]
