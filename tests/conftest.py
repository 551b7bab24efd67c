"""Fixtures: a fresh migrated database per test (copied from one template), services,
and the acting users. Qt runs offscreen."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# no test reads or writes the developer's own keyring (or asks to unlock it): every run
# sees the machine as CI does, with no secure keyring; a test that needs one puts its
# own in place of funneldesk.secrets' reads and writes. Commands run as programs inherit it.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

import pytest

from funneldesk import i18n
from funneldesk.db import Database, open_database
from funneldesk.logs import close_logging
from funneldesk.services import Services
from funneldesk.services.dto import Actor, Role


@pytest.fixture(autouse=True)
def _english_and_private_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("FUNNELDESK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("FUNNELDESK_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("FUNNELDESK_DATA_DIR", str(tmp_path / "data"))
    i18n.set_language("en")
    yield
    i18n.set_language("en")
    close_logging()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    i18n.set_language("en")
    db = open_database(path)
    Services.for_database(db)
    db.close()
    return path


@pytest.fixture(scope="session")
def sample_deals_db(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template with 450 sample deals (seed 5) the manager generated: the tests of
    the Deals list all read such a list, and generating it anew for each took a second
    and a half."""
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    shutil.copy(template_db, path)
    i18n.set_language("en")
    db = open_database(path)
    services = Services.for_database(db)
    services.demo.generate(deals=450, seed=5, by=services.users.current("manager"))
    db.close()
    return path


@pytest.fixture
def db_path(request: pytest.FixtureRequest, template_db: Path, tmp_path: Path) -> Path:
    """A copy of the template: with the sample deals for a test marked sample_deals."""
    path = tmp_path / "funneldesk.db"
    marked = request.node.get_closest_marker("sample_deals") is not None
    shutil.copy(request.getfixturevalue("sample_deals_db") if marked else template_db, path)
    return path


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(db_path)
    yield database
    qt = sys.modules.get("PySide6.QtCore")
    if qt is not None:  # a window's read may still run off the GUI thread: as the app does,
        qt.QThreadPool.globalInstance().waitForDone()  # let it end before the file closes
    database.close()


@pytest.fixture
def services(db: Database) -> Services:
    return Services.for_database(db)


@pytest.fixture
def manager(services: Services) -> Actor:
    return services.users.current("manager")


@pytest.fixture
def rep(services: Services, db: Database) -> Actor:
    from funneldesk.models import User

    with db.session() as session:
        user = User(login="rep", display_name="Rita Rep", role=Role.REP)
        session.add(user)
        session.flush()
        return Actor(user.id, user.login, user.display_name, user.role)
