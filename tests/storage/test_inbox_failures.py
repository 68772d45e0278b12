"""An update the database will not take (PostgreSQL's json refuses NaN, which Python's JSON reader lets
through) does not stop the batch around it: each update is stored on its own, and the one that cannot be
is kept as its id alone, marked failed, so it is acknowledged and polling goes on (issue 15, point 2)."""

from __future__ import annotations

from sqlalchemy import Engine, text

from bot.settings import Settings
from bot.telegram.inbox import Inbox
from bot.telegram.services import Services
from dialogs.events import Config


def test_an_update_the_database_refuses_is_kept_as_failed_and_the_rest_is_stored(engine: Engine,
                                                                                 database_url: str) -> None:
    inbox = Inbox(Services(Settings(database_url=database_url), engine, Config(), None))  # type: ignore[arg-type]
    good = {"update_id": 701, "message": {"message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"},
                                          "text": "hej"}}
    odd = {"update_id": 702, "message": {"message_id": 2, "date": 0, "chat": {"id": 5, "type": "private"},
                                         "text": "x", "weight": float("nan")}}
    inbox.store([good, odd])
    with engine.connect() as conn:
        rows = {r.update_id: r for r in conn.execute(text(
            "SELECT update_id, chat_id, processed_at, failed_at, attempts FROM inbox_update"))}
    assert set(rows) == {701, 702}, "both are stored, so both can be acknowledged"
    assert rows[701].chat_id == "5" and rows[701].processed_at is None
    if database_url.startswith("postgresql"):
        assert rows[702].failed_at is not None and rows[702].attempts == 1
    assert inbox.pending()[0][0] == 701
