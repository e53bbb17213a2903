"""deploy/systemd: systemd accepts every unit, and each timer runs a `benniu` command that exists."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import main

UNITS = Path(__file__).parents[2] / "deploy" / "systemd"


def timer_commands() -> dict[str, str]:
    """timer file -> the `benniu` command its job runs."""
    return {timer.name: re.search(r"^Unit=benniu-job@(.+)\.service$", timer.read_text(), re.M).group(1)
            for timer in UNITS.glob("*.timer") if "benniu-job@" in timer.read_text()}


def test_each_timer_runs_a_command_benniu_has():
    commands = timer_commands()
    assert set(commands.values()) == {"close-open-checkins", "expire-vouchers", "finalise-notices", "expire-points",
                                      "remind-expiring", "remind-vouchers",
                                      "forget-tip-photos"}
    for command in commands.values():
        assert CliRunner().invoke(main, [command, "--help"]).exit_code == 0


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_units(tmp_path):
    benniu = Path(sys.executable).with_name("benniu")
    for unit in UNITS.iterdir():
        if unit.suffix in (".service", ".timer"):  # this machine's benniu, and a user that exists here
            text = unit.read_text().replace("/opt/benniu/.venv/bin/benniu", str(benniu))
            (tmp_path / unit.name).write_text(re.sub(r"^(User|Group)=benniu$", r"\1=root", text, flags=re.M))
    for command in timer_commands().values():
        shutil.copy(tmp_path / "benniu-job@.service", tmp_path / f"benniu-job@{command}.service")
    units = sorted(path.name for path in tmp_path.iterdir() if not path.name.endswith("@.service"))
    checked = subprocess.run(["systemd-analyze", "verify", "--man=no", *units], cwd=tmp_path,
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
