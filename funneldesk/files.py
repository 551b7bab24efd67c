"""Files that FunnelDesk writes whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from funneldesk.errors import InvalidInput
from funneldesk.i18n import _


def write_whole(path: Path, data: bytes) -> None:
    """Writes ``data`` to a file beside ``path`` and renames it over ``path``: a reader
    never finds half a file, and an interrupted write leaves the old one."""
    target = path.expanduser()
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".funneldesk-",
                                             suffix=target.suffix)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise InvalidInput("output", _("Cannot write {path}: {reason}").format(
            path=path, reason=error.strerror or error)) from error
