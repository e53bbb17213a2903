"""A Python client generated from the running service's /openapi.json with openapi-python-client,
installed like any package, then used as an integrator would against `benniu serve`: award,
balance, entries, redeem, the voucher's PNG and SVG, and an export as XLSX and CSV."""
import importlib
import io
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook

from api.identity.tokens import issue_token
from points.communities import found_community
from points.members import enrol_member
from points.rules import define_rule

from .server import serving

pytest.importorskip("openapi_python_client")
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "clients" / "openapi-python-client.yaml"
BIN = Path(sys.executable).parent


@pytest.fixture
def scheme(app, database_url, tmp_path) -> dict:
    """A community with a rule, a volunteer, and an organiser's and the volunteer's tokens."""
    now = datetime.now(timezone.utc)
    with app.extensions["benniu"].sessionmaker() as session, session.begin():
        community = found_community(session, name="振宇社区", code="zy", now=now)
        define_rule(session, community_id=community.id, code="patrol", name="巡逻", points=50, basis="per_event",
                    now=now)
        member = enrol_member(session, community_id=community.id, name="陈元龙", phone="13800000001", now=now)
        organiser = issue_token(session, role="organiser", name="民警", community_id=community.id, now=now)[0]
        volunteer = issue_token(session, role="volunteer", name="陈元龙", member_id=member.id, now=now)[0]
    env = {"BENNIU_DATABASE_URL": database_url, "BENNIU_SECRET_KEY": "test-secret",
           "BENNIU_RATELIMIT_ENABLED": "false", "BENNIU_INSTANCE_PATH": str(tmp_path / "server")}
    return {"env": env, "community_id": community.id, "member_id": member.id, "organiser": organiser,
            "volunteer": volunteer}


def generated_client(url: str, where: Path):
    """Generate the client package from the live document, pip-install it into `where`, import it."""
    run = {"check": True, "capture_output": True, "text": True, "env": {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"}}
    made = subprocess.run([str(BIN / "openapi-python-client"), "generate", "--url", f"{url}/openapi.json",
                           "--config", str(CONFIG), "--meta", "setup", "--output-path", str(where / "source")], **run)
    assert "WARNING" not in made.stdout + made.stderr, made.stdout + made.stderr  # every operation generated
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(where / "site"),
                    str(where / "source")], **run)
    sys.path.insert(0, str(where / "site"))
    try:
        return importlib.import_module("benniu_api_client")
    finally:
        sys.path.remove(str(where / "site"))


def test_a_generated_client_awards_redeems_and_downloads_the_voucher_and_an_export(scheme, tmp_path):
    with serving(scheme["env"], workers=1) as server:
        benniu = generated_client(server.url, tmp_path)
        from benniu_api_client.api.awards import awards_create_award
        from benniu_api_client.api.exports import exports_export
        from benniu_api_client.api.members import members_balance, members_entries
        from benniu_api_client.api.redemptions import (
            redemptions_create_redemption,
            redemptions_voucher_png,
            redemptions_voucher_svg,
        )
        from benniu_api_client.api.rewards import rewards_create_reward
        from benniu_api_client.models import (
            AwardArgs,
            ExportsExportFormat,
            ExportsExportWhat,
            RedemptionArgs,
            RewardArgs,
            RewardArgsKind,
        )

        organiser = benniu.AuthenticatedClient(base_url=server.url, token=scheme["organiser"])
        volunteer = benniu.AuthenticatedClient(base_url=server.url, token=scheme["volunteer"])
        member_id = scheme["member_id"]

        award = AwardArgs(member_id=member_id, rule_code="patrol", memo="夜巡")
        first = awards_create_award.sync(client=organiser, body=award, idempotency_key="night-patrol-1")
        again = awards_create_award.sync(client=organiser, body=award, idempotency_key="night-patrol-1")
        assert first.points == 50 and again.transfer_id == first.transfer_id  # one award, answered twice

        assert members_balance.sync(member_id, client=volunteer).available == 50
        entries = members_entries.sync(member_id, client=volunteer)
        assert [(entry.amount, entry.kind.value, entry.memo) for entry in entries.items] == [(50, "earn", "夜巡")]

        reward = rewards_create_reward.sync(client=organiser, body=RewardArgs(
            name="雨伞", kind=RewardArgsKind.GOODS, cost=30, community_id=scheme["community_id"], stock=5))
        redemption = redemptions_create_redemption.sync(client=volunteer, body=RedemptionArgs(reward_id=reward.id),
                                                        idempotency_key="umbrella")
        assert redemption.status.value == "reserved" and redemption.points == 30
        assert members_balance.sync(member_id, client=volunteer).available == 20

        png = redemptions_voucher_png.sync(redemption.id, client=volunteer)
        assert png.payload.read().startswith(b"\x89PNG\r\n\x1a\n")
        svg = redemptions_voucher_svg.sync(redemption.id, client=volunteer)
        assert b"<svg" in svg.payload.read()

        xlsx = exports_export.sync(ExportsExportWhat.ENTRIES, client=organiser)
        sheet = load_workbook(io.BytesIO(xlsx.payload.read())).active
        assert [cell.value for cell in sheet[2]][:4] == ["流水号", "时间", "志愿者编号", "志愿者"]
        assert sheet.max_row == 4  # the title, the header, the award and the hold
        csv = exports_export.sync(ExportsExportWhat.MEMBERS, client=organiser, format_=ExportsExportFormat.CSV)
        assert "陈元龙" in csv.payload.read().decode("utf-8-sig")
