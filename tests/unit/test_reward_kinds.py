"""A reward kind is one record: its code, the name people are shown and what it needs. The
catalogue's check constraint, the pages' names and the sheets' names all come from it."""
from rewards.catalogue import Reward
from rewards.kinds import CODES, KINDS


def test_the_kinds_are_named_as_the_pages_contract_names_them():
    assert {code: kind.name for code, kind in KINDS.items()} == {
        "goods": "物品", "fee_deduction": "物业费抵扣", "service": "合作商家服务"}


def test_what_each_kind_needs_is_written_in_its_record():
    assert [(kind.needs_partner, kind.uses_fen_per_point, kind.household_cap, kind.fulfilled_by)
            for kind in KINDS.values()] == [(False, False, False, "station"), (True, True, True, "partner"),
                                            (True, False, False, "partner")]


def test_the_database_accepts_exactly_the_kinds_of_the_table():
    kind_check = next(constraint for constraint in Reward.__table__.constraints
                      if getattr(constraint, "name", None) and constraint.name.endswith("kind"))
    assert str(kind_check.sqltext) == f"kind IN {CODES!r}"


def test_the_pages_and_the_sheets_give_a_kind_the_same_name(app):
    from api.pages.words import REWARD_KINDS
    with app.test_request_context():  # the pages' language by default: Chinese
        assert {code: str(name) for code, name in REWARD_KINDS.items()} == {
            code: kind.name for code, kind in KINDS.items()}
