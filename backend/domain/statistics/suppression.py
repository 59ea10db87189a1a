"""Small-count suppression for exports: a count from 1 to 4 could point at a person, so non-admin exports
show it as "<5" and mark the row; rates built on a suppressed count are withheld too. Pure, no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

THRESHOLD = 5
MARK = "<5"


def is_small(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < THRESHOLD


def suppress_rows(
    rows: Iterable[Mapping[str, Any]],
    count_fields: Sequence[str],
    dependent: Mapping[str, Sequence[str]] | None = None,
) -> list[dict[str, Any]]:
    """Replace small counts by MARK; blank every field that depends on a suppressed one; add `suppressed`."""
    dependent = dependent or {}
    out: list[dict[str, Any]] = []
    for row in rows:
        new = dict(row)
        hidden = [f for f in count_fields if is_small(row.get(f))]
        for field in hidden:
            new[field] = MARK
        for field, sources in dependent.items():
            if any(src in hidden for src in sources):
                new[field] = None
        new["suppressed"] = ";".join(hidden)
        out.append(new)
    return out
