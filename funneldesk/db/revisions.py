"""The schema revisions this code knows, oldest first (a test keeps it equal to Alembic's).

Kept apart from Alembic so that opening an up-to-date database needs one query and no
Alembic import.
"""

REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010",
                             "0011", "0012", "0013", "0014", "0015",
                             "0016", "0017", "0018", "0019", "0020", "0021", "0022")
HEAD = REVISIONS[-1]
