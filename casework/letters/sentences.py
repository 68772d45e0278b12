"""The case's answers as Swedish sentences, with every missing fact marked as a visible gap.

Why this module exists: a letter may state only what the person said, in plain Swedish, and must
never fill a hole with a guess. Each function here turns a few answers into sentences (or into a
gap «[UPPGIFT SAKNAS: …]» whose label the renderer lists in ``Letter.missing``), so the templates
only place them. Answers that are ``dont_know``, ``skipped`` or absent count as unknown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Final

from casework.deadlines import local_day
from casework.letters import wording as w

__all__ = ["GAP_PREFIX", "Answers", "gap", "join_and", "sentence"]

GAP_PREFIX: Final = "«[UPPGIFT SAKNAS: "
_UNKNOWN: Final = frozenset({"dont_know", "skipped", ""})
_NOTHING: Final = _UNKNOWN | {"none"}  # in a multi-select, "none" chooses nothing


def _clean(text: str, limit: int = 200) -> str:
    """Typed text made safe inside a marker or a quote: one line, no brackets or guillemets."""
    text = re.sub(r"\s+", " ", text).strip()
    return text.translate(str.maketrans({"[": "(", "]": ")", "«": '"', "»": '"'}))[:limit]


def gap(label: str, hint: str = "") -> str:
    """A visible gap; ``label`` is what ``Letter.missing`` lists, ``hint`` helps whoever fills it in."""
    return f"{GAP_PREFIX}{label}{' – ' + _clean(hint) if hint else ''}]»"


def sentence(text: str) -> str:
    """Capital first letter, full stop at the end."""
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "»")) else ".")


def join_and(parts: Sequence[str]) -> str:
    """``a``, ``a och b``, ``a, b och c``."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " och " + parts[-1]


class Answers:
    """The answers of one case, read the way the letters need them."""

    def __init__(self, answers: Mapping[str, Any], other_name: str) -> None:
        self._answers = answers
        self.other = other_name  # "Ljusdal", or "den tidigare kommunen" when unknown

    def choice(self, question: str) -> str | None:
        value = self._answers.get(question)
        return value if isinstance(value, str) and value not in _UNKNOWN else None

    def choices(self, question: str) -> list[str]:
        value = self._answers.get(question)
        values = [value] if isinstance(value, str) else value if isinstance(value, list | tuple) else []
        return [v for v in values if isinstance(v, str) and v not in _NOTHING]

    def _phrase(self, question: str, table: Mapping[str, str]) -> str | None:
        choice = self.choice(question)
        return table.get(choice) if choice else None

    # --- the move -----------------------------------------------------------------------------

    def moved(self, asked_on: str | None) -> str:
        when = self._phrase("moved_when", w.MOVED_WHEN)
        if when is None:
            return sentence(f"Personen har flyttat till Sollefteå från {self.other}") + " " + gap(
                "när personen flyttade till Sollefteå")
        since = f"den {asked_on}" if asked_on else "när personen kontaktade socialtjänsten i Sollefteå"
        return sentence(f"Personen har uppgett {since} att hen flyttade till Sollefteå från {self.other} {when}")

    def years_there(self) -> str:
        years = self._phrase("years_there", w.YEARS_THERE)
        if years is None:
            return gap("hur länge personen bodde i den tidigare kommunen")
        return sentence(f"Personen bodde i {self.other} i {years} före flytten")

    def household(self) -> str | None:
        household = self._phrase("household", w.HOUSEHOLD)
        if household is None:
            return None
        count = self._answers.get("children_count")
        children = f" ({count} barn)" if isinstance(count, int) and not isinstance(count, bool) else ""
        return sentence(f"Personen flyttade {household}{children}")

    def has_children(self) -> bool:
        return self.choice("household") in {"children", "partner_children"}

    def support_types(self) -> list[str]:
        return [w.SUPPORT_TYPES[c] for c in self.choices("support_types") if c in w.SUPPORT_TYPES]

    def support(self) -> str:
        had = self.choice("had_support")
        if had == "no":
            return sentence(f"Personen har uppgett att hen inte hade stöd från socialtjänsten i {self.other} "
                            "före flytten")
        if had != "yes":
            return gap("om personen hade stöd från socialtjänsten i den tidigare kommunen")
        types = self.support_types()
        if not types:
            return sentence(f"Före flytten hade personen stöd från socialtjänsten i {self.other}") + " " + gap(
                "vilket stöd personen hade")
        return sentence(f"Före flytten hade personen stöd från socialtjänsten i {self.other} i form av "
                        f"{join_and(types)}")

    def establishment(self) -> str | None:
        phrase = self._phrase("establishment", w.ESTABLISHMENT)
        return sentence(phrase) if phrase and self.choice("establishment") != "no" else None

    def lease(self) -> list[str]:
        lines = []
        lease_type = self._phrase("lease_type", w.LEASE_TYPE)
        if lease_type:
            lines.append(sentence(f"Personen hade {lease_type} i {self.other}"))
        ended = self._phrase("lease_ended", w.LEASE_ENDED)
        if ended:
            lines.append(sentence(f"Personen har uppgett att {ended}"))
        return lines

    def pushed(self) -> str | None:
        pushed = [w.PUSHED_HOW[c] for c in self.choices("pushed_how") if c in w.PUSHED_HOW]
        if not pushed:
            return None
        return sentence("Personen har också uppgett " + join_and([f"att {p}" for p in pushed]))

    def understood(self) -> str | None:
        phrase = self._phrase("understood", w.UNDERSTOOD)
        return sentence(f"Personen har uppgett att {phrase}") if phrase else None

    def coordination(self) -> str | None:
        """What the person said about contact with Sollefteå before the move: their word, never a finding."""
        contacted = self.choice("receiving_contacted")
        if contacted == "no":
            return "Personen har uppgett att ingen från socialtjänsten i Sollefteå talade med hen före flytten."
        if contacted == "yes":
            return "Personen har uppgett att någon från socialtjänsten i Sollefteå talade med hen före flytten."
        return None

    # --- the connection to the other municipality (29 kap. 10 §: starkast anknytning) ---------------

    def partner(self) -> bool:
        return self.choice("household") in {"partner", "partner_children"}

    def connection(self) -> list[str]:
        """Years there and family from the answers; what the intake does not ask is a gap to fill in."""
        children = [gap("barnens skola eller förskola i den tidigare kommunen")] if self.has_children() else []
        return [
            self.years_there(),
            *([household] if (household := self.household()) else [
                gap("vilka i familjen som flyttade med personen")]),
            *children,
            gap("personens nätverk i den tidigare kommunen", "släkt, vänner, arbete, föreningar"),
            gap("var personen är folkbokförd"),
            gap(f"var personen ska bo i {self.other} vid en återflytt") if self.wants_return() else gap(
                "var personen ska bo framöver"),
        ]

    # --- the situation now ----------------------------------------------------------------------

    def housing(self) -> list[str]:
        lines = []
        now = self._phrase("housing_now", w.HOUSING_NOW)
        if now:
            lines.append(sentence(f"Personen {now} i Sollefteå"))
        problems = [w.HOUSING_PROBLEMS[c] for c in self.choices("housing_problems") if c in w.HOUSING_PROBLEMS]
        if problems:
            lines.append(sentence("Personen har uppgett " + join_and([f"att {p}" for p in problems])))
        if self.choice("rent_ability") == "no":
            checked = " och att hyresvärden inte kontrollerade betalningsförmågan före uthyrningen" if (
                self.choice("landlord_checked") == "no") else ""
            lines.append(sentence(f"Personen har uppgett att hen inte kan betala hyran med egen inkomst{checked}"))
        return lines

    # --- the person's wishes and representation --------------------------------------------------

    def wish(self) -> str:
        choice = self.choice("wish")
        if choice == "return":
            return sentence(f"Personen vill återvända till {self.other}")
        if choice == "stay_with_support":
            return "Personen vill stanna i Sollefteå med stöd."
        if choice == "undecided":
            return "Personen har ännu inte bestämt sig om hen vill återvända."
        return gap("personens önskemål om var hen vill bo")

    def wants_return(self) -> bool:
        return self.choice("wish") == "return"

    def guardian(self) -> list[str]:
        has = self.choice("guardian")
        if has == "yes":
            return ["Personen har uppgett att hen har god man eller förvaltare.",
                    "God mans eller förvaltares inställning: " + gap("god mans eller förvaltares inställning")]
        if has == "no":
            return ["Personen har uppgett att hen inte har god man eller förvaltare."]
        return [gap("om personen har god man eller förvaltare")]

    def interpreter(self, language: str) -> str:
        if language == "sv":
            return "Personen talar svenska; tolk behövs inte."
        name = w.language_name(language)
        own = " (personen har själv sagt att hen inte behöver tolk vid möten)" if (
            self.choice("interpreter") == "no") else ""
        return f"Tolk på {name} behövs vid kontakter med personen{own}."

    # --- the person's own account ---------------------------------------------------------------

    def account_entries(self) -> list[Any]:
        value = self._answers.get("account")
        return [e for e in value if e] if isinstance(value, list) else []

    def account_documented(self) -> str:
        if self.account_entries():
            return "Personens egen berättelse om händelsen är dokumenterad i ärendet."
        return gap("personens egen berättelse om händelsen")

    def account_has_text(self) -> bool:
        return any(_entry_text(e) for e in self.account_entries())

    def account(self, sent_by: date | None, when: Callable[[date], str]) -> list[str]:
        """The account as the person gave it: each text entry quoted verbatim, each file by kind and date.

        Entries are stored by the dialog as ``{"text": …}`` or ``{"file": kind, "file_id": …, "caption": …}``
        (a plain string is text too). A file's date is its own ``at`` when the entry has one, else the
        day the intake was sent (``sent_by``), the latest it can have come.
        """
        lines = []
        for entry in self.account_entries():
            text = _entry_text(entry)
            if text:
                lines.append(f"”{_verbatim(text)}”")
                continue
            if not isinstance(entry, Mapping) or not entry.get("file"):
                continue
            kind = w.FILE_KINDS.get(str(entry.get("file")), "fil")
            day = _entry_day(entry)
            dated = f"skickat den {when(day)}" if day else (
                f"skickat senast den {when(sent_by)}, då berättelsen lämnades" if sent_by else "datum okänt")
            caption = entry.get("caption")
            shown = f" med texten ”{_verbatim(caption)}”" if isinstance(caption, str) and caption.strip() else ""
            lines.append(sentence(f"{kind}{shown}, {dated}; finns i ärendet"))
        return lines


def _entry_text(entry: Any) -> str:
    """A text entry's text ("" for a file): ``{"text": …}`` as the dialog stores it, or a plain string."""
    if isinstance(entry, str):
        return entry.strip()
    if isinstance(entry, Mapping) and "file" not in entry and isinstance(entry.get("text"), str):
        return entry["text"].strip()
    return ""


def _entry_day(entry: Mapping[str, Any]) -> date | None:
    value = entry.get("at") or entry.get("time")
    if not isinstance(value, str):
        return None
    try:
        return local_day(datetime.fromisoformat(value))
    except ValueError:
        return None


def _verbatim(text: str) -> str:
    """The person's words as one line, otherwise unchanged; a gap marker they typed is not taken for a gap."""
    return " ".join(text.split()).replace("«[", "« [")
