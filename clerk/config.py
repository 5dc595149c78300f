"""Typed settings: defaults, then a TOML file, then environment overrides.

The file is found from ``--config``, else ``$CLERK_CONFIG``, else the platform's
config directory. Any setting can be overridden by ``CLERK_<SECTION>_<KEY>``
(for example ``CLERK_STORE_PATH=/tmp/x.sqlite3``), which is how tests and
service units change one value without writing a file.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from clerk.errors import UserFacingError

APP_NAME = "clerk-workstation"
REPO_ROOT = Path(__file__).resolve().parent.parent
ENV_CONFIG = "CLERK_CONFIG"
ENV_PREFIX = "CLERK_"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StoreSettings(_Section):
    path: str = ""
    """Local SQLite file; empty means ``<user data dir>/clerk.sqlite3``."""
    busy_timeout_ms: int = Field(default=5000, ge=0)


class CentreSettings(_Section):
    code: str = "demo-county"
    """Which centre of the fixtures/reference data this counter belongs to."""


class FixtureSettings(_Section):
    path: str = ""
    """Folder of fixture data files; empty means the ``fixtures/`` folder shipped with the code."""


class AuthSettings(_Section):
    max_failures: int = Field(default=5, ge=1)
    lockout_minutes: int = Field(default=15, ge=1)


class CalendarSettings(_Section):
    fallback: Literal["weekends", "error"] = "weekends"
    """For years neither chinese-calendar nor a holiday table covers."""


class SyncSettings(_Section):
    central_url: str = ""
    """Base URL of the central store; empty means the one this counter enrolled with (if any)."""
    batch_size: int = Field(default=300, ge=1, le=1000)
    """Outbox rows per push."""
    interval_s: float = Field(default=30.0, gt=0)
    """A full sync round (push + pull) at least this often, even with nothing new to send."""
    poll_s: float = Field(default=0.5, gt=0)
    """How soon a new local action is pushed while online."""
    listen_s: float = Field(default=20.0, ge=0, le=30)
    """One held request to the central store lasts this long: what another counter does (a
    chief's decision, a request for the chief) arrives within about a second. 0 turns it off."""
    max_backoff_s: float = Field(default=300.0, gt=0)
    """Longest wait between retries while the central store cannot be reached."""
    keep_acked_days: float = Field(default=7.0, ge=0)
    """Acknowledged outbox rows are kept this long, to re-send after a server restore."""
    timeout_s: float = Field(default=15.0, gt=0)
    call_timeout_s: float = Field(default=3.0, gt=0)
    """How long one try of an online call or ticket issue waits for the central store."""
    call_tries: int = Field(default=3, ge=1, le=10)
    """Tries of an online call whose answer is late (the same claim each time, never two)."""
    offline_hold_s: float = Field(default=10.0, ge=0)
    """After the central store could not be reached, call and issue locally this long."""


class CentralSettings(_Section):
    database_url: str = ""
    """Central store database; empty means ``<user data dir>/central.sqlite3``.
    For PostgreSQL: ``postgresql+psycopg://user@host:5432/dbname``."""
    max_body_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    enrol_code_hours: float = Field(default=24.0, gt=0)


class PrintingSettings(_Section):
    ticket_printer: str = ""
    """Thermal ticket printer: "" (none: tickets go to the PDF spool), "file:/dev/usb/lp0",
    "network:host[:port]", "usb:vendor:product" (hex ids) or "cups:queue"."""
    font_path: str = ""
    """A TrueType CJK font (.ttf/.ttc); empty means AR PL UMing, then WenQuanYi Zen Hei."""
    spool_dir: str = ""
    """Folder of the PDF print spool; empty means ``<user data dir>/spool``."""
    pdf_print_command: str = "lp -- {file}"
    """How spooled PDFs reach paper ({file}: the PDF); empty leaves them in the spool folder."""
    paper_width_mm: int = Field(default=80, ge=40, le=112)
    """Roll width of the ticket printer (80 or 58 mm)."""
    a4_printer: str = ""
    """Where A4 papers (notices) print: "" (the way of pdf_print_command), a CUPS queue's
    name, or "folder:/path" (each PDF copied into that folder)."""
    a4_retry_s: float = Field(default=20.0, gt=0)
    """A paper that could not be sent (printer off, CUPS down) is tried again this often."""


class QueuePolicySettings(_Section):
    """Queue-calling rules (see clerk.queue.policy.CallingPolicy for their meaning)."""

    priority_per_normal: int = Field(default=3, ge=0)
    max_wait_minutes: int = Field(default=45, ge=0)
    max_wait_in_row: int = Field(default=2, ge=1)
    appointment_early_minutes: int = Field(default=15, ge=0)
    appointment_late_minutes: int = Field(default=10, ge=0)
    recall_limit: int = Field(default=2, ge=0)
    recall_min_gap_seconds: int = Field(default=30, ge=0)
    no_show_requeue_limit: int = Field(default=1, ge=0)
    end_of_day: Literal["serve_today", "cancel", "carry_over"] = "serve_today"
    default_handling_minutes: float = Field(default=10.0, gt=0)
    handling_sample_size: int = Field(default=20, ge=1)
    handling_min_samples: int = Field(default=5, ge=0)
    closes_at: str = Field(default="17:00", pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


class QueueSettings(QueuePolicySettings):
    centre: dict[str, dict[str, Any]] = {}
    """Per-centre changes to the rules above, e.g. ``[queue.centre.demo-township]``."""

    @model_validator(mode="after")
    def _overrides_are_valid(self) -> QueueSettings:
        for code in self.centre:
            self.for_centre(code)  # a wrong key or value fails here, naming it
        return self

    def for_centre(self, code: str) -> QueuePolicySettings:
        base = self.model_dump(exclude={"centre"})
        return QueuePolicySettings.model_validate({**base, **self.centre.get(code, {})})


COMPLAINT_CLASSES = ("on_spot", "policy", "multi_department", "complex", "conduct")
"""The 办不成事 classes with a limit (clerk.ledgers.classes has their labels)."""


class LedgerSettings(_Section):
    """Time limits of the accountability ledgers, in working days (PRODUCT.md §2, §5, §6)."""

    letter_answer_days: int = Field(default=5, ge=0)
    """Letters and e-mails are answered within this (002 第十五条(四))."""
    expert_answer_days: int = Field(default=3, ge=0)
    """A question passed to a department's resident expert is answered back within this (003)."""
    complaint_days: dict[str, int] = {"on_spot": 0, "policy": 5, "multi_department": 5, "complex": 10,
                                      "conduct": 5}
    """Limit per 办不成事 class; 涉法涉诉涉访 matters are referred, not given a limit."""
    verify_days: int = Field(default=1, ge=0)
    """A bad review is verified within this (002: 1 working day)."""
    rectify_days: int = Field(default=15, ge=0)
    """…and its rectification reported within this (000: 15; 002 wants 1)."""

    @model_validator(mode="after")
    def _classes_are_known(self) -> LedgerSettings:
        unknown = set(self.complaint_days) - set(COMPLAINT_CLASSES)
        missing = set(COMPLAINT_CLASSES) - set(self.complaint_days)
        if unknown or missing or any(v < 0 for v in self.complaint_days.values()):
            raise ValueError(f"complaint_days must give each of {', '.join(COMPLAINT_CLASSES)} a limit >= 0")
        return self


class CaseSettings(_Section):
    """Cases at the counter (clerk.cases)."""

    near_days: int = Field(default=1, ge=0)
    """A deadline this many working days away or fewer shows yellow on the open-cases list."""
    supplement_days: int = Field(default=10, ge=1)
    """The default 补正 deadline of a 一次性告知, in working days (a local rule)."""


class ReportSettings(_Section):
    """The supervisor's ledger (clerk.reports)."""

    shift_start: str = Field(default="08:30", pattern=r"^\d{2}:\d{2}$")
    shift_end: str = Field(default="17:30", pattern=r"^\d{2}:\d{2}$")
    """A shift ending at or before its start ends on the next day (e.g. 18:00 to 02:00)."""


class NotifySettings(_Section):
    """Messages to applicants, sent by the central store (clerk.notify). A channel left
    unconfigured keeps its messages waiting (pending), it does not fail them."""

    smtp_host: str = ""
    """Mail server for e-mail; empty: e-mail is not sent."""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_from: str = ""
    """The sender address, e.g. ``noreply@zwfw.example.gov.cn``."""
    smtp_user: str = ""
    """Empty: no login (a relay that trusts the central store's address)."""
    smtp_password: str = ""
    smtp_starttls: bool = True
    """Upgrade the connection with STARTTLS before logging in and sending."""
    sms_url: str = ""
    """The SMS gateway's send endpoint (HTTP POST of JSON {to, text, id}); empty: SMS is not sent."""
    sms_token: str = ""
    """Bearer token for the SMS gateway."""
    timeout_s: float = Field(default=20.0, gt=0)
    """How long one send waits for the mail server or the gateway."""
    max_attempts: int = Field(default=5, ge=1, le=50)
    """Tries of a message a server refused before it is marked failed."""
    retry_s: float = Field(default=60.0, gt=0)
    """Wait before the second try; doubled for each further try (with jitter) …"""
    max_retry_s: float = Field(default=3600.0, gt=0)
    """… up to this."""
    interval_s: float = Field(default=5.0, gt=0)
    """How often the central store looks for messages due."""


class Settings(_Section):
    store: StoreSettings = StoreSettings()
    centre: CentreSettings = CentreSettings()
    fixtures: FixtureSettings = FixtureSettings()
    auth: AuthSettings = AuthSettings()
    calendar: CalendarSettings = CalendarSettings()
    sync: SyncSettings = SyncSettings()
    central: CentralSettings = CentralSettings()
    printing: PrintingSettings = PrintingSettings()
    queue: QueueSettings = QueueSettings()
    ledgers: LedgerSettings = LedgerSettings()
    report: ReportSettings = ReportSettings()
    cases: CaseSettings = CaseSettings()
    notify: NotifySettings = NotifySettings()

    def store_path(self) -> Path:
        if self.store.path:
            return Path(self.store.path).expanduser()
        return Path(platformdirs.user_data_dir(APP_NAME)) / "clerk.sqlite3"

    def central_database_url(self) -> str:
        if self.central.database_url:
            return self.central.database_url
        return f"sqlite:///{Path(platformdirs.user_data_dir(APP_NAME)) / 'central.sqlite3'}"

    def spool_path(self) -> Path:
        if self.printing.spool_dir:
            return Path(self.printing.spool_dir).expanduser()
        return Path(platformdirs.user_data_dir(APP_NAME)) / "spool"

    def paper_spool_path(self) -> Path:
        """The spool of A4 papers: beside the ticket PDFs, which go their own way."""
        return self.spool_path() / "a4"

    def fixtures_path(self) -> Path:
        if self.fixtures.path:
            return Path(self.fixtures.path).expanduser()
        return REPO_ROOT / "fixtures"


class ConfigError(UserFacingError):
    """The configuration file or an override is wrong."""


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def load_settings(path: Path | str | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Read settings; raise ConfigError naming the file and key on any mistake."""
    environ = dict(os.environ if environ is None else environ)
    explicit = path or environ.get(ENV_CONFIG)
    file = Path(explicit) if explicit else default_config_path()
    data: dict = {}
    if file.exists():
        data = _read_toml(file)
    elif explicit:
        raise ConfigError(f"找不到配置文件：{file}", f"config file not found: {file}")
    from_env = _apply_env_overrides(data, environ)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, file, from_env), str(exc)) from exc


def _read_toml(file: Path) -> dict:
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"配置文件格式错误：{file}（{exc}）", str(exc)) from exc


def _apply_env_overrides(data: dict, environ: dict[str, str]) -> dict[tuple[str, str], str]:
    """Put ``CLERK_<SECTION>_<KEY>`` values into ``data``; returns which variable set which
    (section, key), so a bad value is blamed on the variable, not on a file."""
    sections = Settings.model_fields
    from_env: dict[tuple[str, str], str] = {}
    for name, value in environ.items():
        if not name.startswith(ENV_PREFIX) or name == ENV_CONFIG:
            continue
        rest = name[len(ENV_PREFIX) :].lower()
        section = next((s for s in sections if rest.startswith(s + "_")), None)
        if section is None:
            continue  # other CLERK_* variables (e.g. test switches) are not settings
        key = rest[len(section) + 1 :]
        data.setdefault(section, {})[key] = value
        from_env[(section, key)] = name
    return from_env


def _describe(exc: ValidationError, file: Path, from_env: dict[tuple[str, str], str]) -> str:
    in_file, in_env = [], []
    for err in exc.errors():
        loc = tuple(str(p) for p in err["loc"])
        where = ".".join(loc)
        variable = from_env.get(loc[:2])
        if variable is not None:
            what = "不是已知的设置项" if err["type"] == "extra_forbidden" else f"的值不正确：{err.get('input')!r}"
            in_env.append(f"环境变量 {variable} {what}（设置项 {where}）")
        elif err["type"] == "extra_forbidden":
            in_file.append(f"未知的设置项 {where}")
        else:
            in_file.append(f"设置项 {where} 的值不正确：{err.get('input')!r}")
    parts = ([f"配置文件 {file} 有误：" + "；".join(in_file)] if in_file else []) + in_env
    return "配置有误：" + "；".join(parts)
