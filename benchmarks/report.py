"""The benchmark's results: one dict (the --json document), its tables and its plot."""

from __future__ import annotations

import statistics
from pathlib import Path

from rich.console import Console
from rich.table import Table

# A per-revision cost that grows by less than this between chain lengths counts as linear.
LINEAR_TOLERANCE = 1.5
# The step of dry-run's JSON report compared with the upgrade SQL floor.
DRY_RUN_UPGRADE_STEP = "upgrade to head"


def stats(times: list[float]) -> dict:
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times)}


def collect(bench, args, machine: dict) -> dict:
    """Everything measured, as plain data: the --json document and the source of the tables."""
    from backend.db.postgres.embedded_server import THROWAWAY_SETTINGS

    measures = {}
    for name, m in bench.measures.items():
        entry = {"what": m.what, "times_s": m.times_s, **stats(m.times_s), "floor": m.floor}
        if m.floor is not None:
            entry["ratio_to_floor"] = _ratio(bench, name, m.floor)
        if m.rss_mb:
            entry["peak_rss_mb"] = max(m.rss_mb)
        if m.extra:
            entry["phases_s"] = {
                phase: statistics.median(run[phase] for run in m.extra) for phase in m.extra[0]
            }
        measures[name] = entry
    data = {
        "quick": args.quick,
        "rounds": args.rounds,
        "chain": args.chain,
        "machine": machine,
        "postgres": {
            "kind": bench.server.kind,
            "version": bench.server.version,
            "settings": dict(THROWAWAY_SETTINGS),
            "cluster_dir": bench.parent,
        },
        "measures": measures,
        "guard_steps": _guard_steps(bench.guard_steps),
    }
    data["peer"] = dict(bench.peer)
    if "pytest-alembic" in bench.measures:
        data["peer"]["ratio_to_guard_all"] = _ratio(bench, "pytest-alembic", "guard all")
    data["dry_run_upgrade"] = _dry_run_upgrade(bench)
    data["generator"] = _generator(bench)
    data["data_test"] = _data_test(bench)
    data["lock_test"] = _lock_test(bench, measures)
    data["scaling"] = _scaling(measures, args.chain)
    data["targets"] = _targets(data)
    return data


def _ratio(bench, name: str, floor: str) -> float:
    """The median of the per-round ratios of ``name`` to ``floor``."""
    pairs = zip(bench.measures[name].times_s, bench.measures[floor].times_s, strict=True)
    return statistics.median(t / f for t, f in pairs)


def _guard_steps(runs: list[dict]) -> dict:
    """Median time of each step of each check, from the guard's own JSON reports."""
    samples: dict[str, dict[str, list[float]]] = {}
    for run in runs:
        for result in run["results"]:
            key = f"{run['check']}: {result['check']}"
            for step in result.get("steps", []):
                samples.setdefault(key, {}).setdefault(step["name"], []).append(step["duration_s"])
    return {
        key: {name: statistics.median(values) for name, values in steps.items()}
        for key, steps in samples.items()
    }


def _dry_run_upgrade(bench) -> dict:
    """dry-run's own upgrade step (from its JSON) against the upgrade SQL floor."""
    step_times = [
        step["duration_s"]
        for run in bench.guard_steps
        if run["check"] == "dry-run"
        for step in run["results"][0].get("steps", [])
        if step["name"].startswith(DRY_RUN_UPGRADE_STEP)
    ]
    floor = bench.measures["upgrade SQL floor"].times_s
    if len(step_times) != len(floor):
        return {}
    return {
        **stats(step_times),
        "floor_median_s": statistics.median(floor),
        "ratio_to_floor": statistics.median(s / f for s, f in zip(step_times, floor, strict=True)),
    }


def _generator(bench) -> dict:
    """Rows per second of the row generator and of its floor (the same rows per table)."""
    fill, floor = bench.measures["generator fill (SQL)"], bench.measures["generator floor (SQL)"]
    written = statistics.median(bench.generator_rows)
    pairs = list(zip(fill.times_s, floor.times_s, strict=True))
    return {
        "rows": written,
        "rows_per_s": written / statistics.median(fill.times_s),
        "floor_rows_per_s": written / statistics.median(floor.times_s),
        # per round: the generator's rate over the floor's (1.0 = as fast as the floor)
        "rate_to_floor": statistics.median(f / t for t, f in pairs),
    }


def _data_test(bench) -> dict:
    """data-test on the project against dry-run + downgrade-test, per round."""
    data_test = bench.measures["guard data-test"].times_s
    dry_run = bench.measures["guard dry-run"].times_s
    downgrade = bench.measures["guard downgrade-test"].times_s
    ratios = [d / (r + g) for d, r, g in zip(data_test, dry_run, downgrade, strict=True)]
    return {"ratio_to_dry_run_plus_downgrade_test": statistics.median(ratios)}


def _lock_test(bench, measures: dict) -> dict:
    """lock-test on its chain against its floor, where its time goes, and its predictions at
    ten times the larger rehearsal size against a measurement there."""
    from backend.db.guard.checks.lock_test import REHEARSAL_ROWS

    steps: dict[str, list[float]] = {}
    for result in bench.lock_steps:
        for step in result["steps"]:
            steps.setdefault(step["name"], []).append(step["duration_s"])
    chain, floor = measures[bench.lock_chain], measures[f"{bench.lock_chain} floor"]
    predictions = bench.lock_predictions
    return {
        "revisions": bench.lock_revisions,
        "rehearsal_rows": list(REHEARSAL_ROWS),
        "median_s": chain["median_s"],
        "floor_median_s": floor["median_s"],
        "ratio_to_floor": chain["ratio_to_floor"],
        "steps_s": {name: statistics.median(values) for name, values in steps.items()},
        "floor_phases_s": floor.get("phases_s", {}),
        "predictions": predictions,
        # How far the worst prediction is off, either way (1.0 = exact).
        "worst_prediction_factor": max(
            (max(p["ratio"], 1 / p["ratio"]) for p in predictions), default=None
        ),
    }


def _scaling(measures: dict, chain: list[int]) -> dict:
    """Milliseconds per added revision (against N = the shortest chain) and linearity."""
    base = chain[0]
    result: dict = {}
    for kind in ("guard all", "stairway", "floor"):
        medians = {n: measures[f"chain {n} {kind}"]["median_s"] for n in chain}
        per_revision = {
            str(n): 1000 * (medians[n] - medians[base]) / (n - base) for n in chain if n != base
        }
        # Marginal cost between consecutive chain lengths: flat for linear growth.
        marginal = [
            1000 * (medians[b] - medians[a]) / (b - a)
            for a, b in zip(chain[:-1], chain[1:], strict=True)
        ]
        linear = None
        if len(marginal) >= 2 and marginal[0] > 0:
            linear = marginal[-1] / marginal[0] <= LINEAR_TOLERANCE
        result[kind] = {
            "median_s": {str(n): medians[n] for n in chain},
            "ms_per_revision": per_revision,
            "marginal_ms_per_revision": marginal,
            "linear": linear,
        }
    largest = str(chain[-1])
    floor_cost = result["floor"]["ms_per_revision"].get(largest)
    stair_cost = result["stairway"]["ms_per_revision"].get(largest)
    if floor_cost and stair_cost and floor_cost > 0:
        result["stairway_per_revision_over_floor"] = stair_cost / floor_cost
    return result


def _targets(data: dict) -> list[dict]:
    m = data["measures"]
    largest = data["chain"][-1]
    rows = [
        ("migration-guard all / floor", m["guard all"].get("ratio_to_floor"), "<=", 1.5),
        ("pytest-alembic / migration-guard all", data["peer"].get("ratio_to_guard_all"), ">=", 1.5),
        (
            "dry-run's upgrade / upgrade SQL floor",
            data["dry_run_upgrade"].get("ratio_to_floor"),
            "<=",
            2.0,
        ),
        (
            "generator rows/s / floor rows/s",
            data["generator"].get("rate_to_floor"),
            ">=",
            0.5,
        ),
        (
            "data-test / (dry-run + downgrade-test)",
            data["data_test"].get("ratio_to_dry_run_plus_downgrade_test"),
            "<=",
            1.5,
        ),
        (
            f"lock-test (chain of {data['lock_test']['revisions']}) / its floor",
            data["lock_test"]["ratio_to_floor"],
            "<=",
            1.5,
        ),
        (
            "lock-test prediction at 10x the size, worst factor off",
            data["lock_test"]["worst_prediction_factor"],
            "<=",
            2.0,
        ),
        (
            f"stairway per revision / floor per revision (N = {largest})",
            data["scaling"].get("stairway_per_revision_over_floor"),
            "<=",
            10.0,
        ),
        (
            f"migration-guard all at N = {largest} (s)",
            m[f"chain {largest} guard all"]["median_s"],
            "<=",
            15.0,
        ),
    ]
    targets = []
    for name, value, op, limit in rows:
        met = None if value is None else (value <= limit if op == "<=" else value >= limit)
        targets.append({"measure": name, "target": f"{op} {limit}", "value": value, "met": met})
    linear = data["scaling"]["stairway"]["linear"]
    targets.append(
        {"measure": "stairway grows linearly", "target": "linear", "value": linear, "met": linear}
    )
    return targets


def _fmt(value, unit: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:.2f}{unit}" if isinstance(value, float) else str(value)


def print_tables(data: dict, console: Console | None = None) -> None:
    """The tables a human reads: measures, scaling, targets, and where the guard's time goes."""
    console = console or Console(highlight=False)
    machine, pg = data["machine"], data["postgres"]
    console.print(
        f"{machine['cpu_count']} CPUs, Python {machine['python']}, {machine['platform']}; "
        f"{pg['kind']} PostgreSQL {pg['version']} "
        f"({', '.join(f'{k}={v}' for k, v in pg['settings'].items())}, cluster in {pg['cluster_dir']}); "
        f"{data['rounds']} round(s)"
    )
    table = Table(title="Measures (wall time of the whole process unless the name says SQL)")
    for column in ("measure", "median s", "min s", "max s", "ratio", "to", "peak RSS MB"):
        table.add_column(column, justify="left" if column in ("measure", "to") else "right")
    for name, m in data["measures"].items():
        if name.startswith("chain "):
            continue
        table.add_row(
            name,
            _fmt(m["median_s"]),
            _fmt(m["min_s"]),
            _fmt(m["max_s"]),
            _fmt(m.get("ratio_to_floor"), "x"),
            m["floor"] or "",
            _fmt(m.get("peak_rss_mb"), ""),
        )
    console.print(table)
    if "skipped" in data["peer"]:
        console.print(f"pytest-alembic: skipped ({data['peer']['skipped']})")
    else:
        console.print(
            f"pytest-alembic / migration-guard all: {_fmt(data['peer']['ratio_to_guard_all'], 'x')}"
        )
    gen = data["generator"]
    console.print(
        f"generator: {gen['rows']:.0f} rows, {gen['rows_per_s']:.0f} rows/s vs floor "
        f"{gen['floor_rows_per_s']:.0f} rows/s: {_fmt(gen['rate_to_floor'], 'x')} of the floor's rate"
    )
    console.print(
        "data-test / (dry-run + downgrade-test): "
        f"{_fmt(data['data_test']['ratio_to_dry_run_plus_downgrade_test'], 'x')}"
    )
    dry = data["dry_run_upgrade"]
    if dry:
        console.print(
            f"dry-run's upgrade step: {_fmt(dry['median_s'])} s vs upgrade SQL floor "
            f"{_fmt(dry['floor_median_s'])} s: {_fmt(dry['ratio_to_floor'], 'x')}"
        )

    _print_lock_test(data["lock_test"], console)

    scaling = Table(
        title="Scaling: baseline + N generated revisions (median s; ratio to the chain's floor)"
    )
    scaling.add_column("N", justify="right")
    for column in ("guard all", "ratio", "stairway", "ratio", "floor", "peak RSS MB (all)"):
        scaling.add_column(column, justify="right")
    for n in data["chain"]:
        g, s, f = (data["measures"][f"chain {n} {k}"] for k in ("guard all", "stairway", "floor"))
        scaling.add_row(
            str(n),
            _fmt(g["median_s"]),
            _fmt(g["ratio_to_floor"], "x"),
            _fmt(s["median_s"]),
            _fmt(s["ratio_to_floor"], "x"),
            _fmt(f["median_s"]),
            _fmt(g.get("peak_rss_mb")),
        )
    console.print(scaling)
    for kind in ("guard all", "stairway", "floor"):
        entry = data["scaling"][kind]
        per = ", ".join(f"N={n}: {v:.1f}" for n, v in entry["ms_per_revision"].items())
        marginal = ", ".join(f"{v:.1f}" for v in entry["marginal_ms_per_revision"])
        console.print(
            f"{kind}: ms per added revision {per}; marginal between chain lengths {marginal}; "
            f"linear: {_fmt(entry['linear'])}"
        )

    targets = Table(title="Targets")
    for column in ("measure", "target", "measured", "met"):
        targets.add_column(column)
    for t in data["targets"]:
        targets.add_row(t["measure"], t["target"], _fmt(t["value"]), _fmt(t["met"]))
    console.print(targets)

    steps = Table(title="Where the guard's time goes (median s per step, from its JSON report)")
    for column in ("run: check", "step", "s"):
        steps.add_column(column, justify="right" if column == "s" else "left")
    for key, check_steps in data["guard_steps"].items():
        for name, seconds in check_steps.items():
            steps.add_row(key, name, _fmt(seconds))
    console.print(steps)
    phases = data["measures"]["floor"].get("phases_s", {})
    console.print(
        "floor phases (median s): " + ", ".join(f"{k} {v:.3f}" for k, v in phases.items())
    )


def _print_lock_test(lock: dict, console: Console) -> None:
    rows = " and ".join(f"{n:,}" for n in lock["rehearsal_rows"])
    console.print(
        f"lock-test on {lock['revisions']} revisions (rehearsal {rows} rows): "
        f"{_fmt(lock['median_s'])} s vs its floor {_fmt(lock['floor_median_s'])} s: "
        f"{_fmt(lock['ratio_to_floor'], 'x')}"
    )
    console.print(
        "  lock-test steps (median s): "
        + ", ".join(f"{k} {v:.2f}" for k, v in lock["steps_s"].items())
    )
    console.print(
        "  floor phases (median s): "
        + ", ".join(f"{k} {v:.2f}" for k, v in lock["floor_phases_s"].items())
    )
    if not lock["predictions"]:
        return
    sizes = list(lock["predictions"][0]["times_s"])
    table = Table(title="lock-test's prediction at ten times the larger rehearsal size")
    for column in ("statement", *(f"ms at {int(n):,}" for n in sizes), "predicted ms", "ratio"):
        table.add_column(column, justify="left" if column == "statement" else "right")
    for p in lock["predictions"]:
        table.add_row(
            p["kind"],
            *(f"{1000 * p['times_s'][n]:.1f}" for n in sizes),
            f"{1000 * p['predicted_s']:.1f}",
            _fmt(p["ratio"], "x"),
        )
    console.print(table)


def plot(data: dict, path: Path) -> None:
    """Time vs N for the guard, the stairway and the floor (median, min-max bars)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    chain = data["chain"]
    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    for kind, label in (
        ("guard all", "migration-guard all"),
        ("stairway", "downgrade-test (stairway)"),
        ("floor", "floor (psycopg2 + SQL)"),
    ):
        entries = [data["measures"][f"chain {n} {kind}"] for n in chain]
        medians = [e["median_s"] for e in entries]
        errors = [
            [m - e["min_s"] for m, e in zip(medians, entries, strict=True)],
            [e["max_s"] - m for m, e in zip(medians, entries, strict=True)],
        ]
        ax.errorbar(chain, medians, yerr=errors, marker="o", capsize=3, label=label)
    ax.set_xlabel("generated revisions on top of the baseline (N)")
    ax.set_ylabel("wall time of the process (s)")
    ax.set_title(f"Guard vs floor, {data['machine']['cpu_count']} CPUs, {data['rounds']} round(s)")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
