"""SQLAlchemy models, one module per aggregate."""

from funneldesk.models.activity import Activity, CalendarExport
from funneldesk.models.analytics import (
    DoctorRule,
    ForecastAdjustment,
    KpiTarget,
    TrainingPlan,
)
from funneldesk.models.audit import AuditEntry, TeamSetting
from funneldesk.models.base import Base
from funneldesk.models.contract import (
    Contract,
    ContractFile,
    ContractItem,
    ContractMilestone,
    ContractPayment,
    ContractReview,
    ContractStep,
    ReturnVisit,
)
from funneldesk.models.customer import (
    Channel,
    Company,
    CompanyTag,
    Contact,
    ContactTag,
    LeadSource,
    Merge,
    PoolEvent,
    Product,
    Segment,
    Tag,
)
from funneldesk.models.deal import (
    CriterionCheck,
    Deal,
    DealProgress,
    LostReason,
    StageChange,
    StageVisit,
)
from funneldesk.models.deal_team import DealMember, DealNote, DealReview
from funneldesk.models.enums import (
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
from funneldesk.models.follow_up import FollowUpPlan, StagePlanStep
from funneldesk.models.pipeline import Pipeline, Stage, StageCriterion
from funneldesk.models.quote import (
    OutboxMessage,
    Quote,
    QuoteLine,
    QuoteOption,
    QuoteRevision,
)
from funneldesk.models.scorecard import Scorecard
from funneldesk.models.search import SearchDoc, SearchRecent, SearchTerm
from funneldesk.models.user import User

__all__ = [
    "Activity",
    "ActivityKind",
    "ActivityState",
    "ApprovalState",
    "AuditEntry",
    "Base",
    "CalendarExport",
    "Channel",
    "Company",
    "CompanyTag",
    "Confidentiality",
    "Contact",
    "ContactTag",
    "Contract",
    "ContractFile",
    "ContractItem",
    "ContractMilestone",
    "ContractPayment",
    "ContractReview",
    "ContractState",
    "ContractStep",
    "CriterionCheck",
    "CriterionKind",
    "Deal",
    "DealMember",
    "DealNote",
    "DealProgress",
    "DealReview",
    "DealRole",
    "DoctorRule",
    "FollowUpPlan",
    "ForecastAdjustment",
    "KpiTarget",
    "LeadSource",
    "LostReason",
    "Merge",
    "OutboxMessage",
    "Pipeline",
    "PoolEvent",
    "Product",
    "Quote",
    "QuoteLine",
    "QuoteOption",
    "QuoteRevision",
    "QuoteState",
    "ReturnVisit",
    "Role",
    "Scorecard",
    "SearchDoc",
    "SearchRecent",
    "SearchTerm",
    "Segment",
    "Stage",
    "StageChange",
    "StageCriterion",
    "StageKind",
    "StagePlanStep",
    "StageVisit",
    "Tag",
    "TeamSetting",
    "TrainingPlan",
    "User",
]
