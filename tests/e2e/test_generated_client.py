"""A Python client generated from the running service's /openapi.json with openapi-python-client,
installed like any package, then used as an integrator would against `benniu serve`: award,
balance, entries, redeem, the voucher's PNG and SVG, and an export as XLSX and CSV."""
import importlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from .server import serving

pytest.importorskip("openapi_python_client")
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "clients" / "openapi-python-client.yaml"
BIN = Path(sys.executable).parent


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


def test_a_generated_client_awards_redeems_and_downloads_the_voucher_and_an_export(world, tmp_path):
    """The world's community (rule `patrol`, 50 points) and its first volunteer."""
    with serving(world.env, workers=1) as server:
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

        organiser = benniu.AuthenticatedClient(base_url=server.url, token=world.organiser)
        volunteer = benniu.AuthenticatedClient(base_url=server.url, token=world.tokens[0])
        member_id = world.member_ids[0]

        award = AwardArgs(member_id=member_id, rule_code="patrol", memo="夜巡")
        first = awards_create_award.sync(client=organiser, body=award, idempotency_key="night-patrol-1")
        again = awards_create_award.sync(client=organiser, body=award, idempotency_key="night-patrol-1")
        assert first.points == 50 and again.transfer_id == first.transfer_id  # one award, answered twice

        assert members_balance.sync(member_id, client=volunteer).available == 50
        entries = members_entries.sync(member_id, client=volunteer)
        assert [(entry.amount, entry.kind.value, entry.memo) for entry in entries.items] == [(50, "earn", "夜巡")]

        reward = rewards_create_reward.sync(client=organiser, body=RewardArgs(
            name="雨伞", kind=RewardArgsKind.GOODS, cost=30, community_id=world.community_id, stock=5))
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
        assert "志愿者0" in csv.payload.read().decode("utf-8-sig")
