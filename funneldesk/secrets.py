"""Secrets (the mail server's password, later PDF passwords) in the system keyring, never
in settings files or logs. With no secure keyring (a desktop-less session, or only a
plain-text one), FunnelDesk says so instead of storing the secret where anyone reads it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _

SERVICE = "FunnelDesk"


class NoSecureKeyring(FunnelDeskError):
    def message(self) -> str:
        return _("This computer has no secure keyring to keep the password in (a desktop "
                 "session's keyring, such as GNOME Keyring or KWallet). FunnelDesk does not "
                 "store passwords anywhere else.")


def _keyring() -> Any:  # the keyring module (it ships no type information)
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    name = type(backend).__module__ + "." + type(backend).__name__
    if isinstance(backend, fail.Keyring) or "plaintext" in name.lower():
        raise NoSecureKeyring()
    return keyring


def available() -> bool:
    """Whether this computer has a secure keyring to keep secrets in (asked before a
    "keep it in the keyring" box is offered)."""
    try:
        _keyring()
    except NoSecureKeyring:
        return False
    return True


def store(key: str, secret: str) -> None:
    """Keeps ``secret`` under ``key`` (an empty secret removes it)."""
    keyring = _keyring()
    if secret:
        keyring.set_password(SERVICE, key, secret)
    else:
        with contextlib.suppress(keyring.errors.PasswordDeleteError):  # none kept: done
            keyring.delete_password(SERVICE, key)


def contract_pdf_key(database: Path, number: str) -> str:
    """Where a contract's PDF password is kept: a contract number repeats across
    databases, so the key names the database too."""
    return f"contract-pdf:{database.resolve()}:{number}"


def forget_contract_pdfs(database: Path, numbers: Iterable[str]) -> None:
    """Forgets the PDF passwords of contracts that are gone (their numbers may be given
    again); nothing to do without a secure keyring."""
    numbers = list(numbers)
    if not numbers:
        return  # no keyring call at all (it may ask the user to unlock it)
    import keyring.errors

    # after the records are gone for good: a keyring that fails here must not undo that,
    # nor keep the other numbers' passwords
    for number in numbers:
        with contextlib.suppress(NoSecureKeyring, keyring.errors.KeyringError):
            store(contract_pdf_key(database, number), "")


def read(key: str) -> str:
    """The secret kept under ``key``, "" when none (or no secure keyring)."""
    try:
        return _keyring().get_password(SERVICE, key) or ""
    except NoSecureKeyring:
        return ""
