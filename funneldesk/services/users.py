"""The people using FunnelDesk; in single-user mode, the operating-system login."""

from __future__ import annotations

import getpass

from sqlalchemy import select

from funneldesk.models import Role, User
from funneldesk.services import audit
from funneldesk.services.base import Service
from funneldesk.services.dto import Actor, UserInfo


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return "user"


def _actor(user: User) -> Actor:
    return Actor(user.id, user.login, user.display_name, user.role)


class UserService(Service):
    def current(self, login: str | None = None) -> Actor:
        """The acting user, created from the OS login on first open (as a manager:
        in single-user mode the one person sets up their own stages)."""
        login = login or _login()
        with self.db.session() as session:
            user = session.scalar(select(User).where(User.login == login))
            if user is None:
                user = User(login=login, display_name=login, role=Role.MANAGER)
                session.add(user)
                session.flush()
                audit.record(session, None, "create", "user", user.id, login=login)
            return _actor(user)

    def list(self) -> list[UserInfo]:
        with self.db.session() as session:
            rows = session.execute(
                select(User.id, User.display_name).where(User.active).order_by(User.display_name)
            )
            return [UserInfo(r.id, r.display_name) for r in rows]
