"""Alembic migrations build exactly the models' schema and upgrade without losing data."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

import api.models  # noqa: F401
from api.schema import upgrade
from points.db import Base
from points.engines import make_engine

from ..conftest import POSTGRES_URL


def migrated_url(tmp_path) -> str:
    return POSTGRES_URL or f"sqlite:///{tmp_path / 'migrated.db'}"


def test_the_migrations_build_what_the_models_describe(tmp_path, database_url):
    engine = make_engine(migrated_url(tmp_path))
    upgrade(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                       Base.metadata)
    engine.dispose()
    assert differences == []


def test_upgrading_again_keeps_the_data(tmp_path, database_url):
    engine = make_engine(migrated_url(tmp_path))
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO accounts (kind, name, balance, opened_at) "
                                "VALUES ('station', 'kept', 0, CURRENT_TIMESTAMP)"))
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM accounts WHERE name = 'kept'")).scalar() == "kept"
    engine.dispose()
