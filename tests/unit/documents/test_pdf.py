from __future__ import annotations

from backend.domain.documents.pdf import HEAD_BYTES, TAIL_BYTES, check_pdf
from tests.support.pdf import make_pdf


def judge(data: bytes):
    return check_pdf(data[:HEAD_BYTES], data[-TAIL_BYTES:], len(data))


def test_a_real_pdf_passes():
    verdict = judge(make_pdf())
    assert verdict.ok and verdict.version == "1.7"


def test_refusals_say_why():
    pdf = make_pdf()
    assert "empty" in judge(b"").reason
    assert "not a PDF" in judge(b"\x89PNG\r\n\x1a\n" + b"0" * 100).reason
    assert "not a PDF" in judge(b"Hello, I am a text file %PDF-1.4").reason
    assert "malformed" in judge(b"%PDF-9.9\n" + pdf[9:]).reason
    assert "cut short" in judge(pdf[:-40]).reason
    assert "cut short" in judge(pdf[: len(pdf) // 2]).reason
    # The end marker is there but the offset points past the end: a spliced file.
    spliced = pdf.replace(b"startxref\n", b"startxref\n9")
    assert "damaged" in judge(spliced).reason
