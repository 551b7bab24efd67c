"""The enumerations the models store; they live in funneldesk.enums so that code which
only reads them needs no SQLAlchemy import."""

from funneldesk.enums import (
    ActivityKind,
    ActivityState,
    ApprovalState,
    Confidentiality,
    ContractState,
    CriterionKind,
    DealRole,
    QuoteState,
    Role,
    StageKind,
)

__all__ = ["ActivityKind", "ActivityState", "ApprovalState", "Confidentiality",
           "ContractState", "CriterionKind", "DealRole",
           "QuoteState", "Role", "StageKind"]
