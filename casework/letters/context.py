"""One context dict per letter, built from the case's facts: the text and the Word document both render it.

Why this module exists: the two outputs must say the same thing, so everything a template shows is
computed once here: the facts as Swedish sentences (casework/letters/sentences.py), the dates of the
referral's steps in Swedish (Babel), the one-month deadline of a transfer request, the legal references
in force on the letter's date (casework/law.py, unverified ones visibly marked), and the warnings for
the caseworker. The templates only place these values; nothing here is ``None``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

from babel.dates import format_date

from casework.deadlines import add_one_month
from casework.law import REFERENCES, cite
from casework.letters.facts import CaseEvent, CaseFacts
from casework.letters.sentences import GAP_PREFIX, Answers, gap, join_and, sentence
from casework.letters.wording import municipality_name
from casework.municipalities import by_code

__all__ = ["LAW_CHECK_PREFIX", "build_context", "swedish_date"]

LAW_CHECK_PREFIX: Final = "«[KONTROLLERA LAGHÄNVISNING: "
_TZ: Final = ZoneInfo("Europe/Stockholm")  # the municipality's calendar decides the date of a step
_UNKNOWN_OTHER: Final = "den tidigare kommunen"
_LEVELS: Final = {"high": "hög", "medium": "medel", "low": "låg"}


def swedish_date(day: date) -> str:
    """``1 oktober 2026``."""
    return format_date(day, format="long", locale="sv")


def _local(at: datetime) -> datetime:
    """A step's time on the municipality's clock (a naive time is taken to be local already)."""
    return at.astimezone(_TZ) if at.tzinfo else at.replace(tzinfo=_TZ)


def _day(at: datetime) -> date:
    return _local(at).date()


@dataclass(frozen=True)
class _Steps:
    """The referral's dated steps, the latest of each kind."""

    events: tuple[CaseEvent, ...]

    def last(self, kind: str) -> CaseEvent | None:
        return next((e for e in reversed(self.events) if e.kind == kind), None)

    def day(self, kind: str, since: CaseEvent | None = None) -> date | None:
        """The date of the latest ``kind`` step, if any (and only if not before ``since``)."""
        event = self.last(kind)
        if event is None or (since is not None and _local(event.at) < _local(since.at)):
            return None
        return _day(event.at)


def _lines(*items: str | Iterable[str] | None) -> list[str]:
    """Sentences and lists of sentences, flattened; ``None`` (nothing to say) dropped."""
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif item is not None:
            out.extend(item)
    return out


def _other(facts: CaseFacts) -> tuple[str, str]:
    """The previous municipality: (name in prose, name as an organisation or a gap)."""
    code = facts.answers.get("moved_from")
    found = by_code(code) if isinstance(code, str) else None
    if found is not None:
        return found.name, municipality_name(found.name)
    typed = facts.typed.get("moved_from", "") if code == "other" else ""
    return _UNKNOWN_OTHER, gap("den tidigare kommunens namn", f"personen skrev ”{typed}”" if typed else "")


def _law(on: date) -> dict[str, str]:
    out = {}
    for key in REFERENCES:
        citation = cite(key, on)
        out[key] = citation.text if citation.verified else f"{LAW_CHECK_PREFIX}{citation.text}]»"
    return out


def _common(facts: CaseFacts, a: Answers, steps: _Steps, other_org: str) -> dict[str, Any]:
    submitted = steps.day("submitted")
    withdrawn = steps.day("consent_withdrawn")
    closed = steps.day("closed")
    consented = a.choice("consent_contact") == "yes" and withdrawn is None
    known = "" if other_org.startswith(GAP_PREFIX) else other_org
    arrival = a.moved(swedish_date(submitted) if submitted else None)
    how = _lines(a.establishment(), a.lease(), a.pushed(), a.understood(), a.coordination())
    return {
        "reference": facts.reference,
        "letter_date": swedish_date(facts.letter_date),
        "person": gap("namn och personnummer"),
        "caseworker": facts.caseworker.strip() if facts.caseworker and facts.caseworker.strip() else gap(
            "handläggarens namn"),
        "caseworker_contact": gap("handläggarens telefonnummer och e-postadress"),
        "other_name": a.other,
        "other_org": other_org,
        "other_address": gap("postadress till den tidigare kommunens socialtjänst", known),
        "law": _law(facts.letter_date),
        "interpreter": a.interpreter(facts.language),
        "move_facts": _lines(arrival, a.years_there(), a.household(), a.support(), how),
        "how_facts": _lines(arrival, how),  # the move without the facts of the connection (IVO lists those apart)
        "present_facts": a.housing(),
        "no_coordination": a.no_coordination(),
        "consented": consented,
        "consent": sentence(f"Personen har samtyckt till att Sollefteå kommun kontaktar {known or _UNKNOWN_OTHER} "
                            "i ärendet")
        if consented else gap("personens samtycke till kontakt med den tidigare kommunen"),
        "account_documented": a.account_documented(),
        "wish": a.wish(),
        "wish_reasons": gap("personens skäl till sitt önskemål"),
        "warnings": _lines(
            f"Personen återkallade ett samtycke den {swedish_date(withdrawn)}; kontrollera vad som får lämnas ut."
            if withdrawn else None,
            f"Ärendet avslutades den {swedish_date(closed)}." if closed else None,
        ),
    }


def _connection(a: Answers) -> list[str]:
    return _lines(a.years_there(), a.support(), a.household(),
                  gap("personens övriga anknytning till den tidigare kommunen", "t.ex. nätverk, släkt, arbete, skola"))


def _intervention(a: Answers) -> list[str]:
    types = a.support_types()
    what = (sentence(f"Ärendet gäller {join_and(types)}, som personen hade från socialtjänsten i {a.other} "
                     "före flytten") if types else gap("vilken insats ärendet gäller"))
    return [what,
            "Lagrum för insatsen: " + gap("lagrum för insatsen"),
            "Beslut om insatsen: " + gap("beslutsdatum och beslutande nämnd för insatsen"),
            "Hjälpbehovets varaktighet: " + gap("insatsens varaktighet",
                                                "hur länge beslutet gäller och behovet kvarstår")]


def _official(facts: CaseFacts, a: Answers, steps: _Steps, ctx: dict[str, Any]) -> dict[str, Any]:
    contacted = steps.day("municipality_contacted")
    likely = bool(facts.assessment.get("likely_dumping"))
    level = _LEVELS.get(str(facts.assessment.get("level")), "okänd")
    return {
        "contacted": f"Socialtjänsten i Sollefteå kontaktade er i ärendet den {swedish_date(contacted)}."
        if contacted else "",
        "reply_by": gap("sista dag för ert svar"),
        "warnings": ctx["warnings"] + _lines(
            None if likely else
            f"Bedömningen (nivå {level}) visar inte sannolik social dumpning; överväg om skrivelsen ska skickas.",
            None if ctx["consented"] else
            "Personen har inte samtyckt till kontakt med den tidigare kommunen: skrivelsen får inte innehålla "
            "uppgifter som kan identifiera personen, och någon motivering får inte begäras."),
    }


def _transfer(facts: CaseFacts, a: Answers, steps: _Steps, ctx: dict[str, Any]) -> dict[str, Any]:
    sent = steps.day("letter_sent")
    recommended = "transfer_request" in (facts.assessment.get("actions") or ())
    answer_by = add_one_month(datetime.combine(facts.letter_date, datetime.min.time())).date()
    return {
        "connection": _connection(a),
        "intervention": _intervention(a),
        "answer_by": swedish_date(answer_by),
        "letter_sent": f"Vi hänvisar också till Sollefteå kommuns skrivelse till er den {swedish_date(sent)}."
        if sent else "",
        "warnings": ctx["warnings"] + ([] if recommended else [
            "Bedömningen rekommenderar inte begäran om överflyttning: den förutsätter form 1, en vårdinsats "
            "och att personen vill återvända."]),
    }


def _ivo(facts: CaseFacts, a: Answers, steps: _Steps, ctx: dict[str, Any]) -> dict[str, Any]:
    other, law = ctx["other_org"], ctx["law"]
    request_step = steps.last("transfer_requested")
    requested = steps.day("transfer_requested")
    # an answer to an earlier request does not answer the latest one
    refused, accepted = steps.day("transfer_refused", request_step), steps.day("transfer_accepted", request_step)
    applied = steps.day("ivo_applied", request_step)
    warnings: list[str] = list(ctx["warnings"])
    attachments: list[str] = []
    if requested is None:
        warnings.append("Ingen begäran om överflyttning är registrerad i ärendet; en ansökan till IVO förutsätter "
                        "en skriftlig begäran till den andra kommunen.")
        request_date = gap("datum för begäran om överflyttning")
        request = [f"Sollefteå kommun har skriftligen begärt att {other} ska ta över ärendet enligt "
                   f"{law['transfer_request']}. Begäran är daterad {request_date}."]
        deadline = None
    else:
        request_date = swedish_date(requested)
        deadline = add_one_month(datetime.combine(requested, datetime.min.time())).date()
        passed = facts.letter_date >= deadline
        request = [f"Sollefteå kommun begärde skriftligen den {request_date} att {other} skulle ta över ärendet "
                   f"enligt {law['transfer_request']} (bilaga 1).",
                   f"Svarsfristen på en månad {'löpte ut' if passed else 'löper ut'} den {swedish_date(deadline)}."]
    attachments.append(f"Begäran om överflyttning till {other}, daterad {request_date}")
    if refused is not None:
        event = steps.last("transfer_refused")
        data = event.data if event and event.data else {}
        said = data.get("text") or data.get("reason")
        content = f"Av svaret framgår: ”{' '.join(said.split())}”" if isinstance(said, str) and said.strip() else gap(
            "innehållet i den andra kommunens svar")
        request.append(f"{other} avslog begäran den {swedish_date(refused)} (bilaga 2). {content}")
        attachments.append(f"Svar från {other}, daterat {swedish_date(refused)}")
    elif accepted is not None:
        warnings.append(f"{other} godtog begäran den {swedish_date(accepted)}; en ansökan till IVO behövs då inte.")
    elif deadline is not None and facts.letter_date >= deadline:
        request.append(f"{other} har inte svarat skriftligt inom en månad; det finns därför inget svar att bifoga.")
    else:
        request.append(f"Svar från {other}: " + gap("den andra kommunens svar eller att svarsfristen har löpt ut"))
        if deadline is not None:
            warnings.append(f"Svarsfristen löper ut den {swedish_date(deadline)}; ansökan kan göras först om begäran "
                            "avslås eller inte besvaras inom en månad.")
    if applied is not None:
        warnings.append(f"En ansökan till IVO registrerades redan den {swedish_date(applied)}.")
    attachments.append("Beslut att ansöka om överflyttning, fattat av behörig nämnd eller delegat: "
                       + gap("datum och beslutsfattare för beslutet att ansöka hos IVO"))
    quotes = a.account_quotes() if ctx["consented"] else []
    return {
        "request": request,
        "connection": _connection(a),
        "guardian": a.guardian(),
        "intervention": _intervention(a),
        "children": ["Barnens inställning till överflyttningen: " + gap(
            "barnens inställning till överflyttningen", "barn under 15 år ska ges möjlighet att framföra sin åsikt")]
        if a.has_children() else [],
        "account_quotes": quotes,
        "account_translation": gap("översättning av personens berättelse till svenska")
        if quotes and facts.language != "sv" else "",
        "attachments": attachments,
        "warnings": warnings,
    }


_BUILDERS: Final[dict[str, Callable[[CaseFacts, Answers, _Steps, dict[str, Any]], dict[str, Any]]]] = {
    "official": _official, "transfer": _transfer, "ivo": _ivo,
}


def build_context(kind: str, facts: CaseFacts) -> dict[str, Any]:
    """Everything the ``kind`` templates show, for this case (``kind`` is one of ``KINDS``)."""
    other_name, other_org = _other(facts)
    answers = Answers(facts.answers, other_name)
    steps = _Steps(tuple(sorted(facts.events, key=lambda e: _local(e.at))))
    context = _common(facts, answers, steps, other_org)
    context.update(_BUILDERS[kind](facts, answers, steps, context))
    return context
