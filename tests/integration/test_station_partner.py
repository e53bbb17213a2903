"""The workstation is a partner: goods are settled like a partner's services, old data included."""
from alembic import command
from sqlalchemy import text

from api.operations.schema import alembic_config, upgrade
from points.engines import make_engine


def test_goods_stocked_without_a_partner_belong_to_the_workstation(admin, community):
    rice = admin.post("/api/v1/rewards", {"name": "大米", "kind": "goods", "cost": 300,
                                          "community_id": community["id"]}, expect=201).json
    partners = admin.get("/api/v1/partners").json["items"]
    station = next(p for p in partners if p["id"] == rice["partner_id"])
    assert station["kind"] == "station" and station["name"] == "振宇社区 警网融合工作站"
    umbrella = admin.post("/api/v1/rewards", {"name": "雨伞", "kind": "goods", "cost": 100,
                                              "community_id": community["id"]}, expect=201).json
    assert umbrella["partner_id"] == station["id"]  # one workstation partner per community


def test_the_upgrade_gives_old_goods_to_the_workstation(tmp_path):
    # A file of its own on SQLite: the shared PostgreSQL test database is already at head.
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    with engine.begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(text(
            "INSERT INTO accounts (id, kind, community_id, name, balance, opened_at) VALUES "
            "(1, 'station', NULL, 'ws', 0, CURRENT_TIMESTAMP), (2, 'partner', NULL, 'shop', 0, CURRENT_TIMESTAMP)"))
        connection.execute(text("INSERT INTO communities (id, name, code, station_account_id, created_at) "
                                "VALUES (7, '老社区', 'old', 1, CURRENT_TIMESTAMP)"))
        connection.execute(text("INSERT INTO partners (id, name, kind, account_id, created_at) "
                                "VALUES (3, '理发店', 'shop', 2, CURRENT_TIMESTAMP)"))
        connection.execute(text(
            "INSERT INTO rewards (id, community_id, partner_id, name, kind, cost, period, active, created_at) VALUES "
            "(10, 7, NULL, '大米', 'goods', 300, 'month', true, CURRENT_TIMESTAMP), "
            "(11, 7, 3, '理发', 'service', 200, 'month', true, CURRENT_TIMESTAMP)"))
    upgrade(engine)
    with engine.connect() as connection:
        station = connection.execute(text("SELECT id, kind, name FROM partners WHERE account_id = 1")).one()
        owners = dict(connection.execute(text("SELECT id, partner_id FROM rewards")).all())
        serves = connection.execute(text("SELECT community_id FROM partner_communities WHERE partner_id = :p"),
                                    {"p": station.id}).scalars().all()
    engine.dispose()
    assert station.kind == "station" and station.name == "老社区 警网融合工作站"
    assert owners == {10: station.id, 11: 3}
    assert serves == [7]
