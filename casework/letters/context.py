"""One context dict per letter, built from the case's facts: the text and the Word document both render it.

Why this module exists: the two outputs must say the same thing, so everything a template shows is
computed once here, following INTAKE_SPEC section 4's last paragraphs: the transfer request and the
IVO application describe Sollefteå's own open case (the decision the caseworker recorded; without
one, the first gap and a warning), the connection to the other municipality, the answer deadline
counted from when the request was received, and for IVO the content of IVO's own form with the
attachments, the child and partner gaps and the person's account verbatim. The official letter
identifies the person only with their consent, says "no coordination" only after the check found
none, and is signed by a role with mandate. Nothing here is ``None``; every unknown is a gap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Final

from casework.law import REFERENCES, cite
from casework.letters.facts import CaseFacts
from casework.letters.record import Decision, Steps, swedish_date
from casework.letters.sentences import GAP_PREFIX, Answers, gap, sentence
from casework.letters.wording import municipality_name
from casework.municipalities import by_code

__all__ = ["LAW_CHECK_PREFIX", "build_context", "swedish_date"]

LAW_CHECK_PREFIX: Final = "«[KONTROLLERA LAGHÄNVISNING: "
_UNKNOWN_OTHER: Final = "den tidigare kommunen"
_LEVELS: Final = {"high": "hög", "medium": "medel", "low": "låg"}
_NO_DECISION: Final = (
    "Inget beslut av Sollefteå kommun är registrerat i ärendet, så det finns ännu inget ärende med en insats att "
    "flytta över. Registrera beslutet (steget decision_recorded: datum, insats, lagrum, beviljad tid) först."
)
_TELL_FIRST: Final = (
    "Berätta för personen, på hens språk, att {what} skickas och vad den innehåller innan den skickas "
    "(det lovar integritetsmeddelandet)."
)


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


def _law(facts: CaseFacts) -> dict[str, str]:
    out = {}
    for key in REFERENCES:
        citation = cite(key, facts.letter_date)
        out[key] = citation.text if citation.verified else f"{LAW_CHECK_PREFIX}{citation.text}]»"
    return out


def _decision(decision: Decision | None, committee: str) -> dict[str, Any]:
    """Sollefteå's decision as the case line, the lines of the intervention section and the duration."""
    if decision is None:
        first = gap("Sollefteå kommuns beslut i ärendet", "datum, insats, lagrum och beviljad tid")
        return {"case_line": first, "has_decision": False, "intervention": [
            "Insats: " + gap("insatsen som Sollefteå kommun har beviljat"),
            "Lagrum: " + gap("lagrum för Sollefteå kommuns beslut"),
            "Hjälpbehovets varaktighet: " + gap("insatsens varaktighet", "hur länge beslutet gäller")],
            "duration": gap("insatsens varaktighet", "hur länge beslutet gäller"), "subject": "sitt ärende"}
    what = decision.intervention or gap("insatsen som Sollefteå kommun har beviljat")
    basis = decision.legal_basis or gap("lagrum för Sollefteå kommuns beslut")
    on = swedish_date(decision.decided_on) if decision.decided_on else gap("datum för Sollefteå kommuns beslut")
    period = decision.period() or gap("insatsens varaktighet", "beviljad tid enligt beslutet")
    return {
        "case_line": f"{what}, beslutad av {committee} den {on} enligt {basis}",
        "has_decision": True,
        "intervention": _lines(
            sentence(f"{committee} beslutade den {on} om {what} enligt {basis}"),
            sentence(f"Insatsen är beviljad {period}") if decision.period() else "Beviljad tid: " + period,
            sentence(f"Av beslutet framgår också: ”{decision.text}”") if decision.text else None),
        "duration": sentence(f"Insatsen är beviljad {period}") if decision.period() else period,
        "subject": f"sitt ärende om {what}",
    }


def _common(facts: CaseFacts, a: Answers, steps: Steps, other_org: str) -> dict[str, Any]:
    submitted = steps.day("submitted")
    withdrawn = steps.day("consent_withdrawn")
    closed = steps.day("closed")
    consented = a.choice("consent_contact") == "yes" and withdrawn is None
    known = "" if other_org.startswith(GAP_PREFIX) else other_org
    committee = facts.committee.strip() or gap("ansvarig nämnd i Sollefteå kommun")
    arrival = a.moved(swedish_date(submitted) if submitted else None)
    how = _lines(a.establishment(), a.lease(), a.pushed(), a.understood(), a.coordination())
    return {
        "reference": facts.reference,
        "letter_date": swedish_date(facts.letter_date),
        "person": gap("namn och personnummer"),
        "caseworker": facts.caseworker.strip() if facts.caseworker and facts.caseworker.strip() else gap(
            "handläggarens namn"),
        "caseworker_contact": gap("handläggarens telefonnummer och e-postadress"),
        "committee": committee,
        "other_name": a.other,
        "other_org": other_org,
        "other_address": gap("postadress till den tidigare kommunens socialtjänst", known),
        "law": _law(facts),
        "interpreter": a.interpreter(facts.language),
        "background": _lines(a.support(), arrival, how),  # the former municipality's help: background only
        "present_facts": a.housing(),
        "consented": consented,
        "account_documented": a.account_documented(),
        "wish": a.wish(),
        "wish_reasons": gap("personens skäl till sitt önskemål"),
        "connection": a.connection(),
        "submitted": submitted,
        "warnings": _lines(
            f"Personen återkallade ett samtycke den {swedish_date(withdrawn)}; kontrollera vad som får lämnas ut."
            if withdrawn else None,
            f"Ärendet avslutades den {swedish_date(closed)}." if closed else None,
        ),
    }


def _official(facts: CaseFacts, a: Answers, steps: Steps, ctx: dict[str, Any]) -> dict[str, Any]:
    contacted = steps.day("municipality_contacted")
    likely = bool(facts.assessment.get("likely_dumping"))
    level = _LEVELS.get(str(facts.assessment.get("level")), "okänd")
    checked = steps.coordination()
    no_coordination = checked is not None and checked[0] == "no_contact_found"
    warnings = list(ctx["warnings"])
    if not likely:
        warnings.append(f"Bedömningen (nivå {level}) visar inte sannolik social dumpning; överväg om skrivelsen ska "
                        "skickas.")
    if not ctx["consented"]:
        warnings.append("Personen har inte samtyckt till kontakt med den tidigare kommunen: skrivelsen innehåller "
                        "inga uppgifter som kan identifiera personen, och någon motivering för just hens flytt får "
                        "inte begäras.")
    if checked is None:
        warnings.append("Samverkan före flytten är inte kontrollerad i Sollefteås egna register (steget "
                        "coordination_checked saknas), så skrivelsen säger inget om samverkan.")
    elif not no_coordination:
        warnings.append(f"Kontrollen den {swedish_date(checked[1])} fann kontakt från den tidigare kommunen före "
                        "flytten: skrivelsen säger därför inte att samverkan saknades.")
    move = _lines(a.moved(swedish_date(ctx["submitted"]) if ctx["submitted"] else None), a.establishment(),
                  a.lease(), a.pushed(), a.understood())
    return {
        # "utan samverkan" only once Sollefteå's own records were checked and showed none
        "title": "Officiell skrivelse om flytt till Sollefteå kommun" + (" utan samverkan" if no_coordination else ""),
        "move_facts": move,  # only with consent: the move, not the person's present life or household
        "no_coordination": sentence(
            f"Sollefteå kommuns socialtjänst har den {swedish_date(checked[1])} gått igenom sina egna register och "
            f"inte funnit någon kontakt från er om {'personen' if ctx['consented'] else 'flytten'} före flytten, "
            "alltså ingen samverkan mellan våra socialtjänster") if checked and no_coordination else "",
        "contacted": f"Socialtjänsten i Sollefteå kontaktade er i ärendet den {swedish_date(contacted)}."
        if contacted else "",
        "reply_by": gap("sista dag för ert svar"),
        "signatory_name": gap("namn på den som undertecknar"),
        "signatory_role": facts.signatory_role.strip() or gap(
            "befattning för den som undertecknar", "behörig enligt delegationsordningen"),
        "addressee": "Socialnämnden, eller den nämnd som ansvarar för socialtjänsten",
        "warnings": warnings,
    }


def _answer(request: Any) -> list[str]:
    """The answer the transfer request asks for, with the deadline counted from its receipt."""
    if request is not None and request[2] is not None:
        return [f"Ni tog emot begäran den {swedish_date(request[2])}. Om Sollefteå kommun inte har fått ert svar "
                f"inom en månad från dess, det vill säga senast den {swedish_date(request[3])}, kan Sollefteå kommun "
                "ansöka om överflyttning hos Inspektionen för vård och omsorg (IVO)"]
    return ["Om Sollefteå kommun inte har fått ert svar inom en månad från den dag ni tog emot begäran, kan "
            "Sollefteå kommun ansöka om överflyttning hos Inspektionen för vård och omsorg (IVO)"]


def _transfer(facts: CaseFacts, a: Answers, steps: Steps, ctx: dict[str, Any]) -> dict[str, Any]:
    decision = _decision(steps.decision(), ctx["committee"])
    actions = facts.assessment.get("actions") or ()
    warnings = list(ctx["warnings"])
    if not decision["has_decision"]:
        warnings.append(_NO_DECISION)
    if "discuss_return" in actions:
        warnings.append("Personen har inte bestämt sig om en återflytt: samtala med personen först, återföringen "
                        "ska ske i samverkan med den enskilde (policy 2.2).")
    elif "transfer_request" not in actions:
        warnings.append("Bedömningen rekommenderar inte begäran om överflyttning: den förutsätter misstanke om "
                        "social dumpning, en form, en vårdinsats och att personen vill återvända.")
    warnings.append(_TELL_FIRST.format(what="begäran"))
    sent = steps.day("letter_sent")
    return {
        **decision,
        "answer": [sentence(line) for line in _answer(steps.request())],
        "letter_sent": f"Vi hänvisar också till Sollefteå kommuns skrivelse till er den {swedish_date(sent)}."
        if sent else "",
        "warnings": warnings,
    }


def _ivo_request(facts: CaseFacts, steps: Steps, ctx: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    """The request and its answer: (lines, attachments after the decision to apply, warnings)."""
    other, law = ctx["other_org"], ctx["law"]
    request = steps.request()
    warnings: list[str] = []
    if request is None:
        warnings.append("Ingen begäran om överflyttning är registrerad i ärendet; en ansökan till IVO förutsätter "
                        "en skriftlig begäran till den andra kommunen.")
        request_date = gap("datum för begäran om överflyttning")
        return ([f"Sollefteå kommun har skriftligen begärt att {other} ska ta över ärendet enligt "
                 f"{law['transfer_request']}. Begäran är daterad {request_date}."],
                [f"Begäran om överflyttning till {other}, daterad {request_date}"], warnings)
    event, sent, received, deadline = request
    request_date = swedish_date(sent)
    passed = facts.letter_date > deadline
    got = (f"{other} tog emot begäran den {swedish_date(received)}" if received else
           gap("när den andra kommunen tog emot begäran", f"begäran skickades den {request_date}"))
    lines = [f"Sollefteå kommun begärde skriftligen den {request_date} att {other} skulle ta över ärendet "
             f"enligt {law['transfer_request']} (bilaga 2).",
             sentence(got),
             f"Svarsfristen på en månad från mottagandet {'löpte ut' if passed else 'löper ut'} den "
             f"{swedish_date(deadline)}."]
    attachments = [f"Begäran om överflyttning till {other}, daterad {request_date}"]
    refused, accepted = steps.day("transfer_refused", event), steps.day("transfer_accepted", event)
    if refused is not None:
        said = (steps.last("transfer_refused").data or {}).get("text")  # type: ignore[union-attr]
        content = f"Av svaret framgår: ”{' '.join(said.split())}”" if isinstance(said, str) and said.strip() else gap(
            "innehållet i den andra kommunens svar")
        lines.append(f"{other} avslog begäran den {swedish_date(refused)} (bilaga 3). {content}")
        attachments.append(f"Svar från {other}, daterat {swedish_date(refused)}")
    elif accepted is not None:
        warnings.append(f"{other} godtog begäran den {swedish_date(accepted)}; en ansökan till IVO behövs då inte.")
    elif passed:
        lines.append(f"{other} har inte svarat skriftligt inom en månad; det finns därför inget svar att bifoga.")
    else:
        lines.append(f"Svar från {other}: " + gap("den andra kommunens svar eller att svarsfristen har löpt ut"))
        warnings.append(f"Svarsfristen löper ut den {swedish_date(deadline)}; ansökan kan göras först om begäran "
                        "avslås eller inte besvaras inom en månad från mottagandet.")
    applied = steps.day("ivo_applied", event)
    if applied is not None:
        warnings.append(f"En ansökan till IVO registrerades redan den {swedish_date(applied)}.")
    return lines, attachments, warnings


def _ivo(facts: CaseFacts, a: Answers, steps: Steps, ctx: dict[str, Any]) -> dict[str, Any]:
    decision = _decision(steps.decision(), ctx["committee"])
    request, attachments, request_warnings = _ivo_request(facts, steps, ctx)
    warnings = [*ctx["warnings"], *([] if decision["has_decision"] else [_NO_DECISION]), *request_warnings]
    account = a.account(ctx["submitted"], swedish_date)
    if account:
        warnings.append("Personens berättelse återges ordagrant: ta bort det som IVO inte behöver för prövningen "
                        "innan ansökan skickas.")
    warnings.append(_TELL_FIRST.format(what="ansökan till IVO"))
    against = None if a.wants_return() else "Skäl till att ansökan görs trots personens önskemål: " + gap(
        "skäl till att ansökan görs mot personens önskemål")
    # IVO's requirements for an application (ivo.se, "Överflyttning av ärenden mellan kommuner"): the view of a
    # god man or förvaltare, and children under 15 given the chance to express their view.
    children = ["Barnens inställning (barn under 15 år ska ges möjlighet att framföra sin åsikt): " + gap(
                    "barnens inställning till överflyttningen"),
                "Överflyttningens kortsiktiga och långsiktiga konsekvenser för barnen: " + gap(
                    "konsekvenser för barnen")] if a.has_children() else []
    partner = ["Partnerns inställning: " + gap("partnerns inställning till överflyttningen")] if a.partner() else []
    return {
        **decision,
        "request": request,
        "guardian": a.guardian(),
        "wish_against": against,
        "partner": partner,
        "children": children,
        "account": account,
        "account_translation": gap("översättning av personens berättelse till svenska")
        if a.account_has_text() and facts.language != "sv" else "",
        "attachments": [
            "Beslut att ansöka om överflyttning: justerat protokollsutdrag, eller delegationsbeslut när en "
            "tjänsteperson beslutat: " + gap("datum och beslutsfattare för beslutet att ansöka hos IVO"),
            *attachments],
        "warnings": warnings,
    }


_BUILDERS: Final[dict[str, Callable[[CaseFacts, Answers, Steps, dict[str, Any]], dict[str, Any]]]] = {
    "official": _official, "transfer": _transfer, "ivo": _ivo,
}


def build_context(kind: str, facts: CaseFacts) -> dict[str, Any]:
    """Everything the ``kind`` templates show, for this case (``kind`` is one of ``KINDS``)."""
    other_name, other_org = _other(facts)
    answers = Answers(facts.answers, other_name)
    steps = Steps.of(facts.events)
    context = _common(facts, answers, steps, other_org)
    context.update(_BUILDERS[kind](facts, answers, steps, context))
    context.pop("submitted", None)  # a date, for the builders only: templates get strings
    return context

