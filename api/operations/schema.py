"""Creating and upgrading the database schema with Alembic."""
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).parent.parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema, keeping its data."""
    with migrating(engine) as connection:
        config = alembic_config(engine.url.render_as_string(hide_password=False))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@contextmanager
def migrating(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction for schema changes.

    SQLite alters a table by copying it into a new one (Alembic's batch mode), which its
    foreign-key enforcement forbids while other rows point at the old one. So enforcement
    is off while migrating (it can only be switched outside a transaction), and every
    reference is checked before the transaction commits.
    """
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        pragma = connection.connection.dbapi_connection.execute  # outside any transaction
        if sqlite:
            pragma("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                yield connection
                if sqlite and (broken := connection.exec_driver_sql("PRAGMA foreign_key_check").all()):
                    raise RuntimeError(f"the migration left rows pointing at nothing: {broken[:5]}")
        finally:
            if sqlite:
                pragma("PRAGMA foreign_keys=ON")
