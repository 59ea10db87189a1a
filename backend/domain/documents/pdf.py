"""Is this upload really a PDF? Pure checks on the first and last bytes, no I/O.

A PDF starts with a `%PDF-x.y` header line and ends with a `startxref` offset and the `%%EOF` marker; a file
cut short in transit loses its end, which is how a truncated upload is recognised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEAD_BYTES = 1024
TAIL_BYTES = 2048
_HEADER = re.compile(rb"^%PDF-(1\.[0-7]|2\.0)[\r\n\s%]")
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")


@dataclass(frozen=True)
class PdfCheck:
    ok: bool
    reason: str = ""
    version: str = ""


def check_pdf(head: bytes, tail: bytes, size: int) -> PdfCheck:
    """Judge a file from its first bytes, its last bytes and its size."""
    if size == 0:
        return PdfCheck(False, "The file is empty.")
    if not head.startswith(b"%PDF-"):
        return PdfCheck(False, "The file is not a PDF (it does not start with %PDF-).")
    match = _HEADER.match(head)
    if match is None:
        return PdfCheck(False, "The PDF header is malformed or names an unknown PDF version.")
    end = _STARTXREF.search(tail.rstrip(b"\x00"))
    if end is None:
        return PdfCheck(False, "The PDF is incomplete (no end-of-file marker): it may have been cut short.")
    if int(end.group(1)) >= size:
        return PdfCheck(False, "The PDF is damaged (its cross-reference offset points past the end).")
    return PdfCheck(True, version=match.group(1).decode())
