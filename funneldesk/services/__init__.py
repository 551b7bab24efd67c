"""Every change a user can make is one call here; the UI sees nothing below this package."""

from __future__ import annotations

from dataclasses import dataclass

from funneldesk.db import Database
from funneldesk.services.board import BoardService
from funneldesk.services.customers import CustomerService
from funneldesk.services.deals import DealService
from funneldesk.services.demo import DemoService
from funneldesk.services.moves import MoveService
from funneldesk.services.pipeline_admin import PipelineAdminService
from funneldesk.services.seed import ensure_defaults
from funneldesk.services.users import UserService


@dataclass(frozen=True)
class Services:
    board: BoardService
    moves: MoveService
    deals: DealService
    customers: CustomerService
    pipelines: PipelineAdminService
    users: UserService
    demo: DemoService
    database_path: str

    @classmethod
    def for_database(cls, db: Database) -> Services:
        with db.session() as session:
            ensure_defaults(session)
        return cls(BoardService(db), MoveService(db), DealService(db), CustomerService(db),
                   PipelineAdminService(db), UserService(db), DemoService(db), str(db.path))

    def has_deals(self) -> bool:
        return self.board.deal_count() > 0
