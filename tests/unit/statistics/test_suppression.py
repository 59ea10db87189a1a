from __future__ import annotations

from backend.domain.statistics.csv_export import to_csv
from backend.domain.statistics.suppression import MARK, suppress_rows


def test_small_counts_and_what_depends_on_them_are_withheld():
    rows = [
        {"name": "x", "hosted": 3, "sent": 0, "seats": 2, "rate": 0.5},
        {"name": "y", "hosted": 5, "sent": 4, "seats": 1, "rate": 1.0},
    ]
    out = suppress_rows(rows, ["hosted", "sent"], {"rate": ["hosted"]})
    assert out[0] == {"name": "x", "hosted": MARK, "sent": 0, "seats": 2, "rate": None, "suppressed": "hosted"}
    assert out[1] == {"name": "y", "hosted": 5, "sent": MARK, "seats": 1, "rate": 1.0, "suppressed": "sent"}
    assert rows[0]["hosted"] == 3  # the input is not changed


def test_csv_renders_numbers_plainly():
    text = to_csv([{"a": 0.71428, "b": None, "c": 3, "d": 1.0}], ["a", "b", "c", "d"])
    assert text == "a,b,c,d\n0.7143,,3,1\n"
