"""`python -m bench [--quick]`: every scenario, each in a process of its own; figures to bench/out/<plan>/.

The order: calibrate the people against both bots (and capture the seeding templates); then for each
number of stored intakes, seed every database to it (in parallel) and run each number of concurrent
conversations against our bot on each database; at the levels named in the plan, also the database
size per finished intake, the human-pace runs, Telegram's flood limit, and the baseline at equal
stored data; last, the queue commands against 100,000 referrals. Each child is bounded in time and
the machine's other CPU use during it is recorded, since a busy machine skews a figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.measure import machine_busy
from bench.report import summary
from storage.db import migrate, normalize_url

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Plan:
    """What one invocation measures, and for how long."""

    name: str
    stored: tuple[int, ...]  # intakes already stored, one level after the other
    concurrency: tuple[int, ...]  # saturated runs: people answering without pause
    warmup: float
    duration: float
    size_intakes: int  # finished intakes for the bytes-per-intake measurement (at the first level)
    focus: int  # the stored level of the baseline, the human-pace runs and the flood-limit run
    paced: tuple[tuple[int, float], ...] = ()  # (live conversations, mean seconds between answers)
    baseline_concurrency: int = 100
    baseline_durability: tuple[str, ...] = ("interval", "every_update", "every_update_once")
    baseline_duration: float = 0.0  # 0: as `duration`
    flood_limit: bool = False
    queue_referrals: int = 0  # 0: no queue timing
    growth_reps: int = 0  # the stored levels measured in turns this many times (cost per update vs stored data)
    growth_concurrency: int = 1
    growth_duration: float = 5.0
    postgres: bool = True
    child_timeout: float = 300.0
    one_person_only: tuple[int, ...] = ()  # stored levels measured with one live person only


# issue 14: one person at 100 and at 10,000 stored side by side (cost per update must not grow), and 100 live
QUICK = Plan("quick", stored=(100, 10_000), concurrency=(1, 100), warmup=1.0, duration=3.0, size_intakes=0,
             focus=10_000, baseline_durability=("interval", "every_update"), postgres=False, child_timeout=60.0,
             one_person_only=(100,))
FULL = Plan("full", stored=(100, 10_000, 100_000), concurrency=(1, 100, 1000), warmup=2.0, duration=10.0,
            size_intakes=100, focus=10_000, paced=((100, 10.0), (1000, 10.0)), baseline_duration=20.0,
            flood_limit=True, queue_referrals=100_000, growth_reps=3)
# Every code path of the full plan on little data, in about three minutes: for changing the bench.
SMOKE = Plan("smoke", stored=(100, 1_000), concurrency=(1, 20), warmup=1.0, duration=2.0, size_intakes=10,
             focus=1_000, paced=((20, 1.0),), baseline_duration=3.0, flood_limit=True, queue_referrals=1_000,
             growth_reps=2, growth_duration=2.0, child_timeout=120.0)
PLANS = {p.name: p for p in (QUICK, FULL, SMOKE)}


@dataclass
class Child:
    """One bench process: its JSON answer, and what it cost."""

    what: str
    result: dict[str, Any] | None = None
    seconds: float = 0.0
    cpu_s: float = 0.0
    peak_rss_mb: float = 0.0
    other_cpu_cores: float = 0.0  # CPU the rest of the machine used meanwhile, in cores
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class Runner:
    """Starts bench processes, waits for them with a time bound, and keeps their results."""

    def __init__(self, out: Path, timeout: float) -> None:
        self.out, self.timeout = out, timeout
        (out / "logs").mkdir(parents=True, exist_ok=True)
        self.children: list[Child] = []

    def start(self, what: str, args: list[str], stdout: Path | None = None,
              env: dict[str, str] | None = None) -> tuple[Child, subprocess.Popen[bytes], Any]:
        name = f"{len(self.children):02d}-{what.replace(' ', '_').replace('/', '_')}.log"
        log = (self.out / "logs" / name).open("wb")
        sink = stdout.open("wb") if stdout else subprocess.PIPE
        # PYTHONPATH: every child (the `intake` script too) imports the code of the tree the bench runs in
        env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
        proc = subprocess.Popen(args, cwd=ROOT, stdout=sink, stderr=log, env=env)
        child = Child(what, extra={"started": time.perf_counter(), "busy": machine_busy(), "log": log.name})
        self.children.append(child)
        print(f"  {what} ...", flush=True)
        return child, proc, (log, sink)

    def wait(self, started: tuple[Child, subprocess.Popen[bytes], Any]) -> Child:
        child, proc, (log, sink) = started
        timer = threading.Timer(self.timeout, proc.kill)
        timer.start()
        output = proc.stdout.read() if proc.stdout else b""
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.close()
        if sink is not subprocess.PIPE:
            sink.close()
        child.seconds = round(time.perf_counter() - child.extra.pop("started"), 2)
        child.cpu_s = round(usage.ru_utime + usage.ru_stime, 2)
        child.peak_rss_mb = round(usage.ru_maxrss / 1024, 1)
        child.other_cpu_cores = round(max(0.0, machine_busy() - child.extra.pop("busy") - child.cpu_s)
                                      / max(child.seconds, 1e-9), 2)
        if proc.returncode != 0:
            killed = proc.returncode == -9
            child.error = f"timed out after {self.timeout:.0f} s" if killed else f"exit {proc.returncode}"
            print(f"    {child.what}: {child.error} (see {child.extra['log']})", flush=True)
        elif output.strip():
            child.result = json.loads(output.strip().splitlines()[-1])
        return child

    def run(self, what: str, args: list[str], stdout: Path | None = None, env: dict[str, str] | None = None) -> Child:
        return self.wait(self.start(what, args, stdout, env))


def _py(*args: str | int | float) -> list[str]:
    return [sys.executable, *(str(a) for a in args)]


def _postgres_server(url: str | None) -> str | None:
    """A server where the bench may create its database, or None (then PostgreSQL is left out)."""
    url = url or os.environ.get("INTAKE_TEST_POSTGRES_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"
    host = make_url(url).host or "127.0.0.1"
    if host not in LOOPBACK:
        raise SystemExit(f"the bench talks only to this machine: {host} is not a loopback address")
    try:
        engine = create_engine(normalize_url(url), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - no server: say so and measure SQLite only
        print(f"PostgreSQL left out: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
        return None
    return url


def _postgres_database(server: str, name: str, drop: bool = False) -> str:
    admin = create_engine(normalize_url(server), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if not drop:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(normalize_url(server)).set(database=name).render_as_string(hide_password=False)


def _versions(urls: dict[str, str]) -> dict[str, Any]:
    info: dict[str, Any] = {
        "cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version, "cpu": _cpu_model(), "memory_gib": _memory_gib(),
    }
    import sqlalchemy
    import telegram

    info["python_telegram_bot"] = telegram.__version__
    info["sqlalchemy"] = sqlalchemy.__version__
    if "postgresql" in urls:
        engine = create_engine(normalize_url(urls["postgresql"]))
        with engine.connect() as conn:
            info["postgresql"] = conn.execute(text("SHOW server_version")).scalar_one()
        engine.dispose()
    try:
        info["git"] = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True,
                                     text=True, timeout=10).stdout.strip() or os.environ.get("BENCH_CODE_VERSION")
    except (OSError, subprocess.SubprocessError):
        info["git"] = None
    return info


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def _memory_gib() -> float | None:
    try:
        kib = int(Path("/proc/meminfo").read_text().split("\n", 1)[0].split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return round(kib / 2**20, 1)


def _seed_all(runner: Runner, urls: dict[str, str], templates: Path, intakes: int) -> dict[str, Child]:
    started = {db: runner.start(f"seed {db} to {intakes}", _py("-m", "bench.seed", "--url", url, "--templates",
                                                                templates, "--intakes", intakes))
               for db, url in urls.items()}
    return {db: runner.wait(s) for db, s in started.items()}


def _run(runner: Runner, plan: Plan, scripts: Path, url: str, what: str, *extra: str | int | float) -> Child:
    args = _py("-m", "bench.ours", "run", "--url", url, "--scripts", scripts, "--warmup", plan.warmup,
               "--duration", plan.duration, *extra)
    return runner.run(what, args)


class Databases:
    """One database per stored level (SQLite files, PostgreSQL databases), created and migrated on demand,
    so that the levels can be measured in turns and a level is not the previous one plus time."""

    def __init__(self, out: Path, server: str | None, prefix: str) -> None:
        self.out, self.server, self.prefix = out, server, prefix
        self.urls: dict[tuple[str, int], str] = {}

    @property
    def kinds(self) -> tuple[str, ...]:
        return ("sqlite", "postgresql") if self.server else ("sqlite",)

    def url(self, kind: str, level: int) -> str:
        if (kind, level) not in self.urls:
            if kind == "sqlite":
                url = f"sqlite:///{self.out / f'intake-{level}.db'}"
            else:
                assert self.server is not None
                url = _postgres_database(self.server, f"{self.prefix}_{level}")
            migrate(url)
            self.urls[kind, level] = url
        return self.urls[kind, level]

    def drop(self) -> None:
        for (kind, level) in self.urls:
            if kind == "postgresql" and self.server:
                _postgres_database(self.server, f"{self.prefix}_{level}", drop=True)
            else:
                for path in self.out.glob(f"intake-{level}.db*"):
                    path.unlink()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="the short run (under a minute)")
    parser.add_argument("--plan", choices=sorted(PLANS), default=None, help="full (default), quick or smoke")
    parser.add_argument("--out", type=Path, default=None, help="default: bench/out/<quick|full>")
    parser.add_argument("--postgres", default=None, help="server URL (default: INTAKE_TEST_POSTGRES_URL or local)")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    args = parser.parse_args(argv)
    plan = PLANS[args.plan] if args.plan else QUICK if args.quick else FULL
    out = args.out or ROOT / "bench" / "out" / plan.name
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    began = time.perf_counter()
    runner = Runner(out, plan.child_timeout)
    results: dict[str, Any] = {"plan": asdict(plan), "runs": [], "seeds": [], "baseline": [], "queue": [],
                               "paced": [], "size": [], "flood_limit": [], "growth": []}
    server = None if args.no_postgres or not plan.postgres else _postgres_server(args.postgres)
    databases = Databases(out, server, f"intake_bench_{plan.name}_{os.getpid()}")
    results["machine"] = _versions({kind: databases.url(kind, plan.stored[0]) for kind in databases.kinds})
    print(f"bench {plan.name}: {', '.join(databases.kinds)}; results in {out}", flush=True)
    try:
        _measure(plan, runner, databases, out, results)
    finally:
        if not args.keep:
            databases.drop()
            for path in out.glob("*.db*"):
                path.unlink()
            for path in out.glob("*.pickle"):
                path.unlink()
        results["seconds"] = round(time.perf_counter() - began, 1)
        results["children"] = [asdict(c) for c in runner.children]
        (out / "results.json").write_text(json.dumps(results, indent=1, default=str))
        text_summary = summary(results)
        (out / "summary.md").write_text(text_summary)
        print(text_summary)


def _measure(plan: Plan, runner: Runner, databases: Databases, out: Path, results: dict[str, Any]) -> None:
    scripts, templates = out / "scripts.json", out / "templates.pickle"
    baseline_scripts = out / "baseline-scripts.json"
    scratch = f"sqlite:///{out / 'calibration.db'}"
    migrate(scratch)
    ours = runner.start("calibrate ours", _py("-m", "bench.ours", "calibrate", "--url", scratch, "--templates",
                                              templates), stdout=scripts)
    theirs = runner.start("calibrate baseline", _py("-m", "bench.baseline.run", "calibrate", "--pickle",
                                                    out / "calibration.pickle"), stdout=baseline_scripts)
    for started in (ours, theirs):
        if runner.wait(started).error:
            raise SystemExit("calibration failed")

    for level in plan.stored:
        urls = {kind: databases.url(kind, level) for kind in databases.kinds}
        for db, child in _seed_all(runner, urls, templates, level).items():
            results["seeds"].append({"database": db, "intakes": level, **(child.result or {}),
                                     "child_seconds": child.seconds, "error": child.error})
        for db, url in urls.items():
            if level == plan.stored[0] and plan.size_intakes:
                child = runner.run(f"size {db}", _py("-m", "bench.ours", "size", "--url", url, "--scripts", scripts,
                                                     "--intakes", plan.size_intakes, "--concurrency", 20))
                results["size"].append({"database": db, "stored": level, **(child.result or {}), "error": child.error})
            for concurrency in (1,) if level in plan.one_person_only else plan.concurrency:
                child = _run(runner, plan, scripts, url, f"ours {db} stored={level} c={concurrency}",
                             "--concurrency", concurrency)
                results["runs"].append(_row(db, level, child))
            if level != plan.focus:
                continue
            for live, think in plan.paced:
                child = runner.run(f"paced {db} stored={level} live={live}", _py(
                    "-m", "bench.ours", "run", "--url", url, "--scripts", scripts, "--concurrency", live,
                    "--think", think, "--warmup", think * 1.5, "--duration", plan.duration * 2))
                results["paced"].append(_row(db, level, child))
            if plan.flood_limit and db == "sqlite":
                child = _run(runner, plan, scripts, url, f"flood limit {db} stored={level}", "--concurrency", 100,
                             "--flood-limit")
                results["flood_limit"].append(_row(db, level, child))
        if level == plan.focus:
            _baseline(plan, runner, out, templates, baseline_scripts, level, results)

    # Cost per update against stored data: the levels in turns, several times, so that a drift of the
    # machine over the run (a shared virtual machine) does not pass for growth.
    for rep in range(plan.growth_reps if len(plan.stored) > 1 else 0):
        for level in plan.stored:
            for db in databases.kinds:
                child = runner.run(f"growth {db} stored={level} #{rep + 1}", _py(
                    "-m", "bench.ours", "run", "--url", databases.url(db, level), "--scripts", scripts,
                    "--concurrency", plan.growth_concurrency, "--warmup", 1, "--duration", plan.growth_duration))
                results["growth"].append({**_row(db, level, child), "rep": rep + 1})

    if plan.queue_referrals:
        largest = plan.stored[-1]
        _queue(plan, runner, {kind: databases.url(kind, largest) for kind in databases.kinds}, templates, out,
               results)


def _row(db: str, stored: int, child: Child) -> dict[str, Any]:
    row = {"database": db, "stored": stored, "other_cpu_cores": child.other_cpu_cores, **(child.result or {}),
           "error": child.error, "process_peak_rss_mb": child.peak_rss_mb}
    return row  # a run's own "other_cpu_cores" (its measured window, PostgreSQL's server apart) wins


def _baseline(plan: Plan, runner: Runner, out: Path, templates: Path, scripts: Path, stored: int,
              results: dict[str, Any]) -> None:
    seeded = out / "baseline-seed.pickle"
    runner.run("seed baseline", _py("-m", "bench.baseline.run", "seed", "--pickle", seeded, "--templates", templates,
                                    "--conversations", stored))
    for durability in plan.baseline_durability:
        working = out / f"baseline-{durability}.pickle"
        shutil.copyfile(seeded, working)
        child = runner.run(f"baseline {durability} stored={stored}", _py(
            "-m", "bench.baseline.run", "run", "--pickle", working, "--scripts", scripts, "--durability", durability,
            "--concurrency", plan.baseline_concurrency, "--warmup", plan.warmup,
            "--duration", plan.baseline_duration or plan.duration))
        results["baseline"].append(_row("pickle", stored, child))


def _queue(plan: Plan, runner: Runner, urls: dict[str, str], templates: Path, out: Path,
           results: dict[str, Any]) -> None:
    """`intake queue list` and `intake queue export` against `queue_referrals` referrals."""
    intakes = round(plan.queue_referrals / 0.7)  # seeding finishes 70 % of the intakes
    for db, child in _seed_all(runner, urls, templates, intakes).items():
        results["seeds"].append({"database": db, "intakes": intakes, **(child.result or {}), "error": child.error})
    intake = Path(sys.executable).with_name("intake")
    command = [str(intake)] if intake.exists() else _py("-m", "bot.cli")
    for db, url in urls.items():
        engine = create_engine(normalize_url(url))
        with engine.connect() as conn:
            referrals = conn.execute(text("SELECT COUNT(*) FROM referral")).scalar_one()
        engine.dispose()
        # the queue is a staff member's to read: one caseworker, named with --as (a page of 200, the most
        # a page holds; every later page is the same keyset lookup from its marker)
        subprocess.run([*command, "staff", "add", "1", "Bänk Handläggare", "--role", "caseworker"], check=True,
                       env={**os.environ, "INTAKE_DATABASE_URL": url}, stdout=subprocess.DEVNULL)
        for name, args in (("list", ["queue", "list", "--as", "1", "--limit", "200"]),
                           ("export", ["queue", "export", "--format", "json"])):
            target = out / f"queue-{name}-{db}.out"
            child = runner.run(f"intake queue {name} {db}", [*command, *args], stdout=target,
                               env={"INTAKE_DATABASE_URL": url})
            results["queue"].append({"database": db, "command": f"intake {' '.join(args)}", "referrals": referrals,
                                     "seconds": child.seconds, "cpu_s": child.cpu_s, "peak_rss_mb": child.peak_rss_mb,
                                     "output_bytes": target.stat().st_size if target.exists() else 0,
                                     "error": child.error, "other_cpu_cores": child.other_cpu_cores})
            target.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
