"""Run Alembic from code (the launcher, the tests) or as `python -m backend.db.migrate [upgrade|check]`."""

from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(database_url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    if database_url:
        cfg.attributes["database_url"] = database_url
    return cfg


def upgrade(database_url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def check(database_url: str | None = None) -> None:
    """Fail when the models and the migrations disagree."""
    command.check(alembic_config(database_url))


def main(argv: list[str]) -> int:
    action = argv[0] if argv else "upgrade"
    if action == "upgrade":
        upgrade()
    elif action == "check":
        check()
    elif action == "revision":
        command.revision(alembic_config(), message=argv[1], autogenerate=True)
    else:
        print(f"unknown action {action!r}: use upgrade, check or revision MESSAGE", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
