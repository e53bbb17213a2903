"""Settings: each declared once (name, type, default, meaning), read from `BENNIU_<NAME>` by its type.

The README's configuration table is `readme_table()`: tests/unit/test_config.py checks that it is there
as made from `SETTINGS`, and shows the table to paste when it is not.
"""
import os
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from limits import parse as parse_rate

from .http.limit_store import file_storage_uri

PREFIX = "BENNIU_"


class SettingError(ValueError):
    """A `BENNIU_*` variable whose value its setting's type does not read."""


def text(value: str) -> str:
    return value


def flag(value: str) -> bool:
    spelled = value.strip().lower()
    if spelled in ("true", "yes", "on", "1"):
        return True
    if spelled in ("false", "no", "off", "0"):
        return False
    raise ValueError("must be true or false")


def count(value: str) -> int:
    if not value.strip().isdigit():
        raise ValueError("must be a whole number (0 or more)")
    return int(value)


def count_or_none(value: str) -> int | None:
    return None if value.strip().lower() == "none" else count(value)


def seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not number > 0:  # nan too
        raise ValueError("must be a number of seconds above 0")
    return number


def rate(value: str) -> str:
    try:
        parse_rate(value)
    except ValueError:
        raise ValueError('must be a rate such as "10 per minute"') from None
    return value


def pattern(value: str) -> str:
    try:
        re.compile(value)
    except re.error:
        raise ValueError("must be a regular expression") from None
    return value


def hours_span(value: str) -> tuple[int, int]:
    start, _, end = value.partition("-")
    if not (start.strip().isdigit() and end.strip().isdigit() and int(start) < 24 and int(end) < 24):
        raise ValueError('must be two hours of the day such as "21-8" (from 21:00 to 08:00)')
    return int(start), int(end)


def one_of(*choices: str, spelled: Callable[[str], str] = str.upper) -> Callable[[str], str]:
    """One of `choices`, however typed; `spelled` writes it as the choices are written."""
    def choice(value: str) -> str:
        if spelled(value.strip()) not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
        return spelled(value.strip())
    return choice


@dataclass(frozen=True)
class Setting:
    name: str                       # read from BENNIU_<name>; app.config[name]
    read: Callable[[str], Any]      # the variable's text to its value; ValueError says what it must be
    default: Any
    meaning: str
    default_told: str | None = None  # how the README tells a default that is worked out at start

    @property
    def variable(self) -> str:
        return PREFIX + self.name


S = Setting
SETTINGS = (
    S("DATABASE_URL", text, None, "`postgresql+psycopg://user:pass@host/db` for PostgreSQL",
      "SQLite file `benniu.db` in the instance folder"),
    S("SECRET_KEY", text, None, "signs QR codes and vouchers; every app server must share it",
      "generated once, kept in `instance/secret_key`"),
    S("INSTANCE_PATH", text, "instance", "where the default SQLite file and the generated secret live", "`./instance`"),
    S("TIMEZONE", text, "Asia/Shanghai", 'decides what "today", "this month" are (daily caps, reports)'),
    S("PUBLIC_URL", text, None, "base of printed links (`checkin_url`)", "the request's host"),
    S("CHECKIN_GRACE_MINUTES", count, 15, "printed codes work this long before and after an activity's window"),
    S("LIVE_CODE_SECONDS", count, 30, "lifetime of a screen code (at most 30)"),
    S("FONT_PATH", text, None, "font for the Chinese captions under PNG codes (read by `points.qr`)",
      "a Debian CJK font"),
    S("RATELIMIT_ENABLED", flag, True, "benchmarks and load tests turn it off"),
    S("LOGIN_RATE_LIMIT", rate, "10 per 15 minutes", "failed sign-ins per phone, however typed (then 429 "
      "`rate_limited` for that phone); a successful sign-in never counts"),
    S("LOGIN_ADDRESS_RATE_LIMIT", rate, "200 per 15 minutes", "failed sign-ins per client address: far more, since a "
      "whole community signs in on one Wi-Fi"),
    S("VOUCHER_RATE_LIMIT", rate, "30 per minute", "voucher look-ups and fulfilments per clerk, and as many per address"),
    S("CHECKIN_RATE_LIMIT", rate, "30 per minute", "check-ins per signed-in volunteer (all their phones together)"),
    S("RATELIMIT_STORAGE_URI", text, None, "where limits are counted: the default `benniu-file://` store is shared "
      "by all workers of one machine; with several servers use `redis://...`", "a file in the instance folder"),
    S("MAX_CONTENT_LENGTH", count, 64 * 1024, "request bodies above this many bytes get 413"),
    S("IDEMPOTENCY_HOURS", count, 24, "how long an `Idempotency-Key` is remembered"),
    S("LOGIN_TOKEN_HOURS", count, 720, "tokens issued by `POST /api/v1/auth/login` expire after this long"),
    S("API_TOKEN_DAYS", count, 365, "tokens issued by `POST /api/v1/tokens` expire after this long unless "
      "`expires_in` says otherwise"),
    S("SESSION_HOURS", count, 720, "a browser session ends this long after sign-in at the latest"),
    S("SESSION_IDLE_MINUTES", count, 720, "...and sooner when the browser is not used for this long"),
    S("VOUCHER_DAYS", count, 30, "how long an unfulfilled voucher stays valid"),
    S("DB_POOL_SIZE", count, 5, "connections per worker (PostgreSQL), plus as many overflow"),
    S("DB_STATEMENT_TIMEOUT_MS", count, 15000, "PostgreSQL's `statement_timeout` and SQLite's busy timeout; a "
      "request over it answers 503"),
    S("DB_LONG_STATEMENT_TIMEOUT_MS", count, 300000, "PostgreSQL's statement time limit for exports and imports "
      "(`api.http.db.LONG_VIEWS`)"),
    S("DB_PREPARE_THRESHOLD", count_or_none, 5, "PostgreSQL: psycopg prepares a statement on its 5th run on a "
      "connection; `none` never prepares (PgBouncer in transaction mode before 1.21; see scaling out)"),
    S("TRUSTED_PROXIES", count, 0, "how many proxies in front of the service set `X-Forwarded-For` and "
      "`X-Forwarded-Proto` (nginx on the same machine: `1`). At `0` those headers are ignored, so nobody can "
      "claim another address or https by sending them"),
    S("METRICS_TOKEN", text, None, "`GET /metrics` answers only with `Authorization: Bearer <this>`; unset, it "
      "answers 404", "unset"),
    S("CLIENT_TIMEOUT_SECONDS", seconds, 10, "`benniu serve` gives up on a client that stops sending its request "
      "(headers or body) for this long; a stalled body gets 400"),
    S("METRICS_DIR", text, None, "where `benniu serve`'s workers keep their shared metrics (gunicorn gets it as "
      "`PROMETHEUS_MULTIPROC_DIR`); emptied at each start", "a new temporary folder"),
    S("SQLITE_SYNCHRONOUS", one_of("NORMAL", "FULL"), "NORMAL", "SQLite only. `NORMAL`: a crash of the service "
      "loses nothing, but a power cut or OS crash may lose the most recent commits (the file is never corrupted). "
      "`FULL`: nothing is lost even then, at 10–25 % fewer check-ins a second. Without a UPS, choose `FULL` "
      "(or PostgreSQL)"),
    S("CODE_GUESS_RATE_LIMIT", rate, "10 per 10 minutes", "typed short check-in codes that name no open activity, "
      "per volunteer (then 429 until the window moves on)"),
    S("CODE_GUESS_ADDRESS_RATE_LIMIT", rate, "100 per 10 minutes", "the same per client address (a community hall "
      "shares one Wi-Fi)"),
    S("SMS_PROVIDER", one_of("log", "aliyun", "tencent", spelled=str.lower), None, "sends SMS sign-in codes and "
      "reminders (`api/sms`): `log` writes them to the server log as the JSON event `sms_code` (development), "
      "`aliyun` sends through Aliyun SMS, `tencent` through Tencent Cloud SMS. Unset, SMS sign-in is off "
      "(`/api/v1/auth/sms` answers 404)", "unset"),
    S("SMS_ACCESS_KEY_ID", text, None, "Aliyun: the RAM user's AccessKey ID (allowed `dysms:SendSms`); Tencent: the "
      "SecretId of a CAM user allowed `sms:SendSms`", "unset"),
    S("SMS_ACCESS_KEY_SECRET", text, None, "Aliyun: its AccessKey secret; Tencent: its SecretKey", "unset"),
    S("SMS_SIGN_NAME", text, None, "the approved signature (短信签名), e.g. `犇牛志愿`", "unset"),
    S("SMS_TEMPLATES", text, "", "each message's approved template, `login_code=SMS_123456789` on Aliyun, "
      "`login_code=1234567` (the template ID) on Tencent, more separated by commas; the sign-in code template has "
      "one variable, the code (`${code}` on Aliyun, `{1}` on Tencent)", "none"),
    S("SMS_APP_ID", text, None, "Tencent: the SMS application's SdkAppId, e.g. `1400006666`", "unset"),
    S("SMS_REGION", text, "ap-guangzhou", "Tencent: the API region (X-TC-Region)"),
    S("SMS_ENDPOINT", text, None, "the provider's address: `https://dysmsapi.aliyuncs.com/` (Aliyun) or "
      "`https://sms.tencentcloudapi.com/` (Tencent); tests point it at a fake", "the provider's"),
    S("SMS_TIMEOUT_SECONDS", seconds, 5, "the SMS provider must accept a connection and answer within this long"),
    S("SMS_ADDRESS_RATE_LIMIT", rate, "30 per hour", "SMS codes asked for per client address (each phone gets at "
      "most one a minute and 10 a day)"),
    S("REMIND_SMS_PER_RUN", count, 100, "reminder texts one `benniu remind-expiring` or `remind-vouchers` run sends "
      "at most (the SMS provider's rate); the rest go with the next runs"),
    S("REMIND_QUIET_HOURS", hours_span, (21, 8), "no reminder texts from the first hour to the second, local time "
      "(`21-8`: 21:00 to 08:00); they wait for the next run after it", "`21-8`"),
    S("ACTIVATION_DAYS", count, 30, "activation codes printed on slips for members without a password work this "
      "long, once each"),
    S("JOIN_RATE_LIMIT", rate, "100 per hour", "applications to join (`POST /communities/{id}/applications`, "
      "`/join/<code>`) per client address"),
    S("TIP_PHOTO_DAYS", count, 90, "`benniu forget-tip-photos` (daily) deletes the photos of tips rejected longer "
      "ago than this"),
    S("PHONE_PATTERN", pattern, r"1[0-9]{10}", "the phone numbers members and staff may be registered with (the whole "
      "number, digits only, must match); by default a mainland mobile: 11 digits starting with 1"),
)
BY_NAME = {setting.name: setting for setting in SETTINGS}


def setting(name: str) -> Any:
    """The setting's value from its `BENNIU_` variable, read by its type; its default when unset or empty."""
    declared = BY_NAME[name]
    value = os.environ.get(declared.variable, "")
    if not value.strip():
        return declared.default
    try:
        return declared.read(value)
    except ValueError as error:
        raise SettingError(f"{declared.variable} {error}, not {value!r}") from None


def from_environment() -> dict:
    """Every setting from the environment; SettingError names the first variable that is wrong."""
    return {name: setting(name) for name in BY_NAME}


def load(instance_path: Path, overrides: dict | None = None) -> dict:
    """The effective configuration: defaults < environment (`BENNIU_X`) < `overrides`."""
    config = from_environment()
    config.update(overrides or {})
    if not config.get("DATABASE_URL"):
        config["DATABASE_URL"] = f"sqlite:///{instance_path / 'benniu.db'}"
    if not config.get("RATELIMIT_STORAGE_URI"):
        instance_path.mkdir(parents=True, exist_ok=True)
        config["RATELIMIT_STORAGE_URI"] = file_storage_uri(instance_path / "ratelimits.sqlite")
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _kept_secret(instance_path)
    return config


def instance_path() -> Path:
    return Path(setting("INSTANCE_PATH")).resolve()


def readme_table() -> str:
    """The README's configuration table, one row per setting."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for each in SETTINGS:
        told = each.default_told or f"`{str(each.default).lower() if each.default is True else each.default}`"
        rows.append(f"| `{each.variable}` | {told} | {each.meaning} |")
    return "\n".join(rows) + "\n"


def _kept_secret(instance: Path) -> str:
    """A secret generated once and kept in the instance folder, so codes outlive restarts."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        draft = instance / f".secret_key.{os.getpid()}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_urlsafe(48))
        try:  # link() is atomic and refuses to overwrite: of two workers starting at once, one secret wins
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()
