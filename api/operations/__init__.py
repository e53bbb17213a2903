"""Looking after the database: its schema (Alembic), backups, and files only the service user may read."""
