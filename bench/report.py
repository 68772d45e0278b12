"""The bench's results as Markdown tables, with the targets of issues 8 and 14 checked against them.

Written to bench/out/<plan>/summary.md and printed at the end of a run; bench/RESULTS.md quotes the
full run's summary and reads it.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

__all__ = ["summary"]

# issue 8: SQLite, one process
TARGET_UPDATES_PER_S = 1000
TARGET_P99_MS = 20.0
TARGET_FLAT = 0.20
TARGET_RSS_MB = 200.0
TARGET_BASELINE_RATIO = 10.0
# issue 14: one transaction per update, end to end (one process, this 2-core machine)
TARGET14_CPU_MS = 4.0  # CPU per update, one person, 10,000 stored (bot + database server)
TARGET14_P99_MS = 15.0  # p99 latency, one person, 10,000 stored
TARGET14_FLAT = 0.20  # CPU per update at 10,000 stored within ±20 % of 100 stored, one person
TARGET14_UPDATES_PER_S = 300.0  # 100 live people, saturated
TARGET14_STORED = 10_000


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_fmt(v) for v in row) + " |" for row in rows]
    return lines


def _lat(row: dict[str, Any], key: str = "latency_ms") -> list[Any]:
    lat = row.get(key) or {}
    return [lat.get("p50"), lat.get("p95"), lat.get("p99")]


def _note(row: dict[str, Any]) -> str:
    notes = []
    if row.get("error"):
        notes.append(row["error"])
    if row.get("person_errors"):
        notes.append(f"simulation errors: {row['person_errors'][0]}")
    if row.get("timeouts"):
        notes.append(f"{row['timeouts']} timeouts")
    if row.get("stray_calls"):
        notes.append(f"{row['stray_calls']} stray calls")
    if (row.get("other_cpu_cores") or 0) > 0.2:
        notes.append(f"machine busy: {row['other_cpu_cores']} other cores")
    return "; ".join(notes)


def summary(results: dict[str, Any]) -> str:
    plan, machine = results.get("plan", {}), results.get("machine", {})
    out = [f"# Bench `{plan.get('name')}`, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC", ""]
    out.append(f"Machine: {machine.get('cores')} cores ({machine.get('cpu')}), {machine.get('memory_gib')} GiB; "
               f"Python {machine.get('python')}, SQLite {machine.get('sqlite')}, PostgreSQL "
               f"{machine.get('postgresql', 'not measured')}, "
               f"python-telegram-bot {machine.get('python_telegram_bot')}, "
               f"SQLAlchemy {machine.get('sqlalchemy')}; code {machine.get('git')}. "
               f"Whole run: {results.get('seconds')} s.")
    out += ["", "## Our bot, saturated: every person answers the moment the previous answer is complete", ""]
    out += _table(
        ["database", "stored intakes", "live conversations", "updates/s", "p50 ms", "p95 ms", "p99 ms",
         "CPU ms/update (bot)", "CPU ms/update (PostgreSQL server)", "SQL statements/update", "commits/update",
         "Bot API calls/update", "peak RSS MB", "notes"],
        ([r["database"], r["stored"], r.get("concurrency"), r.get("updates_per_s"), *_lat(r),
          r.get("cpu_ms_per_update_bot"), r.get("cpu_ms_per_update_db_server"), r.get("sql_per_update"),
          r.get("commits_per_update"), r.get("calls_per_update"), r.get("peak_rss_mb"), _note(r)]
         for r in results.get("runs", [])))
    out += ["", "Latency: from `getUpdates` handing the update to the bot to the last Bot API call it causes. "
            "Saturated, it is mostly waiting in line: about live conversations ÷ updates/s."]
    out += _one_person(results)
    if results.get("paced"):
        out += ["", "## Human pace: live conversations, each person answering every few seconds", ""]
        out += _table(
            ["database", "stored", "live", "mean s between answers", "offered updates/s", "updates/s", "p50 ms",
             "p95 ms", "p99 ms", "first reply p99 ms", "CPU ms/update (bot)", "peak RSS MB", "notes"],
            ([r["database"], r["stored"], r.get("concurrency"), r.get("think_s"),
              round(r["concurrency"] / r["think_s"], 1) if r.get("think_s") else None, r.get("updates_per_s"),
              *_lat(r), (r.get("first_reply_ms") or {}).get("p99"), r.get("cpu_ms_per_update_bot"),
              r.get("peak_rss_mb"), _note(r)] for r in results["paced"]))
    out += _growth(results.get("growth") or [])
    if results.get("size"):
        out += ["", "## Database size per finished intake", ""]
        out += _table(["database", "intakes", "bytes on disk", "bytes after compaction", "largest tables (bytes)"],
                      ([r["database"], r.get("intakes"), r.get("bytes_per_intake_on_disk"),
                        r.get("bytes_per_intake_compacted"),
                        ", ".join(f"{k} {v:,}" for k, v in sorted((r.get("bytes_per_intake_by_table") or {}).items(),
                                                                   key=lambda kv: -kv[1])[:5])]
                       for r in results["size"]))
    if results.get("flood_limit"):
        out += ["", "## With Telegram's flood limit on (build_application's AIORateLimiter, 30 chat calls/s)", ""]
        out += _table(["database", "stored", "live", "updates/s", "p50 ms", "p95 ms", "p99 ms", "notes"],
                      ([r["database"], r["stored"], r.get("concurrency"), r.get("updates_per_s"), *_lat(r), _note(r)]
                       for r in results["flood_limit"]))
    out += _baseline(results)
    if results.get("queue"):
        out += ["", "## Queue commands", ""]
        out += _table(["database", "command", "referrals", "seconds", "CPU s", "peak RSS MB", "output KB", "notes"],
                      ([q["database"], f"`{q['command']}`", q.get("referrals"), q.get("seconds"), q.get("cpu_s"),
                        q.get("peak_rss_mb"), round(q.get("output_bytes", 0) / 1024), _note(q)]
                       for q in results["queue"]))
    if results.get("seeds"):
        out += ["", "## Seeding", ""]
        out += _table(["database", "intakes after", "added", "rows", "seconds", "rows/s"],
                      ([s["database"], s.get("intakes"), s.get("intakes_added"), s.get("rows"), s.get("seconds"),
                        s.get("rows_per_s")] for s in results["seeds"]))
    out += _targets(results)
    out += _targets14(results)
    return "\n".join(out) + "\n"


def _cost(row: dict[str, Any]) -> float | None:
    """CPU per update of the whole system: the bot's process, and the database server's when there is one."""
    bot = row.get("cpu_ms_per_update_bot")
    return None if bot is None else bot + (row.get("cpu_ms_per_update_db_server") or 0.0)


def _growth_medians(rows: list[dict[str, Any]]) -> dict[tuple[str, int], list[float]]:
    costs: dict[tuple[str, int], list[float]] = {}
    for r in rows:
        if (cost := _cost(r)) is not None:
            costs.setdefault((r["database"], r["stored"]), []).append(cost)
    return costs


def _growth(rows: list[dict[str, Any]]) -> list[str]:
    levels = sorted({r["stored"] for r in rows})
    if len(levels) < 2:
        return []
    costs = _growth_medians(rows)
    reps = max(r.get("rep", 1) for r in rows)
    out = ["", f"## Cost per update as stored data grows: CPU ms per update (bot + database server), one live "
                f"conversation, the levels measured in turns {reps} times: median (min–max)", ""]
    table = []
    for db in sorted({r["database"] for r in rows}):
        cells, medians = [], []
        for level in levels:
            values = costs.get((db, level), [])
            medians.append(statistics.median(values) if values else None)
            cells.append(f"{statistics.median(values):.1f} ({min(values):.1f}–{max(values):.1f})" if values else "–")
        change = f"{medians[-1] / medians[0] - 1:+.0%}" if medians[0] and medians[-1] else None
        table.append([db, *cells, change])
    return out + _table(["database", *(f"{level:,} stored" for level in levels), "change"], table)


def _ours_at(results: dict[str, Any], stored: int, concurrency: int) -> dict[str, Any] | None:
    return next((r for r in results.get("runs", []) if r["database"] == "sqlite" and r["stored"] == stored
                 and r.get("concurrency") == concurrency), None)


def _owed(row: dict[str, Any]) -> str:
    if row.get("deferred_writes") is None:
        return "–"
    return f"{row['deferred_writes']:,} writes ≈ {row['deferred_write_s']:,} s"


def _baseline(results: dict[str, Any]) -> list[str]:
    rows = results.get("baseline") or []
    if not rows:
        return []
    plan = results.get("plan", {})
    ours = _ours_at(results, plan.get("focus"), plan.get("baseline_concurrency"))
    out = ["", f"## Against the baseline: python-telegram-bot's ConversationHandler + PicklePersistence, "
                f"{plan.get('focus'):,} stored conversations, {plan.get('baseline_concurrency')} live", ""]
    table = []
    for r in rows:
        ratio = (ours["updates_per_s"] / r["updates_per_s"]) if ours and r.get("updates_per_s") else None
        cpu = (ours["cpu_ms_per_update_bot"] / r["cpu_ms_per_update_bot"]) if ours and r.get(
            "cpu_ms_per_update_bot") else None
        table.append([r.get("durability"), r.get("updates_per_s"), *_lat(r), r.get("cpu_ms_per_update_bot"),
                      r.get("peak_rss_mb"), r.get("pickle_writes_per_update"), r.get("pickle_write_ms"),
                      _owed(r), _fmt(ratio, 2), _fmt(cpu, 2), _note(r)])
        if r.get("sustained_updates_per_s"):
            sustained = r["sustained_updates_per_s"]
            table.append([f"{r.get('durability')}, once its deferred writes are paid (estimate)", sustained,
                          None, None, None, None, None, None, None, None,
                          _fmt(ours["updates_per_s"] / sustained, 2) if ours else None, None, ""])
    if ours:
        table.insert(0, ["ours (SQLite, one transaction per update)", ours.get("updates_per_s"), *_lat(ours),
                         ours.get("cpu_ms_per_update_bot"), ours.get("peak_rss_mb"), None, None, None, "1.00", "1.00",
                         _note(ours)])
    out += _table(["bot / durability", "updates/s", "p50 ms", "p95 ms", "p99 ms", "CPU ms/update", "peak RSS MB",
                   "file writes/update", "ms per write", "still owed at the end: writes / time",
                   "throughput ours/baseline", "CPU per update ours/baseline", "notes"], table)
    out += ["", "interval: PTB's defaults (the pickle is written every 60 s); every_update: the defaults and "
            "`update_persistence()` after every update (equal durability); every_update_once: the same with "
            "`on_flush=True` and one `flush()` per update (the cheapest equal durability)."]
    return out


def _targets(results: dict[str, Any]) -> list[str]:
    runs = [r for r in results.get("runs", []) if r["database"] == "sqlite"]
    if not runs:
        return []
    checks: list[tuple[str, str, bool | None]] = []
    best = max(runs, key=lambda r: r.get("updates_per_s") or 0)
    checks.append((f"≥ {TARGET_UPDATES_PER_S:,} updates/s (SQLite, one process, a transaction per update)",
                   f"{_fmt(best.get('updates_per_s'))} updates/s at {best.get('concurrency')} live",
                   (best.get("updates_per_s") or 0) >= TARGET_UPDATES_PER_S))
    paced = [r for r in results.get("paced", []) if r["database"] == "sqlite" and r.get("concurrency") == 1000]
    if paced:
        p99 = (paced[0].get("latency_ms") or {}).get("p99")
        checks.append((f"p99 < {TARGET_P99_MS:.0f} ms with 1,000 live conversations", f"{_fmt(p99)} ms",
                       p99 is not None and p99 < TARGET_P99_MS))
    levels = sorted({r["stored"] for r in runs})
    growth = [r for r in results.get("growth") or [] if r["database"] == "sqlite"]
    if len(levels) > 1 and growth:
        costs = _growth_medians(growth)
        first, last = costs.get(("sqlite", levels[0])), costs.get(("sqlite", levels[-1]))
        change = statistics.median(last) / statistics.median(first) - 1 if first and last else None
        checks.append((f"cost per update flat (±{TARGET_FLAT:.0%}) from {levels[0]:,} to {levels[-1]:,} stored",
                       f"{change:+.0%} (medians)" if change is not None else "–",
                       change is not None and abs(change) <= TARGET_FLAT))
    top = [r for r in runs if r["stored"] == levels[-1]]
    rss = max((r.get("peak_rss_mb") or 0) for r in top)
    checks.append((f"peak RSS < {TARGET_RSS_MB:.0f} MB with {levels[-1]:,} stored", f"{_fmt(rss)} MB",
                   rss < TARGET_RSS_MB))
    plan = results.get("plan", {})
    ours = _ours_at(results, plan.get("focus"), plan.get("baseline_concurrency"))
    equal = next((r for r in results.get("baseline", []) if r.get("durability") == "every_update"), None)
    if ours and equal and equal.get("updates_per_s"):
        ratio = ours["updates_per_s"] / equal["updates_per_s"]
        checks.append((f"≥ {TARGET_BASELINE_RATIO:.0f}× the baseline's throughput at equal durability",
                       f"{ratio:.1f}×", ratio >= TARGET_BASELINE_RATIO))
    out = ["", "## Targets (issue 8)", ""]
    out += _table(["target", "measured", "met"], ([t, m, {True: "yes", False: "**no**", None: "–"}[ok]]
                                                   for t, m, ok in checks))
    return out


def _run_at(results: dict[str, Any], db: str, stored: int, concurrency: int) -> dict[str, Any] | None:
    return next((r for r in results.get("runs", []) if r["database"] == db and r["stored"] == stored
                 and r.get("concurrency") == concurrency and not r.get("error")), None)


def _change(low: float | None, high: float | None) -> str:
    return f"{high / low - 1:+.0%}" if low and high is not None else "–"


def _one_person(results: dict[str, Any]) -> list[str]:
    """One person at each stored level, side by side: what an update costs when nobody waits."""
    out: list[str] = []
    for db in dict.fromkeys(r["database"] for r in results.get("runs", [])):
        levels = sorted({r["stored"] for r in results["runs"] if r["database"] == db and r.get("concurrency") == 1})
        runs = [_run_at(results, db, level, 1) for level in levels]
        if len(levels) < 2:
            continue
        metrics: list[tuple[str, Any]] = [
            ("CPU ms/update (bot)", lambda r: r.get("cpu_ms_per_update_bot")),
            *([("CPU ms/update (bot + database server)", _cost)] if db == "postgresql" else []),
            ("p50 ms", lambda r: (r.get("latency_ms") or {}).get("p50")),
            ("p95 ms", lambda r: (r.get("latency_ms") or {}).get("p95")),
            ("p99 ms", lambda r: (r.get("latency_ms") or {}).get("p99")),
            ("updates/s", lambda r: r.get("updates_per_s")),
            ("SQL statements/update", lambda r: r.get("sql_per_update")),
            ("commits/update", lambda r: r.get("commits_per_update")),
            ("machine busy (other cores)", lambda r: r.get("other_cpu_cores")),
        ]
        rows = []
        for name, read in metrics:
            values = [read(r) if r else None for r in runs]
            rows.append([name, *values, _change(values[0], values[-1]) if name != metrics[-1][0] else ""])
        out += ["", f"## One person, {db}: {' and '.join(f'{level:,}' for level in levels)} stored side by side", ""]
        out += _table(["", *(f"{level:,} stored" for level in levels), "change"], rows)
    return out


def _targets14(results: dict[str, Any]) -> list[str]:
    """Issue 14's targets, per database measured: each met or not."""
    checks: list[tuple[str, str, str, bool | None]] = []
    for db in dict.fromkeys(r["database"] for r in results.get("runs", [])):
        levels = sorted({r["stored"] for r in results["runs"] if r["database"] == db})
        if TARGET14_STORED not in levels:
            continue
        one = _run_at(results, db, TARGET14_STORED, 1)
        low = _run_at(results, db, levels[0], 1) if levels[0] != TARGET14_STORED else None
        crowd = _run_at(results, db, TARGET14_STORED, 100)
        cost = _cost(one) if one else None
        what = "bot + server" if db == "postgresql" else "bot"
        checks.append((db, f"CPU per update ≤ {TARGET14_CPU_MS:.0f} ms, one person, {TARGET14_STORED:,} stored "
                           f"({what})", f"{_fmt(cost, 2)} ms", cost <= TARGET14_CPU_MS if cost is not None else None))
        p99 = (one.get("latency_ms") or {}).get("p99") if one else None
        checks.append((db, f"p99 ≤ {TARGET14_P99_MS:.0f} ms, one person, {TARGET14_STORED:,} stored", f"{_fmt(p99)} ms",
                       p99 <= TARGET14_P99_MS if p99 is not None else None))
        base = _cost(low) if low else None
        change = cost / base - 1 if cost is not None and base else None
        checks.append((db, f"CPU per update within ±{TARGET14_FLAT:.0%} from {levels[0]:,} to {TARGET14_STORED:,} "
                           f"stored, one person", f"{change:+.0%}" if change is not None else "–",
                       abs(change) <= TARGET14_FLAT if change is not None else None))
        rate = crowd.get("updates_per_s") if crowd else None
        checks.append((db, f"≥ {TARGET14_UPDATES_PER_S:.0f} updates/s, 100 live, saturated, {TARGET14_STORED:,} stored",
                       f"{_fmt(rate)} updates/s", rate >= TARGET14_UPDATES_PER_S if rate is not None else None))
    if not checks:
        return []
    out = ["", "## Targets (issue 14: one transaction per update, end to end)", ""]
    out += _table(["database", "target", "measured", "met"],
                  ([db, t, m, {True: "yes", False: "**no**", None: "– (not measured)"}[ok]] for db, t, m, ok in checks))
    busy = [r for r in results.get("runs", []) if (r.get("other_cpu_cores") or 0) > 0.2]
    if busy:
        out += ["", f"{len(busy)} of the runs above had the machine busy (other programs' CPU in their notes): "
                    "their figures are pessimistic."]
    return out
