"""Plain copies of rows a hot path only reads: their columns, read with Core, and the model's own
read-only properties, without the ORM's loading (identity map, instance state, events)."""
from sqlalchemy import inspect


class Copies:
    """How to copy one mapped `model`'s rows out of a wider Core row: `columns` to select, `of` to
    build a copy from the row's values at `offset`. The ORM's loading of a check-in's four
    parties cost three times their query (bench/RESULTS.md, issue 25); a copy is a dict.

    A copy is never added to a session and has no relationships: what it refers to is a copy too,
    set by the caller. `properties` names the model's plain properties it keeps (the same code).
    """

    def __init__(self, model, *properties: str):
        attributes = [attribute for attribute in inspect(model).column_attrs if not attribute.deferred]
        self.keys = [attribute.key for attribute in attributes]
        self.columns = [attribute.columns[0] for attribute in attributes]
        self.identity = next(index for index, column in enumerate(self.columns) if column.primary_key)
        self.kind = type(f"{model.__name__}Copy", (_Copy,), {name: getattr(model, name) for name in properties})

    def of(self, row, offset: int):
        """The copy of the values from `offset` on; None if the row has none (an outer join found none)."""
        values = row[offset:offset + len(self.keys)]
        if values[self.identity] is None:
            return None
        return self.kind(zip(self.keys, values))


class _Copy:
    def __init__(self, values):
        self.__dict__.update(values)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.__dict__.get('id')}>"


def columns_of(copies) -> list:
    """The columns to select for `copies`, one model after another."""
    return [column for one in copies for column in one.columns]


def copied(row, copies) -> list:
    """Each of `copies` made from its run of `row`'s values (selected by `columns_of`), in order."""
    made, at = [], 0
    for one in copies:
        made.append(one.of(row, at))
        at += len(one.columns)
    return made
