"""Stored intakes, fast: copies of real intakes, bulk-inserted into the real tables.

Realistic sizes come for free: while the people's scripts are calibrated (bench.ours calibrate), the
rows each persona's intake leaves in the database are captured, together with a snapshot of the
intake after every step (`Template`). Seeding copies them with new ids, new Telegram ids, new case
numbers and shifted times: a finished intake with everything it leaves (person, intake, answer
history, consents, transcript, the sent outbox, referral and its event), or an unfinished one as it
stood after a random step. The last three days of processed update ids go into the inbox, as the
bot keeps them.

Inserts go through SQLAlchemy Core connections without the ORM: `executemany` on SQLite, `COPY` on
PostgreSQL (its bulk insert; row-by-row executemany would take minutes at 100,000 intakes). Values
are encoded once per template, so a copy only fills in its ids and times. Tables are reflected from
the migrated database, so columns added by later migrations are filled from the template too.
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Boolean, Connection, DateTime, Engine, MetaData, Table, func, select, text

from bot.telegram.housekeeping import tidy
from storage.db import make_engine

__all__ = ["Capture", "Template", "load_templates", "save_templates", "seed"]

# Parents before children; each row's references are remapped to the copies' ids.
TABLES = ("person", "intake", "answer_record", "consent", "transcript_entry", "outbox_message", "referral",
          "referral_event")
# column -> the table whose new id it must point to
_REFERENCES: dict[str, dict[str, str]] = {
    "intake": {"person_id": "person", "live_outbox_id": "outbox_message"},
    "answer_record": {"intake_id": "intake"},
    "consent": {"person_id": "person"},
    "transcript_entry": {"person_id": "person"},
    "outbox_message": {"target_outbox_id": "outbox_message"},
    "referral": {"person_id": "person", "intake_id": "intake"},
    "referral_event": {"referral_id": "referral"},
}
_SEED_USER_BASE = 1_000_000_000  # seeded Telegram ids: 1e9 + person id (the live people use 2e9 and up)
_FINISHED_SHARE = 0.7  # the rest stopped somewhere in the middle
_BATCH_INTAKES = 2_000


@dataclass
class Template:
    """One real intake: its rows per table (id order) and, per step, the intake row and the last ids."""

    persona: str
    rows: dict[str, list[dict[str, Any]]]
    steps: list[dict[str, Any]] = field(default_factory=list)  # {"intake": row, "max": {table: id}}


def _reflect(engine: Engine, names: Iterable[str]) -> dict[str, Table]:
    meta = MetaData()
    meta.reflect(bind=engine, only=list(names))
    return dict(meta.tables)


class Capture:
    """Reads a calibration database: the intake of one Telegram user, per step and in full."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.t = engine, _reflect(engine, (*TABLES, "inbox_update"))

    def _rows(self, conn: Connection, external_id: str) -> dict[str, list[dict[str, Any]]]:
        t = self.t
        person = conn.execute(select(t["person"]).where(t["person"].c.external_id == external_id)).mappings().first()
        if person is None:
            return {"person": [], "intake": []}
        pid = person["id"]
        rows: dict[str, list[dict[str, Any]]] = {"person": [dict(person)]}
        rows["intake"] = [dict(r) for r in conn.execute(select(t["intake"]).where(t["intake"].c.person_id == pid))
                          .mappings()]
        intake_ids = [r["id"] for r in rows["intake"]]
        rows["answer_record"] = [dict(r) for r in conn.execute(
            select(t["answer_record"]).where(t["answer_record"].c.intake_id.in_(intake_ids))
            .order_by(t["answer_record"].c.id)).mappings()]
        for name in ("consent", "transcript_entry", "referral"):
            rows[name] = [dict(r) for r in conn.execute(
                select(t[name]).where(t[name].c.person_id == pid).order_by(t[name].c.id)).mappings()]
        referral_ids = [r["id"] for r in rows["referral"]]
        rows["referral_event"] = [dict(r) for r in conn.execute(
            select(t["referral_event"]).where(t["referral_event"].c.referral_id.in_(referral_ids))
            .order_by(t["referral_event"].c.id)).mappings()]
        return rows

    def last_ids(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {name: int(conn.execute(select(func.max(self.t[name].c.id))).scalar() or 0) for name in TABLES}

    def idle(self) -> bool:
        """Nothing left to process or to send: a step's replies are all out."""
        inbox, outbox = self.t["inbox_update"], self.t["outbox_message"]
        with self.engine.connect() as conn:
            waiting = conn.execute(select(func.count()).select_from(inbox).where(inbox.c.processed_at.is_(None)))
            sending = conn.execute(select(func.count()).select_from(outbox).where(outbox.c.status == "pending"))
            return not waiting.scalar_one() and not sending.scalar_one()

    def step(self, external_id: str) -> dict[str, Any]:
        """The intake now, and the last id of each table (people calibrate one at a time)."""
        with self.engine.connect() as conn:
            intakes = self._rows(conn, external_id)["intake"]
        return {"intake": intakes[0] if intakes else None, "max": self.last_ids()}

    def template(self, persona: str, external_id: str, steps: list[dict[str, Any]], outbox_after: int) -> Template:
        """Every row the intake left; the outbox rows (which lose their chat once sent) by id range."""
        outbox = self.t["outbox_message"]
        last = steps[-1]["max"]["outbox_message"]
        with self.engine.connect() as conn:
            rows = self._rows(conn, external_id)
            rows["outbox_message"] = [dict(r) for r in conn.execute(
                select(outbox).where(outbox.c.id > outbox_after, outbox.c.id <= last).order_by(outbox.c.id))
                .mappings()]
        return Template(persona, rows, steps)


def save_templates(path: Path, templates: list[Template]) -> None:
    path.write_bytes(pickle.dumps(templates))


def load_templates(path: Path) -> list[Template]:
    return pickle.loads(path.read_bytes())  # our own file, written by bench.ours calibrate


# ------------------------------------------------------------------------------------------ encoding
class _Encoder:
    """Python values -> what the driver takes: text for JSON, and per database for times and booleans."""

    def __init__(self, dialect: str) -> None:
        self.sqlite = dialect == "sqlite"

    def encode(self, column: Any, value: Any) -> Any:
        if isinstance(column.type, JSON):
            return json.dumps(value)  # None -> 'null', as SQLAlchemy's JSON type writes it
        if value is None:
            return None
        if isinstance(column.type, Boolean):
            return int(value) if self.sqlite else bool(value)
        if isinstance(value, datetime):
            return self.time(value)
        return value

    def time(self, value: datetime) -> Any:
        return self.shifted(self.normal(value), timedelta())

    def normal(self, value: datetime) -> datetime:
        """A time as the copies shift it: naive UTC for SQLite, aware for PostgreSQL."""
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).replace(tzinfo=None) if self.sqlite else aware

    def shifted(self, normal: datetime, shift: timedelta) -> Any:
        if self.sqlite:  # SQLAlchemy's SQLite DateTime storage format
            return (normal + shift).isoformat(" ", "microseconds")
        return normal + shift


@dataclass
class _Recipe:
    """One template row, encoded: constant values, and how to fill the rest for each copy."""

    table: str
    own: str | None  # "table:old id", the key of this row's new id
    values: list[Any]
    ids: list[tuple[int, str]]  # (position, "table:old id" of the row whose new id goes there)
    times: list[tuple[int, datetime]]
    chat: list[int]  # positions of Telegram ids (person.external_id, chat ids)
    reference: int | None  # position of a case number
    reminders: int | None = None  # position of intake.reminders_sent


class _Writer:
    """Buffers encoded rows per table and writes them in bulk."""

    def __init__(self, conn: Connection, tables: dict[str, Table], columns: dict[str, list[str]]) -> None:
        self.conn, self.tables, self.columns = conn, tables, columns
        self.buffers: dict[str, list[tuple[Any, ...]]] = {name: [] for name in columns}
        self.rows = 0

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        self.buffers[table].append(row)

    def flush(self) -> None:
        for name, rows in self.buffers.items():
            if not rows:
                continue
            cols = self.columns[name]
            if self.conn.dialect.name == "postgresql":
                raw = self.conn.connection.driver_connection
                with raw.cursor() as cur, cur.copy(f'COPY "{name}" ({", ".join(cols)}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" for _ in cols)
                self.conn.exec_driver_sql(f'INSERT INTO "{name}" ({", ".join(cols)}) VALUES ({marks})', rows)
            self.rows += len(rows)
            rows.clear()


def _recipes(template_rows: dict[str, list[dict[str, Any]]], tables: dict[str, Table],
             columns: dict[str, list[str]], enc: _Encoder) -> list[_Recipe]:
    out = []
    for name in TABLES:
        refs = _REFERENCES.get(name, {})
        for row in template_rows.get(name, ()):
            values: list[Any] = []
            recipe = _Recipe(name, f"{name}:{row['id']}", values, [], [], [], None)
            for pos, col in enumerate(columns[name]):
                value = row.get(col)
                column = tables[name].c[col]
                values.append(enc.encode(column, value))
                if col == "id":
                    recipe.ids.append((pos, f"{name}:{value}"))
                elif col in refs and value is not None:
                    recipe.ids.append((pos, f"{refs[col]}:{value}"))
                elif isinstance(value, datetime) and isinstance(column.type, DateTime):
                    recipe.times.append((pos, enc.normal(value)))
                elif (name == "person" and col in ("external_id", "chat_id")) or (
                        name == "outbox_message" and col == "chat_id" and value is not None):
                    recipe.chat.append(pos)
                elif col == "reference" and value is not None:
                    recipe.reference = pos
                elif name == "intake" and col == "reminders_sent":
                    recipe.reminders = pos
            out.append(recipe)
    return out


def _variants(templates: list[Template], tables: dict[str, Table], columns: dict[str, list[str]],
              enc: _Encoder) -> tuple[list[tuple[list[_Recipe], datetime]], list[tuple[list[_Recipe], datetime]]]:
    """Finished intakes (one per persona), and unfinished ones (one per persona and step)."""
    finished, unfinished = [], []
    for t in templates:
        start = t.rows["person"][0]["created_at"]
        finished.append((_recipes(t.rows, tables, columns, enc), start))
        for snap in t.steps[:-1]:
            if snap["intake"] is None:
                continue
            last = snap["max"]
            part = {name: [r for r in rows if r["id"] <= last[name]] for name, rows in t.rows.items()}
            part["intake"] = [snap["intake"]]
            part["referral"], part["referral_event"] = [], []
            unfinished.append((_recipes(part, tables, columns, enc), start))
    return finished, unfinished


# ------------------------------------------------------------------------------------------ seeding
def seed(url: str, *, intakes: int, templates: list[Template], rng_seed: int = 8,
         progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Add copies until the database holds `intakes` intakes; returns what was added and how fast."""
    started = time.perf_counter()
    engine = make_engine(url)
    dialect = engine.dialect.name
    tables = _reflect(engine, (*TABLES, "inbox_update", "reference_counter"))
    known = {name: {k for t in templates for r in t.rows.get(name, ()) for k in r} for name in TABLES}
    columns = {name: [c.name for c in tables[name].columns if not known[name] or c.name in known[name]]
               for name in TABLES}
    columns["inbox_update"] = ["update_id", "chat_id", "payload", "received_at", "processed_at", "attempts"]
    enc = _Encoder(dialect)
    finished, unfinished = _variants(templates, tables, columns, enc)
    rng = random.Random(rng_seed)
    now = datetime.now(UTC)
    with engine.connect() as conn:  # committed per batch: a bounded WAL, and progress that stays
        have = int(conn.execute(select(func.count()).select_from(tables["intake"])).scalar_one())
        to_add = max(0, intakes - have)
        next_id = {name: int(conn.execute(select(func.max(tables[name].c.id))).scalar() or 0) + 1 for name in TABLES}
        next_update = int(conn.execute(select(func.max(tables["inbox_update"].c.update_id))).scalar() or 0) + 1
        counters = {int(y): int(n) for y, n in conn.execute(text("SELECT year, last FROM reference_counter"))}
        writer = _Writer(conn, tables, columns)
        for i in range(to_add):
            done = rng.random() < _FINISHED_SHARE
            recipes, start = rng.choice(finished if done else unfinished)
            age = timedelta(days=rng.uniform(1, 3 * 365) if done else rng.uniform(0, 29), seconds=rng.uniform(0, 86400))
            shift = (now - age) - (start if start.tzinfo else start.replace(tzinfo=UTC))
            year = (now - age).year
            _copy(writer, recipes, next_id, shift, enc, counters, year, age)
            if (i + 1) % _BATCH_INTAKES == 0:
                writer.flush()
                conn.commit()
                if progress:
                    progress(f"{i + 1}/{to_add} intakes, {writer.rows} rows")
        # The inbox keeps three days of processed update ids (~33 per intake; a steady 3-year history).
        recent = int((have + to_add) / (3 * 365) * 3 * 33) if to_add else 0
        for u in range(recent):
            at = enc.time(now - timedelta(seconds=rng.uniform(0, 3 * 86400)))
            writer.add("inbox_update", (next_update + u, None, json.dumps(None), at, at, 0))
        writer.flush()
        for year, last in counters.items():
            conn.execute(text("DELETE FROM reference_counter WHERE year = :y"), {"y": year})
            conn.execute(text("INSERT INTO reference_counter (year, last) VALUES (:y, :n)"), {"y": year, "n": last})
        if dialect == "postgresql":
            for name in TABLES:
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                  f"(SELECT COALESCE(MAX(id), 1) FROM \"{name}\"))"))
        conn.commit()
    seconds = time.perf_counter() - started
    # The copies' sent outbox rows and processed inbox ids are days old: a bot that had been running would
    # have deleted them in its hourly housekeeping. Do it here, so that the first scenario measured on
    # this database does not pay for a backlog no running database has.
    tidied = tidy(engine)
    if dialect == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    engine.dispose()
    return {"intakes_before": have, "intakes_added": to_add, "rows": writer.rows, "seconds": round(seconds, 1),
            "rows_per_s": round(writer.rows / seconds) if seconds else None, "tidied": tidied,
            "tidy_seconds": round(time.perf_counter() - started - seconds, 1)}


def _copy(writer: _Writer, recipes: list[_Recipe], next_id: dict[str, int], shift: timedelta, enc: _Encoder,
          counters: dict[int, int], year: int, age: timedelta) -> None:
    """Write one copy of an intake: fresh ids, references to them, times shifted, a new case number,
    and the reminders an intake silent this long has had (as the reminder job would have left it)."""
    reminders = 2 if age >= timedelta(days=7) else 1 if age >= timedelta(days=1) else 0
    new_ids: dict[str, int] = {}
    person_id = next_id["person"]
    shifted = enc.shifted
    for recipe in recipes:  # ids first: rows may point at later rows (intake -> its live outbox message)
        if recipe.own is not None:
            new_ids[recipe.own] = next_id[recipe.table]
            next_id[recipe.table] += 1
    telegram_id = str(_SEED_USER_BASE + person_id)
    reference = None
    for recipe in recipes:
        row = list(recipe.values)
        for pos, key in recipe.ids:
            row[pos] = new_ids.get(key)
        for pos, value in recipe.times:
            row[pos] = shifted(value, shift)
        for pos in recipe.chat:
            row[pos] = telegram_id
        if recipe.reminders is not None:
            row[recipe.reminders] = reminders
        if recipe.reference is not None:
            if reference is None:
                counters[year] = counters.get(year, 0) + 1
                reference = f"SOL-{year}-{counters[year]:04d}"
            row[recipe.reference] = reference
        writer.add(recipe.table, tuple(row))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.seed", description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--templates", required=True, type=Path, help="written by `bench.ours calibrate`")
    parser.add_argument("--intakes", required=True, type=int, help="how many intakes the database holds after")
    args = parser.parse_args(argv)
    result = seed(args.url, intakes=args.intakes, templates=load_templates(args.templates),
                  progress=lambda line: print(line, file=sys.stderr, flush=True))
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
