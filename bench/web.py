"""The staff web console with 100,000 stored referrals: server time of the queue page and the case page
(p50/p95/p99 from the console's own `Server-Timing` header, and as the client saw it over loopback),
and the peak RSS of the console process.

    python -m bench.web [--referrals 100000] [--requests 200] [--db bench/out/web.db]

One real referral is made by the real dialog service (an Arabic intake with a voice message and a
photo, `tests/web/story.py`); the others are copies of its person, intake and referral rows with new
ids, references, priorities, statuses, languages, sending municipalities and dates, bulk-inserted.
The console runs as `intake web` in its own process (what is measured is that process), signed in
to as a caseworker with password and TOTP like a browser would.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pyotp
from sqlalchemy import MetaData, Table, func, select

from bench.measure import percentiles
from storage import web as store
from storage.db import make_engine, migrate, transaction
from web import accounts, security

OUT = Path(__file__).parent / "out"
PASSWORD = "ett lösenord för mätningen"
_PRIORITIES = (("urgent", 0), ("high", 1), ("medium", 2), ("low", 3))
_LANGUAGES = ("ar", "ti", "so", "fa_AF", "fa", "uk", "ckb", "kmr", "ps", "am", "ru", "tr", "sv", "en")
_MUNICIPALITIES = ("2161", "0180", "1480", "1280", "2281", "2480", "0380", "1880", "other", "dont_know")


def _seed(url: str, total: int, rng: random.Random) -> str:
    """The story's referral, and copies of it up to `total` referrals; returns the story's reference."""
    from tests.web.story import arabic_intake

    engine = make_engine(url)
    story = arabic_intake(engine, user="77")
    meta = MetaData()
    tables = {name: Table(name, meta, autoload_with=engine) for name in ("person", "intake", "referral")}
    with engine.begin() as conn:
        ref_row = dict(conn.execute(select(tables["referral"]).where(tables["referral"].c.reference == story))
                       .mappings().one())
        person = dict(conn.execute(select(tables["person"]).where(tables["person"].c.id == ref_row["person_id"]))
                      .mappings().one())
        intake = dict(conn.execute(select(tables["intake"]).where(tables["intake"].c.id == ref_row["intake_id"]))
                      .mappings().one())
        have = conn.execute(select(func.count()).select_from(tables["referral"])).scalar_one()
        next_id = {name: conn.execute(select(func.max(t.c.id))).scalar_one() + 1 for name, t in tables.items()}
    now = datetime.now(UTC)
    batch: dict[str, list[dict[str, Any]]] = {"person": [], "intake": [], "referral": []}
    started = time.perf_counter()
    for i in range(have, total):
        pid, iid, rid = next_id["person"] + i, next_id["intake"] + i, next_id["referral"] + i
        at = now - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
        priority, rank = rng.choice(_PRIORITIES)
        status = rng.choices(("new", "in_progress", "closed"), (2, 3, 5))[0]
        batch["person"].append(person | {"id": pid, "external_id": str(1_500_000_000 + i), "chat_id":
                                         str(1_500_000_000 + i), "created_at": at, "updated_at": at})
        batch["intake"].append(intake | {"id": iid, "person_id": pid, "reference": f"SOL-2025-{i:06d}",
                                         "started_at": at, "updated_at": at, "submitted_at": at})
        row = ref_row | {"id": rid, "person_id": pid, "intake_id": iid, "reference": f"SOL-2025-{i:06d}",
                         "priority": priority, "priority_rank": rank, "level": "high" if rank < 2 else priority,
                         "status": status, "language": rng.choice(_LANGUAGES), "created_at": at, "updated_at": at,
                         "caseworker_id": None, "interpreter_id": None,
                         "ivo_due_at": at + timedelta(days=30) if rng.random() < 0.02 else None}
        if "moved_from" in row:
            row["moved_from"] = rng.choice(_MUNICIPALITIES)
        batch["referral"].append(row)
        if len(batch["referral"]) >= 5000 or i == total - 1:
            with engine.begin() as conn:
                for name in ("person", "intake", "referral"):
                    conn.execute(tables[name].insert(), batch[name])
                    batch[name] = []
    print(f"seeded {max(0, total - have)} referrals in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    engine.dispose()
    return story


def _account(url: str) -> tuple[str, str]:
    engine = make_engine(url)
    now = datetime.now(UTC)
    with transaction(engine) as db:
        found = store.account_by_email(db, email="bench@solleftea.se")
        if found is None:
            staff = store.add_web_staff(db, name="Mätning Handläggare", role="caseworker", languages=[], now=now)
            account = accounts.set_email(db, staff=staff, email="bench@solleftea.se", now=now)
        else:
            account = found[0]
        account.password_hash = security.hash_password(PASSWORD)
        account.totp_secret, account.totp_last_step = security.new_totp_secret(), None
        store.save_account(db, account=account)
        secret = account.totp_secret
    engine.dispose()
    return "bench@solleftea.se", secret


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _time(client: httpx.Client, path: str, n: int) -> dict[str, Any]:
    server, wall = [], []
    for _ in range(n):
        t0 = time.perf_counter()
        response = client.get(path)
        wall.append(time.perf_counter() - t0)  # seconds: percentiles() reports milliseconds
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
        server.append(float(response.headers["server-timing"].split("dur=")[1]) / 1000)
    return {"path": path, "requests": n, "server_ms": percentiles(server), "client_ms": percentiles(wall),
            "bytes": len(response.content)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--db", type=Path, default=OUT / "web.db")
    args = parser.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    url = f"sqlite:///{args.db.resolve()}"
    migrate(url)
    story = _seed(url, args.referrals, random.Random(11))
    email, secret = _account(url)
    port = 18_000 + os.getpid() % 1000
    env = {**os.environ, "INTAKE_DATABASE_URL": url, "INTAKE_WEB_PORT": str(port), "INTAKE_LOG_LEVEL": "WARNING"}
    intake = Path(sys.executable).with_name("intake")
    console = subprocess.Popen([str(intake), "web"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30, follow_redirects=False) as client:
            for _ in range(100):
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            login = client.get("/login")
            token = login.cookies.get("intake_login") or client.cookies.get("intake_login")
            signed = client.post("/login", data={"csrf": token, "email": email, "password": PASSWORD,
                                                  "code": pyotp.TOTP(secret).now()})
            assert signed.status_code == 303, signed.text[:500]
            first = client.get("/queue")
            marker = first.text.split("after=")[1].split('"')[0] if "after=" in first.text else ""
            middle = f"SOL-2025-{args.referrals // 2:06d}"
            paths = ["/queue", "/queue?status=all", "/queue?priority=high&language=ar", "/queue?mine=1",
                     "/queue?municipality=Ljusdal", f"/queue?ref={middle}",
                     f"/queue?after={marker}" if marker else "/queue", f"/cases/{story}", f"/cases/{middle}"]
            results = [_time(client, path, args.requests) for path in paths]
        rss = _peak_rss_mb(console.pid)
    finally:
        console.terminate()
        console.wait(timeout=20)
    report = {"referrals": args.referrals, "requests_each": args.requests, "peak_rss_mb": round(rss, 1),
              "pages": results, "measured_at": datetime.now(UTC).isoformat()}
    (OUT / "web.json").write_text(json.dumps(report, indent=1))
    print("| page | server p50 ms | server p95 ms | server p99 ms | client p95 ms | KB |")
    print("|---|---|---|---|---|---|")
    for r in results:
        s, c = r["server_ms"], r["client_ms"]
        print(f"| `{r['path'][:60]}` | {s['p50']:.1f} | {s['p95']:.1f} | {s['p99']:.1f} | {c['p95']:.1f} | "
              f"{r['bytes'] / 1024:.0f} |")
    print(f"\npeak RSS of the console process: {rss:.1f} MB")


if __name__ == "__main__":
    main()
