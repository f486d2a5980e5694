"""What one deploy run was asked to do: the one table of the deploy's options.

Each option is written once, as a field of :class:`DeployOptions` with its help text; the
deploy CLI (argparse), the invoke tasks (flags, defaults, ``help={...}``) and so the help of
``scripts/run_migrations.sh`` are all made from :data:`OPTIONS`.
"""

from __future__ import annotations

import types
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

COMMANDS = ("deploy", "migrate", "verify", "current", "history")


def option(
    default: Any,
    help: str,
    *,
    flag: str | None = None,
    metavar: str | None = None,
    env: str | None = None,
    default_text: str | None = None,
    read: bool = False,
) -> Any:
    """A field of :class:`DeployOptions` that is also a command-line option.

    ``flag`` is the option's name without dashes when it is not the field's (``to`` for
    ``target``); ``env`` the variable the pre-flight reads when the option is absent; ``default_text`` says
    what an absent option means when that is not a value (``the project's``); ``read`` marks
    the options the read-only tasks (verify, current, history) take too.
    """
    meta = dict(
        help=help, flag=flag, metavar=metavar, env=env, default_text=default_text, read=read
    )
    return field(default=default, metadata=meta)


@dataclass
class DeployOptions:
    """Options of one run; the defaults are the production ones.

    ``command`` picks the steps: ``deploy`` = pre-flight, connect, migrate, verify; ``migrate``
    skips the verification; ``verify`` and ``current`` change nothing; ``history`` lists the audit.
    """

    command: str = "deploy"
    database_url: str | None = option(
        None,
        "the database to migrate",
        metavar="URL",
        env="DATABASE_URL",
        default_text="DB_HOST/DB_PORT/DB_USER/DB_PASSWORD/DB_NAME",
        read=True,
    )
    versions_dir: Path | None = option(
        None,
        "versions folder",
        flag="versions",
        metavar="DIR",
        default_text="the project's",
        read=True,
    )
    contract: Path | None = option(
        None,
        "schema contract to verify against",
        metavar="FILE",
        default_text="the project's, for the project's versions folder only",
        read=True,
    )
    target: str | None = option(
        None, "target revision", flag="to", metavar="REV", default_text="head"
    )
    dry_run: bool = option(False, "print pending revisions and their SQL; apply nothing")
    strict: bool = option(
        False, "fail when an applied revision's file changed since it was applied"
    )
    allow_downgrade: bool = option(False, "allow --to below the current revision")
    adopt_baseline: bool = option(
        False,
        "after a rebaseline: stamp a database at the old head(s) whose schema equals the "
        "contract onto the new baseline (anything else exits 1)",
    )
    json_logs: bool = option(False, "one JSON object per line (Cloud Logging)", read=True)
    debug: bool = option(False, "show the traceback of an unexpected error")
    connect_attempts: int = option(5, "connection attempts", metavar="N")
    connect_timeout: float = option(
        30.0, "total seconds for all connection attempts", metavar="SECONDS"
    )
    lock_wait: float = option(
        300.0, "seconds to wait for another deploy's migration lock", metavar="SECONDS"
    )
    lock_timeout: str = option(
        "5s", "PostgreSQL lock_timeout of every migration statement", metavar="DURATION"
    )
    statement_timeout: str = option("10min", "PostgreSQL statement_timeout", metavar="DURATION")
    lock_retries: int = option(0, "re-runs of a revision that failed on lock_timeout", metavar="N")
    lock_retry_delay: float = option(
        2.0, "first pause in seconds before such a re-run; doubles each time", metavar="SECONDS"
    )


@dataclass(frozen=True)
class Option:
    """One row of the table: a :class:`DeployOptions` field seen as a command-line option."""

    field: str  # the DeployOptions field: lock_retries
    flag: str  # without dashes: lock-retries
    type: type  # bool for a switch, else what the value is parsed into
    default: Any
    help: str  # the whole help text, the default included
    metavar: str | None
    env: str | None
    read: bool  # taken by verify, current and history too

    @property
    def keyword(self) -> str:
        """The flag as a Python keyword argument (invoke's spelling): ``lock_retries``, ``to``."""
        return self.flag.replace("-", "_")

    def parse(self, value: Any) -> Any:
        """``value`` as this option's type (invoke and direct calls may pass text)."""
        if value is None or self.type is bool or isinstance(value, self.type):
            return value
        return self.type(value)


def _value_type(annotation: Any) -> type:
    """``int`` of ``int``, ``Path`` of ``Path | None``."""
    if get_origin(annotation) in (Union, types.UnionType):
        (annotation,) = [arg for arg in get_args(annotation) if arg is not type(None)]
    return annotation


def _help(text: str, default: Any, env: str | None, default_text: str | None) -> str:
    shown = [f"${env}"] if env else []
    if default_text:
        shown.append(default_text)
    elif default is not None and default is not False:
        shown.append(f"{default:g}" if isinstance(default, float) else str(default))
    return f"{text} (default: {', else '.join(shown)})" if shown else text


def _table() -> tuple[Option, ...]:
    hints = get_type_hints(DeployOptions)
    rows = []
    for f in fields(DeployOptions):
        if "help" not in f.metadata:
            continue  # `command` is the CLI's positional argument, not an option
        meta, default = f.metadata, f.default
        rows.append(
            Option(
                field=f.name,
                flag=meta["flag"] or f.name.replace("_", "-"),
                type=_value_type(hints[f.name]),
                default=default,
                help=_help(meta["help"], default, meta["env"], meta["default_text"]),
                metavar=meta["metavar"],
                env=meta["env"],
                read=meta["read"],
            )
        )
    return tuple(rows)


OPTIONS: tuple[Option, ...] = _table()
READ_OPTIONS: tuple[Option, ...] = tuple(o for o in OPTIONS if o.read)
