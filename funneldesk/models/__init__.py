"""SQLAlchemy models, one module per aggregate."""

from funneldesk.models.audit import AuditEntry, TeamSetting
from funneldesk.models.base import Base
from funneldesk.models.customer import Company, Contact
from funneldesk.models.deal import CriterionCheck, Deal, LostReason, StageChange
from funneldesk.models.enums import CriterionKind, Role, StageKind
from funneldesk.models.pipeline import Pipeline, Stage, StageCriterion
from funneldesk.models.search import SearchDoc, SearchRecent, SearchTerm
from funneldesk.models.user import User

__all__ = [
    "AuditEntry", "Base", "Company", "Contact", "CriterionCheck", "CriterionKind", "Deal",
    "LostReason", "Pipeline", "Role", "SearchDoc", "SearchRecent", "SearchTerm", "Stage",
    "StageChange", "StageCriterion", "StageKind", "TeamSetting", "User",
]
