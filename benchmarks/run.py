"""The guard's speed, told truthfully: guard vs the physical floor vs pytest-alembic.

``python benchmarks/run.py [--quick] [--rounds N] [--chain 0,100,500] [--json F] [--plot F.png]``

Every measure is a whole process timed from spawn to exit (wall time), and all measures run
interleaved in the same rounds, in a shuffled order, so every ratio is taken within one round on
the same (noisy) machine; a ratio's median is the median of the per-round ratios. See
benchmarks/README.md for what each measure includes and the latest results.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

import chain  # noqa: E402
import lock_chain  # noqa: E402
import lock_predictions  # noqa: E402
import report  # noqa: E402
import rows  # noqa: E402
from measure import ProcessFailed, Run, run_process  # noqa: E402

from backend.db.guard.checks.lock_test import REHEARSAL_ROWS  # noqa: E402
from backend.db.migrations_config import (  # noqa: E402
    ALEMBIC_INI,
    VERSIONS_DIR,
    script_directory,
)
from backend.db.migrator.offline import offline_sql as kernel_offline_sql  # noqa: E402
from backend.db.postgres import embedded_server  # noqa: E402
from backend.db.postgres.provider import start_server  # noqa: E402

CHECKS = ("lint", "dry-run", "downgrade-test", "security", "data-test", "lock-test")
# lock-test's chain: revisions on one big table (benchmarks/lock_chain.py), and a budget no
# prediction reaches, so the process exits 0 (a finding is exit 1, which would stop the bench)
# while doing all its work: every revision observed at both sizes, predicted and judged.
# --quick: one revision of each kind (the fill of the rehearsal rows, not the revisions, is
# most of the time).
LOCK_REVISIONS, QUICK_LOCK_REVISIONS = 20, 5
LOCK_CHAIN = "lock-test chain"
LOCK_BUDGET_S = 3600
NOT_MEASURED = "could not measure"
PEER_SKIPPED = "pytest-alembic not installed"
# Variables that would point a timed process at another server, or slow every one of them down.
SCRUBBED_ENV = ("DATABASE_URL", "GUARD_DATABASE_URL", "PYTHONDONTWRITEBYTECODE")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="1 round, chains 0 and 10, lock chain of 5")
    p.add_argument("--rounds", type=int, default=3, help="rounds of every measure (default 3)")
    p.add_argument("--chain", default="0,100,500", help="generated revisions per chain")
    p.add_argument("--json", type=Path, help="write the results as JSON to this file")
    p.add_argument("--plot", type=Path, help="draw time vs chain length to this PNG")
    p.add_argument(
        "--peer-python",
        help="the Python holding pytest-alembic (default: this one; skipped if it has none)",
    )
    args = p.parse_args(argv)
    if args.quick:
        args.rounds, args.chain = 1, "0,10"
    args.chain = sorted({int(n) for n in args.chain.split(",") if n.strip()})
    if args.rounds < 1 or not args.chain or args.chain[0] < 0:
        p.error("--rounds must be >= 1 and --chain non-negative integers")
    return args


@dataclass
class Measure:
    """One thing timed once per round; ``floor`` names the measure its ratio is taken to;
    ``phases``: the process prints its phases as JSON (floor.py)."""

    name: str
    what: str
    timed: Callable[[], float | Run]
    floor: str | None = None
    phases: bool = False
    times_s: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    extra: list[dict] = field(default_factory=list)


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
    env.setdefault("PYTHONPATH", str(REPO_ROOT))
    return env


def libpq_url(url) -> str:
    """A SQLAlchemy URL as psycopg2 takes it (the bench's own embedded server: no password)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def guard_command() -> list[str]:
    script = Path(sys.executable).with_name("migration-guard")
    return [str(script)] if script.exists() else [sys.executable, "-m", "backend.db.guard"]


def offline_sql(versions_dir: Path, workdir: Path) -> tuple[Path, Path]:
    """``alembic upgrade head --sql`` and ``downgrade head:base --sql`` of a chain, to files."""
    scripts = script_directory(versions_dir)
    up = workdir / "up.sql"
    up.write_text(kernel_offline_sql(scripts))
    down = workdir / "down.sql"
    down.write_text(kernel_offline_sql(scripts, "base", "head", downgrade=True))
    return up, down


def execute_sql(url, sql: str) -> float:
    """Run ``sql`` on one autocommit psycopg2 connection (the SQL carries its own BEGIN/COMMIT
    per revision); return the seconds ``execute`` took, connecting excluded."""
    import psycopg2

    conn = psycopg2.connect(libpq_url(url))
    conn.autocommit = True
    try:
        started = time.perf_counter()
        conn.cursor().execute(sql)
        return time.perf_counter() - started
    finally:
        conn.close()


def peer_python(choice: str | None) -> tuple[str | None, str]:
    """The interpreter that has pytest-alembic (``choice``, else this one), or None and why not."""
    python = choice or sys.executable
    if Path(python).exists():
        probe = subprocess.run(
            [python, "-c", "import pytest_alembic"], capture_output=True, env=child_env()
        )
        if probe.returncode == 0:
            return python, ""
    return None, PEER_SKIPPED


class Bench:
    """Holds the measures, the bench's own server (for the SQL floors and the alembic CLI)."""

    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        self.env = child_env()
        self.server = start_server("embedded")
        self.version = embedded_server.configured_version()
        self.cluster = embedded_server.cache_dir(self.version)
        self.parent = embedded_server.datadir_parent()
        self.measures: dict[str, Measure] = {}
        self.peer: dict = {}
        self.guard_steps: list[dict] = []
        self.head_database: str | None = None  # the baseline at head, cloned per use
        self.filled_database: str | None = None  # the same with the generator's rows
        self.generator_rows: list[int] = []  # rows each timed fill wrote
        self.lock_chain = LOCK_CHAIN
        self.lock_revisions = QUICK_LOCK_REVISIONS if args.quick else LOCK_REVISIONS
        self.lock_steps: list[dict] = []  # lock-test's JSON report on the chain, per run
        self.lock_predictions: list[dict] = []

    # -- the floors ------------------------------------------------------------------------

    def floor_command(self, up: Path, down: Path, initdb: bool = False) -> list[str]:
        command = [
            sys.executable,
            str(BENCH_DIR / "floor.py"),
            "--up",
            str(up),
            "--down",
            str(down),
            "--postgres-version",
            str(self.version),
            "--parent",
            self.parent,
            "--cluster",
            str(self.cluster),
        ]
        command += [f"--setting={k}={v}" for k, v in embedded_server.THROWAWAY_SETTINGS.items()]
        return command + (["--initdb"] if initdb else [])

    def build_head_database(self, up: Path) -> None:
        """One database brought to head with the upgrade SQL (which fills ``alembic_version``
        too), untimed; the measures that start at head get a clone of it."""
        url = self.server.fresh_database("head")
        execute_sql(url, up.read_text())
        self.head_database = url.database

    def build_filled_database(self) -> None:
        """A clone of the head database filled once by the generator, untimed: the floor
        copies one of its rows per table."""
        url = self.server.fresh_database("filled", template=self.head_database)
        rows.fill_seconds(url)
        self.filled_database = url.database

    def generator_seconds(self) -> float:
        """The generator filling every table of a fresh clone of the head database (SQL)."""
        url = self._fresh("fill", at_head=True)
        try:
            seconds, written = rows.fill_seconds(url)
        finally:
            self.server.drop_database(url)
        self.generator_rows.append(written)
        return seconds

    def generator_floor_seconds(self) -> float:
        """One constant-row INSERT ... SELECT generate_series per table, as many rows (SQL)."""
        url = self.server.fresh_database("rowsfloor", template=self.filled_database)
        try:
            return rows.floor_seconds(url)[0]
        finally:
            self.server.drop_database(url)

    def _fresh(self, prefix: str, at_head: bool):
        if at_head:
            return self.server.fresh_database(prefix, template=self.head_database)
        return self.server.fresh_database(prefix)

    def sql_seconds(self, sql: Path, at_head: bool = False) -> float:
        """psycopg2 on the running bench server: time executing ``sql`` alone, on a fresh
        database (a clone of the head database when ``at_head``)."""
        text = sql.read_text()
        url = self._fresh("sqlfloor", at_head)
        try:
            return execute_sql(url, text)
        finally:
            self.server.drop_database(url)

    def alembic_cli(self, verb: str, target: str, at_head: bool = False) -> Run:
        """``alembic upgrade head`` / ``downgrade base`` as a process on a fresh database (a
        clone of the head database when ``at_head``)."""
        url = self._fresh("cli", at_head)
        try:
            env = {**self.env, "DATABASE_URL": url.render_as_string(hide_password=False)}
            alembic = Path(sys.executable).with_name("alembic")
            return run_process(
                [str(alembic), "-c", str(ALEMBIC_INI), verb, target], env, str(REPO_ROOT)
            )
        finally:
            self.server.drop_database(url)

    # -- building the measures -------------------------------------------------------------

    def add(self, measure: Measure) -> None:
        self.measures[measure.name] = measure

    def guard_run(self, check: str, versions: Path | None = None) -> Callable[[], Run]:
        command = [*guard_command(), check, "--postgres", "embedded"]
        if versions is not None:
            command += [
                "--versions",
                str(versions),
                "--table-sizes",
                str(chain.sizes_file(versions)),
            ]

        def timed() -> Run:
            report_file = self.workdir / f"guard-{check}.json"
            run = run_process(
                [*command, "--format", "json", "--output", str(report_file)],
                self.env,
                str(REPO_ROOT),
            )
            if versions is None:
                data = json.loads(report_file.read_text())
                # One check writes an object, ``all`` a list of them.
                results = data if isinstance(data, list) else [data]
                self.guard_steps.append({"check": check, "results": results})
            return run

        return timed

    def lock_test_run(self, versions: Path) -> Callable[[], Run]:
        """``migration-guard lock-test`` on the lock chain; ProcessFailed unless it measured
        every revision (a revision its rehearsal rows break would be timed as skipped)."""
        report_file = self.workdir / "guard-lock-chain.json"
        command = [
            *guard_command(),
            "lock-test",
            "--postgres",
            "embedded",
            "--versions",
            str(versions),
            "--lock-budget",
            str(LOCK_BUDGET_S),
            "--format",
            "json",
            "--output",
            str(report_file),
        ]

        def timed() -> Run:
            run = run_process(command, self.env, str(REPO_ROOT))
            result = json.loads(report_file.read_text())
            skipped = [note for note in result["notes"] if NOT_MEASURED in note]
            if skipped:
                raise ProcessFailed(f"lock-test on the lock chain: {skipped[0]}")
            self.lock_steps.append(result)
            return run

        return timed

    def lock_floor_command(self, versions: Path) -> list[str]:
        command = [sys.executable, str(BENCH_DIR / "lock_floor.py"), "--versions", str(versions)]
        command += ["--revisions", str(self.lock_revisions)]
        return command + [f"--rows={rows}" for rows in REHEARSAL_ROWS]

    def measure_predictions(self) -> None:
        """lock-test's predictions at ten times the larger rehearsal size against a measurement
        there (SQL on the bench's server; as many repeats as rounds, outside the rounds)."""
        versions = lock_chain.write_prediction_chain(self._dir("lock-predictions") / "versions")
        sizes = (*REHEARSAL_ROWS, 10 * REHEARSAL_ROWS[-1])
        self.lock_predictions = lock_predictions.predictions(
            self.server, versions, sizes, self.args.rounds
        )

    def build(self) -> None:
        up, down = offline_sql(VERSIONS_DIR, self._dir("sql-baseline"))
        self.build_head_database(up)
        self.add(
            Measure(
                "floor",
                "psycopg2 process: start embedded server (cached cluster), create db, "
                "upgrade SQL, downgrade SQL, upgrade SQL, stop",
                lambda: run_process(self.floor_command(up, down), self.env, str(REPO_ROOT)),
                phases=True,
            )
        )
        self.add(
            Measure(
                "floor (initdb)",
                "the floor with initdb instead of the cached cluster",
                lambda: run_process(self.floor_command(up, down, True), self.env, str(REPO_ROOT)),
                floor="floor",
                phases=True,
            )
        )
        self.add(Measure("guard all", "migration-guard all", self.guard_run("all"), "floor"))
        for check in CHECKS:
            self.add(
                Measure(
                    f"guard {check}", f"migration-guard {check}", self.guard_run(check), "floor"
                )
            )
        python, reason = peer_python(self.args.peer_python)
        if python is None:
            self.peer = {"skipped": reason}
        else:
            command = [
                python,
                "-m",
                "pytest",
                "-p",
                "pytest_alembic",
                "benchmarks/peer",
                "--test-alembic",
                "--alembic-tests-path",
                "benchmarks/peer/conftest.py",
                "-q",
                "-p",
                "no:cacheprovider",
            ]
            self.peer = {"python": python, "command": " ".join(command[1:])}
            self.add(
                Measure(
                    "pytest-alembic",
                    "its 4 default tests, embedded server, fresh db per test",
                    lambda: run_process(command, self.env, str(REPO_ROOT)),
                    "floor",
                )
            )
        self.add(
            Measure(
                "upgrade SQL floor",
                "psycopg2: executing the upgrade SQL on a running server (SQL only)",
                lambda: self.sql_seconds(up),
            )
        )
        self.add(
            Measure(
                "downgrade SQL floor",
                "psycopg2: executing the downgrade SQL on a db at head (SQL only)",
                lambda: self.sql_seconds(down, at_head=True),
            )
        )
        self.add(
            Measure(
                "alembic upgrade head",
                "the alembic CLI process (startup, env.py, connect, migrate) on a fresh db",
                lambda: self.alembic_cli("upgrade", "head"),
                "upgrade SQL floor",
            )
        )
        self.add(
            Measure(
                "alembic downgrade base",
                "the alembic CLI process on a db at head (prepared untimed)",
                lambda: self.alembic_cli("downgrade", "base", at_head=True),
                "downgrade SQL floor",
            )
        )
        self.build_filled_database()
        self.add(
            Measure(
                "generator floor (SQL)",
                "per table one INSERT ... SELECT of a constant row FROM generate_series into a "
                "copy without keys or checks (SQL only)",
                self.generator_floor_seconds,
            )
        )
        self.add(
            Measure(
                "generator fill (SQL)",
                "backend.db.rehearsal.fill of every table of a db at head (SQL only)",
                self.generator_seconds,
                "generator floor (SQL)",
            )
        )
        lock_versions = lock_chain.write_bales_chain(
            self._dir("lock-chain") / "versions", self.lock_revisions
        )
        self.add(
            Measure(
                f"{LOCK_CHAIN} floor",
                f"process: embedded server, per rehearsal size {REHEARSAL_ROWS} the generator's "
                f"fill and the {self.lock_revisions} revisions by a plain Stepper (no hooks)",
                lambda: run_process(
                    self.lock_floor_command(lock_versions), self.env, str(REPO_ROOT)
                ),
                phases=True,
            )
        )
        self.add(
            Measure(
                LOCK_CHAIN,
                f"migration-guard lock-test --versions (bales + {self.lock_revisions} revisions)",
                self.lock_test_run(lock_versions),
                f"{LOCK_CHAIN} floor",
            )
        )
        for added in self.args.chain:
            folder = chain.write_chain(self._dir(f"chain-{added}") / "versions", added)
            c_up, c_down = offline_sql(folder, self._dir(f"sql-chain-{added}"))
            floor = f"chain {added} floor"
            self.add(
                Measure(
                    floor,
                    f"floor on the baseline + {added} revisions",
                    lambda u=c_up, d=c_down: run_process(
                        self.floor_command(u, d), self.env, str(REPO_ROOT)
                    ),
                    phases=True,
                )
            )
            self.add(
                Measure(
                    f"chain {added} guard all",
                    f"migration-guard all --versions (baseline + {added})",
                    self.guard_run("all", folder),
                    floor,
                )
            )
            self.add(
                Measure(
                    f"chain {added} stairway",
                    f"migration-guard downgrade-test --versions (baseline + {added})",
                    self.guard_run("downgrade-test", folder),
                    floor,
                )
            )

    def _dir(self, name: str) -> Path:
        path = self.workdir / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    # -- running ---------------------------------------------------------------------------

    def warm_up(self) -> None:
        """One untimed run of each kind of process: writes bytecode caches and the cached
        cluster, so round 1 is not a cold start that no later run pays."""
        for name in ("floor", "guard all", "pytest-alembic", "alembic upgrade head"):
            if name in self.measures:
                self.measures[name].timed()
        self.guard_steps.clear()

    def run_rounds(self, log: Callable[[str], None]) -> None:
        order = list(self.measures)
        for number in range(self.args.rounds):
            random.Random(number).shuffle(order)
            for name in order:
                measure = self.measures[name]
                result = measure.timed()
                if isinstance(result, Run):
                    measure.times_s.append(result.wall_s)
                    measure.rss_mb.append(result.peak_rss_mb)
                    if measure.phases:
                        measure.extra.append(json.loads(result.stdout)["phases_s"])
                else:
                    measure.times_s.append(result)
            log(f"round {number + 1}/{self.args.rounds} done")

    def close(self) -> None:
        self.server.close()


def machine_facts() -> dict:
    return {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.machine(),
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"bench: {message} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)

    workdir = Path(tempfile.mkdtemp(prefix="cotton-erp-bench-"))
    bench = None
    try:
        bench = Bench(args, workdir)
        bench.build()
        log(f"{len(bench.measures)} measures, {args.rounds} round(s), chains {args.chain}")
        if not args.quick:
            bench.warm_up()
            log("warm-up done")
        bench.run_rounds(log)
        bench.measure_predictions()
        log("lock-test's predictions at ten times the size measured")
        data = report.collect(bench, args, machine_facts())
    except ProcessFailed as exc:
        print(f"bench: a timed process failed: {exc}", file=sys.stderr)
        return 2
    finally:
        if bench is not None:
            bench.close()
        shutil.rmtree(workdir, ignore_errors=True)
    data["total_s"] = time.perf_counter() - started
    report.print_tables(data)
    if args.json:
        args.json.write_text(json.dumps(data, indent=2) + "\n")
    if args.plot:
        report.plot(data, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
