"""Rows written in bulk: ids handed out here, rows held per table and inserted in foreign-key order."""
from sqlalchemy import Table, func, select, text
from sqlalchemy.engine import Connection


class Bulk:
    """Buffers rows of `tables` (given in foreign-key order) and inserts them a table at a time.

    Ids are given here (one more than the largest in the table), so a row can name another
    before either is written; `flush` writes every buffer in order, so whatever a row points
    at is in the database first. `finish` moves PostgreSQL's sequences past the ids given.
    """

    def __init__(self, connection: Connection, tables: list[Table]):
        self.connection = connection
        self.tables = tables
        self.rows: dict[str, list[dict]] = {table.name: [] for table in tables}
        self.next_id = {table.name: (connection.execute(select(func.max(table.c.id))).scalar() or 0) + 1
                        for table in tables}
        self.held = 0
        self.written = dict.fromkeys(self.rows, 0)

    def add(self, table: str, **values) -> dict:
        """A new row of `table` with the next id; returned so it can be completed before `flush`."""
        row = {"id": self.next_id[table], **values}
        self.next_id[table] += 1
        self.rows[table].append(row)
        self.held += 1
        return row

    def flush(self, *, at_least: int = 0) -> None:
        """Write what is held (if at least `at_least` rows are)."""
        if self.held < at_least:
            return
        for table in self.tables:
            rows = self.rows[table.name]
            if rows:
                self.connection.execute(table.insert(), rows)
                self.written[table.name] += len(rows)
                rows.clear()
        self.held = 0

    def finish(self) -> dict[str, int]:
        """Write the rest and set PostgreSQL's sequences past the ids given; the rows written per table."""
        self.flush()
        if self.connection.dialect.name == "postgresql":
            for table in self.tables:
                self.connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"(SELECT coalesce(max(id), 0) + 1 FROM {table.name}), false)"))
        return dict(self.written)
