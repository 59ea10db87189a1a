"""The programme year recruited for: next year's from September on."""

from __future__ import annotations

from datetime import date

from backend.domain.ledger.ledger import recruiting_year


def test_until_august_the_current_year_is_recruited_for() -> None:
    assert recruiting_year(date(2026, 1, 1)) == 2026
    assert recruiting_year(date(2026, 8, 31)) == 2026


def test_from_september_next_years_programme_is_recruited_for() -> None:
    assert recruiting_year(date(2026, 9, 1)) == 2027
    assert recruiting_year(date(2026, 12, 31)) == 2027
