"""Every change a user can make is one call here; the UI sees nothing below this package.

Each service module is imported the first time it is used: the board needs only plain
SQL, so the window paints before SQLAlchemy's ORM has been imported (``warm_up`` then
loads the rest off the GUI thread).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from funneldesk.db import Database
from funneldesk.services.board import BoardService
from funneldesk.services.users import UserService

if TYPE_CHECKING:
    from funneldesk.services.customers import CustomerService
    from funneldesk.services.deals import DealService
    from funneldesk.services.demo import DemoService
    from funneldesk.services.moves import MoveService
    from funneldesk.services.pipeline_admin import PipelineAdminService


class Services:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.board = BoardService(db)
        self.users = UserService(db)

    @classmethod
    def for_database(cls, db: Database) -> Services:
        """The services of ``db``, with the default pipeline created on a new database."""
        if not db.query("SELECT count(*) FROM pipelines")[0][0]:
            from funneldesk.services.seed import ensure_defaults

            with db.session() as session:
                ensure_defaults(session)
        return cls(db)

    @cached_property
    def moves(self) -> MoveService:
        from funneldesk.services.moves import MoveService

        return MoveService(self.db)

    @cached_property
    def deals(self) -> DealService:
        from funneldesk.services.deals import DealService

        return DealService(self.db)

    @cached_property
    def customers(self) -> CustomerService:
        from funneldesk.services.customers import CustomerService

        return CustomerService(self.db)

    @cached_property
    def pipelines(self) -> PipelineAdminService:
        from funneldesk.services.pipeline_admin import PipelineAdminService

        return PipelineAdminService(self.db)

    @cached_property
    def demo(self) -> DemoService:
        from funneldesk.services.demo import DemoService

        return DemoService(self.db)

    def warm_up(self) -> None:
        """Imports the ORM and every service, opens the engine and configures the mappers
        (call off the GUI thread), so that a user's first change pays for none of it."""
        from sqlalchemy.orm import configure_mappers

        for name in ("moves", "deals", "customers", "pipelines"):
            getattr(self, name)
        configure_mappers()
        self.db.engine  # noqa: B018 - creates the engine

    def has_deals(self) -> bool:
        return self.board.has_deals()
