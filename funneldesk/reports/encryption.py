"""A rendered PDF encrypted with AES-256 by pypdf (ReportLab's own encryption loses CID
fonts' Chinese and writes unreadable files at 256 bits). Done in memory: the plain PDF
never reaches the disk."""

from __future__ import annotations

import io
import secrets


def encrypt(pdf: bytes, password: str) -> bytes:
    """``pdf`` opened only with ``password``; its owner password is random, so that
    nobody holds a key that lifts the restrictions."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=password, owner_password=secrets.token_urlsafe(24),
                   algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
