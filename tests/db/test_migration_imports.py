"""Migrations stand alone: each one imports only alembic, sqlalchemy, the standard library,
funneldesk.models.base (the column types) and funneldesk.collation (sort keys). A migration
that used the services, the live models or anything else that keeps changing would write
something else into an old file, or fail on it, once that code changed; import-linter
cannot see this, since migrations/ is no package. env.py, which runs them, may use
funneldesk.db and the models (autogenerate compares the models with a database)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from funneldesk.db.migrate import MIGRATIONS

# phonenumbers: 0007 keeps each phone in E.164, the one form duplicates are matched on, as
# the live code does; what it writes for a valid number does not change between versions
ALLOWED_PACKAGES = ("alembic", "sqlalchemy", "phonenumbers")
# funneldesk.collation: a stored sort key must be what the live code writes (0009's
# docstring says why); the module changes only with a migration that rewrites the keys
ALLOWED_OWN = ("funneldesk.models.base", "funneldesk.collation")
RUNNER_OWN = ("funneldesk.db", "funneldesk.models")  # env.py only
MIGRATION_FILES = sorted(MIGRATIONS.rglob("*.py"))


def imported(source: str) -> list[str]:
    """Every module the source imports, wherever the import statement stands (a function
    body included); a relative import is named as such."""
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names.append("." * node.level + (node.module or ""))
    return names


def allowed(module: str, own: tuple[str, ...] = ALLOWED_OWN) -> bool:
    top = module.split(".")[0]
    if top in sys.stdlib_module_names or top in ALLOWED_PACKAGES:
        return True
    return any(module == name or module.startswith(name + ".") for name in own)


def test_every_migration_is_checked() -> None:
    names = {p.name for p in MIGRATION_FILES}
    assert "env.py" in names
    assert any(name.startswith("0004_") for name in names)


@pytest.mark.parametrize("path", MIGRATION_FILES, ids=lambda p: p.name)
def test_a_migration_imports_only_alembic_sqlalchemy_the_stdlib_and_column_types(
        path: Path) -> None:
    own = RUNNER_OWN if path.name == "env.py" else ALLOWED_OWN
    outside = [m for m in imported(path.read_text(encoding="utf-8")) if not allowed(m, own)]
    assert outside == [], f"{path.name} imports {outside}"


@pytest.mark.parametrize(("source", "module"), [
    ("def upgrade():\n    from funneldesk.services.pipeline.search import rebuild_deal_index",
     "funneldesk.services.pipeline.search"),
    ("import funneldesk.services", "funneldesk.services"),
    ("import funneldesk.dbx", "funneldesk.dbx"),
    ("from funneldesk.models import Deal", "funneldesk.models"),
    ("from funneldesk.db.migrate import modelled", "funneldesk.db.migrate"),
    ("from funneldesk import i18n", "funneldesk"),
    ("from . import helpers", "."),
    ("import numpy as np", "numpy"),
])
def test_the_check_finds_an_import_from_outside(source: str, module: str) -> None:
    assert [m for m in imported(source) if not allowed(m)] == [module]


def test_the_check_lets_the_allowed_imports_pass() -> None:
    source = ("import re\nimport sqlalchemy as sa\nfrom alembic import op\n"
              "import funneldesk.models.base\n"
              "from collections.abc import Sequence\n")
    assert [m for m in imported(source) if not allowed(m)] == []
