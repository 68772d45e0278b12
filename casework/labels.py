"""The staff side's words, in Swedish: statuses, close reasons, event kinds, languages, and which
recorded steps fulfil each recommended action. Staff always see Swedish (INTAKE_SPEC section 5);
ids stay English in the database and the exports, and every shell shows these names instead.

Input is forgiving the same way: a close reason or a step may be typed as its id or in Swedish
(`återvänt`, `begäran om överflyttning`), case and diacritics aside (`parse_name`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from casework import municipalities
from casework.notices import ACTION_NAMES, LEVEL_NAMES

__all__ = [
    "ACTION_NAMES",
    "CLOCK_NAMES",
    "CLOSE_REASON_NAMES",
    "CONSENT_NAMES",
    "EVENT_NAMES",
    "FULFILLED_BY",
    "LANGUAGE_NAMES",
    "LEVEL_NAMES",
    "MESSAGE_KIND_NAMES",
    "ROLE_NAMES",
    "SHELL_NAMES",
    "STATUS_NAMES",
    "due_day",
    "fold",
    "language_sv",
    "municipality_sv",
    "parse_name",
]

STATUS_NAMES = {"new": "ny", "in_progress": "pågår", "closed": "avslutad"}
ROLE_NAMES = {"caseworker": "handläggare", "interpreter": "tolk", "admin": "administratör"}
SHELL_NAMES = {"telegram": "Telegram", "cli": "kommandoraden", "web": "webbkonsolen"}
CONSENT_NAMES = {
    "consent_store": "gå vidare och lämna sin berättelse här",
    "consent_contact": "kontakt med den tidigare kommunen (policy 2.1)",
    "consent_home_visit": "hembesök (policy 2.3)",
}
CLOCK_NAMES = {"overdue": "FÖRFALLEN", "due_soon": "förfaller snart", "running": "löper"}

CLOSE_REASON_NAMES = {
    "returned": "återvänt till kommunen",
    "stays_with_support": "stannar med stöd",
    "not_dumping": "inte social dumpning",
    "no_contact": "ingen kontakt",
    "withdrawn": "återkallat av personen",
}
_CLOSE_ALIASES = {
    "returned": ("återvänt", "återvände", "flyttat tillbaka"),
    "stays_with_support": ("stannar", "stannar med stöd", "stannar kvar"),
    "not_dumping": ("inte dumpning", "ej dumpning", "inte social dumpning"),
    "no_contact": ("ingen kontakt", "kontakt saknas"),
    "withdrawn": ("återkallat", "återkallad", "tillbakadraget"),
}

# Every kind of event on a case, as the timeline shows it.
EVENT_NAMES = {
    "submitted": "inskickat av personen",
    "claimed": "taget",
    "released": "lämnat tillbaka till kön",
    "reassigned": "överlämnat till annan handläggare",
    "reopened": "återöppnat",
    "municipality_contacted": "kontakt tagen med kommunen",
    "letter_sent": "officiell skrivelse skickad",
    "coordination_checked": "samordning kontrollerad i egna register",
    "decision_recorded": "beslut registrerat",
    "transfer_requested": "begäran om överflyttning skickad",
    "transfer_accepted": "överflyttning accepterad",
    "transfer_refused": "överflyttning nekad",
    "ivo_applied": "ansökan till IVO",
    "home_visit_booked": "hembesök bokat",
    "home_visit_done": "hembesök gjort",
    "housing_offered": "bostad erbjuden",
    "note": "anteckning",
    "struck": "struket",
    "closed": "avslutat",
    "consent_withdrawn": "samtycke återkallat",
    "erasure_requested": "personen begär radering",
    "answer_corrected": "svar rättat",
    "interpreter_assigned": "tolk tilldelad",
    "person_message": "nytt meddelande från personen",
    "reply_sent": "meddelande skickat till personen",
    "reply_waiting": "meddelande till personen väntar på översättning",
    "letter_drafted": "brevutkast skapat",
}

# Which recorded steps carry out a recommended action (rules version 1 and 2). An action no step
# records (asking for a consent is the person's answer) has none: the case view says so.
FULFILLED_BY: Mapping[str, tuple[str, ...]] = {
    "contact_municipality": ("municipality_contacted",),
    "request_justification": ("letter_sent", "municipality_contacted"),
    "check_coordination": ("coordination_checked",),
    "document_account": ("note",),
    "official_letter": ("letter_sent",),
    "transfer_request": ("transfer_requested",),
    "discuss_return": ("note",),
    "ivo_application": ("ivo_applied",),
    "home_visit": ("home_visit_done",),
    "advise_new_housing": ("note",),
    "housing_offer_review": ("housing_offered",),
    "economic_assistance_assessment": ("decision_recorded",),
    "urgent_contact": ("reply_sent", "note"),
    "ask_consent_contact": (),
    "ask_consent_home_visit": (),
}

# The languages of INTAKE_SPEC section 5, by their Swedish names.
LANGUAGE_NAMES = {
    "sv": "svenska", "en": "engelska", "ar": "arabiska", "ti": "tigrinja", "so": "somaliska", "fa_AF": "dari",
    "fa": "persiska", "uk": "ukrainska", "ckb": "kurdiska (sorani)", "kmr": "kurdiska (kurmanji)", "ps": "pashto",
    "am": "amhariska", "ru": "ryska", "tr": "turkiska",
}


def language_sv(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def fold(text: str) -> str:
    """Lower case without diacritics or extra spaces, `_` as a space: what two spellings share."""
    decomposed = unicodedata.normalize("NFKD", text.replace("_", " ").replace("-", " ").strip().lower())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def parse_name(raw: str, names: Mapping[str, str], aliases: Mapping[str, tuple[str, ...]] = {}) -> str | None:
    """The id `raw` stands for: the id itself, its Swedish name, or an alias; None when nothing fits."""
    wanted = fold(raw)
    if not wanted:
        return None
    for key, name in names.items():
        if wanted in (fold(key), fold(name)) or wanted in (fold(a) for a in aliases.get(key, ())):
            return key
    return None


def close_reason(raw: str) -> str | None:
    return parse_name(raw, CLOSE_REASON_NAMES, _CLOSE_ALIASES)


def municipality_sv(code: str | None) -> str:
    """A sending municipality by its Swedish name (kommunkod, `other` or `dont_know` as stored)."""
    if code in (None, "dont_know"):
        return "okänd"
    if code == "other":
        return "annan ort"
    found = municipalities.by_code(code)
    return found.name if found else code


def due_day(due_at: datetime | None) -> date | None:
    """The last day of an IVO clock as staff read it: the clock runs out when that day is over (midnight
    in Stockholm), so the day shown is the one before the moment stored."""
    if due_at is None:
        return None
    return (due_at.astimezone(ZoneInfo("Europe/Stockholm")) - timedelta(microseconds=1)).date()

# What kind of message a transcript line is, in Swedish (a file kind names the file the person sent).
MESSAGE_KIND_NAMES: dict[str, str] = {
    "text": "text", "voice": "röstmeddelande", "audio": "ljudfil", "photo": "foto", "document": "dokument",
    "video": "video", "video_note": "videomeddelande", "press": "knapp", "command": "kommando",
    "message": "meddelande", "reminder": "påminnelse", "reply": "meddelande från handläggare",
    "sticker": "klistermärke",
}
