"""The people using FunnelDesk; in single-user mode, the operating-system login."""

from __future__ import annotations

import getpass

from funneldesk.enums import Role
from funneldesk.services.common.base import Service
from funneldesk.services.common.records import Actor
from funneldesk.services.team.reads import read_owners
from funneldesk.services.team.records import UserInfo


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return "user"


class UserService(Service):
    def current(self, login: str | None = None) -> Actor:
        """The acting user, created from the OS login on first open (as a manager:
        in single-user mode the one person sets up their own stages)."""
        login = login or _login()
        rows = self.db.query("SELECT id, display_name, role FROM users WHERE login = ?", (login,))
        if rows:
            ident, name, role = rows[0]
            return Actor(int(ident), login, str(name), Role[role])
        return self._create(login)

    def named(self, login: str) -> Actor:
        """The user with this login (or display name)."""
        from funneldesk.errors import InvalidInput
        from funneldesk.i18n import _

        rows = self.db.query("SELECT id, login, display_name, role FROM users WHERE login = ? "
                             "ORDER BY id", (login,)) or self.db.query(
            "SELECT id, login, display_name, role FROM users WHERE display_name = ? "
            "ORDER BY id", (login,))
        if not rows:
            raise InvalidInput("user", _("FunnelDesk has no user “{login}”.").format(
                login=login))
        ident, found, name, role = rows[0]
        return Actor(int(ident), str(found), str(name), Role[role])

    def _create(self, login: str) -> Actor:
        from funneldesk.models import User
        from funneldesk.services.common import audit

        with self.db.session() as session:
            user = User(login=login, display_name=login, role=Role.MANAGER)
            session.add(user)
            session.flush()
            audit.record(session, None, "create", "user", user.id, login=login)
            return Actor(user.id, login, login, Role.MANAGER)

    def list(self) -> list[UserInfo]:
        return list(read_owners(self.db.query))
