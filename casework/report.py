"""Monthly figures for the municipality (socialnämnden): counts only, no personal data.

A month (`YYYY-MM`) is a calendar month in Stockholm time: a referral counts in the month its
`created_at` falls in, in Europe/Stockholm (2026-11-30T23:30Z is 1 December 00:30, so December).
Counted per month: referrals per sending municipality, per form and level, the urgent ones, and their
outcome (status now, and the close reason of the closed ones), plus the steps (events) recorded in
the month, whenever their referral came in.

Small counts: a sending municipality with one or two referrals in a month could point to a person
in a small municipality, so in everything shown outside (`table()`, `to_dict()`, the chart) a
municipality count of 1 or 2 is shown as "<3" (`SMALL_COUNT`); the masked rows are listed after the
others in name order, so their order does not tell a 2 from a 1, and their chart bars are hatched
and of one height. Only the per-municipality breakdown is masked; the dataclass fields keep the
exact counts for code that needs them (do not publish them). The total and the other breakdowns are
exact, so the sum of the masked rows can be derived; what is hidden is each municipality's own 1 or 2.

The municipality names come from the reference data in `casework.municipalities`, a pure data module.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

from sqlmodel import Session

from casework.municipalities import by_code
from casework.rules_text import ACTION_NAMES
from storage import reports

__all__ = [
    "CLOSE_REASONS",
    "FORMS",
    "LEVELS",
    "OTHER_MUNICIPALITY",
    "SMALL_COUNT",
    "STATUSES",
    "STEPS",
    "InvalidMonth",
    "MonthlyReport",
    "month_bounds",
    "monthly_report",
    "report_chart",
]

STOCKHOLM: Final = ZoneInfo("Europe/Stockholm")
SMALL_COUNT: Final = 3  # a municipality's count below this (1 or 2) is shown as "<3"
OTHER_MUNICIPALITY: Final = "annan/okänd"  # moved_from = other, dont_know, or no known kommunkod

FORMS: Final = ("1", "2", "none")
LEVELS: Final = ("high", "medium", "low")
STATUSES: Final = ("new", "in_progress", "closed")
CLOSE_REASONS: Final = ("returned", "stays_with_support", "not_dumping", "no_contact", "withdrawn")
STEPS: Final = ("coordination_checked", "municipality_contacted", "letter_sent", "decision_recorded",
                "transfer_requested", "transfer_accepted", "transfer_refused", "ivo_applied", "home_visit_done",
                "housing_offered")

_MONTHS_SV: Final = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
                     "oktober", "november", "december")
_MONTH_RE: Final = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")

_FORM_SV: Final = {"1": "Form 1 (pågående insats)", "2": "Form 2 (etablering upphört)", "none": "Ingen form"}
_FORM_SHORT_SV: Final = {"1": "Form 1", "2": "Form 2", "none": "Ingen form"}
_LEVEL_SV: Final = {"high": "Hög", "medium": "Medel", "low": "Låg"}
_STATUS_SV: Final = {"new": "Ny", "in_progress": "Pågående", "closed": "Avslutad"}
_CLOSE_REASON_SV: Final = {
    "returned": "Återvänt till tidigare kommun",
    "stays_with_support": "Stannar med stöd",
    "not_dumping": "Inte social dumpning",
    "no_contact": "Ingen kontakt",
    "withdrawn": "Återkallad",
    "unknown": "Orsak saknas",
}
_STEP_SV: Final = {
    "coordination_checked": "Samverkan kontrollerad i egna register",
    "decision_recorded": "Sollefteås beslut registrerat",
    "municipality_contacted": "Kontakt med tidigare kommun",
    "letter_sent": "Skrivelse skickad",
    "transfer_requested": "Begäran om överflyttning",
    "transfer_accepted": "Överflyttning beviljad",
    "transfer_refused": "Överflyttning avslagen",
    "ivo_applied": "Ansökan till IVO",
    "home_visit_done": "Hembesök genomfört",
    "housing_offered": "Bostad erbjuden",
}
_NOTES_SV: Final = (
    f"Antal under {SMALL_COUNT} per kommun visas som <{SMALL_COUNT}, så att ingen enskild kan pekas ut "
    "i en liten kommun.",
    "En remiss kan stämma med både form 1 och form 2 och räknas då under båda.",
    "Status och avslutsorsak gäller månadens remisser när rapporten togs fram; åtgärder räknas i den "
    "månad de registrerades.",
    "Rekommenderade åtgärder är de som bedömningen föreslog för månadens remisser (senaste bedömningen); "
    "en remiss kan ha flera.",
)
# Swedish alphabetical order: å, ä, ö after z (code points would give ä, å, ö).
_SV_ORDER: Final = str.maketrans({"å": "{", "ä": "|", "ö": "}", "é": "e", "ü": "y"})


class InvalidMonth(ValueError):
    """The month is not of the form YYYY-MM (e.g. 2026-11)."""


def _parse_month(month: str) -> tuple[int, int]:
    found = _MONTH_RE.fullmatch(month.strip()) if isinstance(month, str) else None
    if found is None:
        raise InvalidMonth(f"month must be YYYY-MM, e.g. 2026-11, not {month!r}")
    return int(found.group(1)), int(found.group(2))


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """The month's start and the next month's start, midnight in Stockholm, as UTC datetimes."""
    year, number = _parse_month(month)
    start = datetime(year, number, 1, tzinfo=STOCKHOLM)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=STOCKHOLM)
    return start.astimezone(UTC), end.astimezone(UTC)


def _month_sv(month: str) -> str:
    year, number = _parse_month(month)
    return f"{_MONTHS_SV[number - 1]} {year}"


def _name_key(name: str) -> str:
    return name.casefold().translate(_SV_ORDER)


def _shown(count: int) -> int | str:
    return f"<{SMALL_COUNT}" if 0 < count < SMALL_COUNT else count


def _municipality_name(code: str | None) -> str:
    found = by_code(code) if code and code.isdigit() else None
    return found.name if found is not None else OTHER_MUNICIPALITY


def _tally(values: Iterable[str], keys: Iterable[str]) -> dict[str, int]:
    """Counts for `keys` (0 when absent), then any other value seen, in order of first sight."""
    counts = dict.fromkeys(keys, 0)
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def _actions(per_referral: Iterable[tuple[str, ...]]) -> dict[str, int]:
    """Referrals per recommended action, in the order of ACTION_NAMES, the actions none had left out."""
    counts = Counter(a for actions in per_referral for a in dict.fromkeys(actions))
    order = {a: i for i, a in enumerate(ACTION_NAMES)}
    return dict(sorted(counts.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))


@dataclass(frozen=True)
class MonthlyReport:
    """One month's figures. The fields are exact; `table()`, `to_dict()` and the chart mask small counts."""

    month: str  # "2026-11"
    total: int
    by_municipality: list[tuple[str, int]]  # sorted by count desc, then name
    by_form: dict[str, int]  # {"1": n, "2": n, "none": n}; a referral with both forms counts under both
    by_level: dict[str, int]  # high / medium / low
    urgent: int
    by_status: dict[str, int]  # new / in_progress / closed, as of when the report was made
    by_close_reason: dict[str, int]  # of the closed ones
    steps: dict[str, int]  # events per kind recorded in the month
    by_action: dict[str, int] = field(default_factory=dict)  # referrals per recommended action, table order

    @property
    def title(self) -> str:
        return f"Anmälda misstänkta fall av social dumpning, {_month_sv(self.month)}"

    def municipality_rows(self) -> list[tuple[str, int | str]]:
        """The per-municipality rows as published: small counts masked, masked rows last by name."""
        exact = [(name, n) for name, n in self.by_municipality if not 0 < n < SMALL_COUNT]
        small = [(name, n) for name, n in self.by_municipality if 0 < n < SMALL_COUNT]
        exact.sort(key=lambda row: (-row[1], _name_key(row[0])))
        small.sort(key=lambda row: _name_key(row[0]))
        return [(name, _shown(n)) for name, n in exact + small]

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable, for other programs; municipality counts below 3 are the string "<3"."""
        return {
            "month": self.month,
            "total": self.total,
            "urgent": self.urgent,
            "by_municipality": [{"municipality": name, "count": n} for name, n in self.municipality_rows()],
            "by_form": dict(self.by_form),
            "by_level": dict(self.by_level),
            "by_status": dict(self.by_status),
            "by_close_reason": dict(self.by_close_reason),
            "steps": dict(self.steps),
            "by_action": dict(self.by_action),
            "small_counts_masked_below": SMALL_COUNT,
        }

    def table(self) -> str:
        """A plain-text table in Swedish, aligned for a fixed-width font; small counts masked."""
        sections: list[tuple[str, list[tuple[str, int | str]]]] = [
            ("Totalt", [("Remisser", self.total), ("varav brådskande", self.urgent)]),
            ("Remisser per kommun", self.municipality_rows() or [("(inga)", 0)]),
            ("Remisser per form", [(_FORM_SV.get(k, k), n) for k, n in self.by_form.items()]),
            ("Remisser per nivå", [(_LEVEL_SV.get(k, k), n) for k, n in self.by_level.items()]),
            ("Status", [(_STATUS_SV.get(k, k), n) for k, n in self.by_status.items()]),
            ("Avslutade, per orsak", [(_CLOSE_REASON_SV.get(k, k), n) for k, n in self.by_close_reason.items()]),
            ("Åtgärder registrerade under månaden", [(_STEP_SV.get(k, k), n) for k, n in self.steps.items()]),
            ("Rekommenderade åtgärder för månadens remisser",
             [(ACTION_NAMES.get(k, k), n) for k, n in self.by_action.items()] or [("(inga)", 0)]),
        ]
        label_width = max(len(label) for _, rows in sections for label, _ in rows) + 2
        count_width = max(4, *(len(str(n)) for _, rows in sections for _, n in rows))
        lines = [self.title, ""]
        for heading, rows in sections:
            lines += [heading, "-" * (label_width + count_width + 2)]
            lines += [f"  {label:<{label_width}}{n!s:>{count_width}}" for label, n in rows]
            lines.append("")
        lines += ["Anm.", *(f"- {note}" for note in _NOTES_SV)]
        return "\n".join(lines) + "\n"


def monthly_report(db: Session, *, month: str) -> MonthlyReport:
    """The figures of `month` (YYYY-MM, Stockholm time); raises InvalidMonth for anything else."""
    start, end = month_bounds(month)
    rows = reports.referral_figures(db, start=start, end=end)
    municipalities = Counter(_municipality_name(r.moved_from) for r in rows)
    forms = Counter(str(f) for r in rows for f in r.forms) + Counter("none" for r in rows if not r.forms)
    closed = [r for r in rows if r.status == "closed"]
    return MonthlyReport(
        month=month.strip(),
        total=len(rows),
        by_municipality=sorted(municipalities.items(), key=lambda row: (-row[1], _name_key(row[0]))),
        by_form={**dict.fromkeys(FORMS, 0), **forms},
        by_level=_tally((r.level for r in rows), LEVELS),
        urgent=sum(r.urgent for r in rows),
        by_status=_tally((r.status for r in rows), STATUSES),
        by_close_reason=_tally((r.close_reason or "unknown" for r in closed), CLOSE_REASONS),
        steps=reports.event_counts(db, start=start, end=end, kinds=STEPS),
        by_action=_actions(r.actions for r in rows),
    )


# ------------------------------------------------------------------------- the chart
_BLUE: Final = "#1f4e79"
_GREEN: Final = "#2e7d5b"
_LEVEL_COLOURS: Final = {"high": "#a93226", "medium": "#d68910", "low": "#7f8c8d"}


def report_chart(report: MonthlyReport) -> bytes:
    """A PNG for socialnämnden: referrals per sending municipality, and per form and level."""
    # Imported here: matplotlib is slow to load and only the report needs it. Figure + the Agg
    # canvas draw without pyplot, so there is no global state and no display.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    rows = report.municipality_rows()
    height = max(6.0, 2.6 + 0.32 * len(rows))
    fig = Figure(figsize=(11.0, height), dpi=120, layout="constrained")
    FigureCanvasAgg(fig)
    fig.suptitle(report.title, fontsize=14, fontweight="bold")
    left, right = fig.subplots(1, 2, width_ratios=[3, 2])

    left.set_title(f"Remisser per avsändande kommun (totalt {report.total}, varav {report.urgent} brådskande)",
                   fontsize=10, loc="left")
    if rows:
        names = [name for name, _ in rows][::-1]  # largest at the top
        shown = [n for _, n in rows][::-1]
        masked = [isinstance(n, str) for n in shown]
        lengths = [SMALL_COUNT - 1 if m else int(n) for n, m in zip(shown, masked, strict=True)]
        bars = left.barh(names, lengths, color=["white" if m else _BLUE for m in masked], edgecolor=_BLUE)
        for bar, m in zip(bars, masked, strict=True):
            if m:
                bar.set_hatch("///")
        left.bar_label(bars, labels=[str(n) for n in shown], padding=3, fontsize=9)
        left.xaxis.set_major_locator(MaxNLocator(integer=True))
        left.set_xlim(0, max(lengths) * 1.15 + 0.5)
        left.set_xlabel("Antal remisser")
    else:
        left.text(0.5, 0.5, "Inga remisser denna månad", ha="center", va="center", transform=left.transAxes)
        left.set_axis_off()
    for side in ("top", "right"):
        left.spines[side].set_visible(False)

    right.set_title("Remisser per form och bedömd nivå", fontsize=10, loc="left")
    labels = [_FORM_SHORT_SV.get(k, k) for k in report.by_form] + [_LEVEL_SV.get(k, k) for k in report.by_level]
    values = list(report.by_form.values()) + list(report.by_level.values())
    colours = [_GREEN] * len(report.by_form) + [_LEVEL_COLOURS.get(k, _BLUE) for k in report.by_level]
    positions = list(range(len(report.by_form))) + [len(report.by_form) + 0.6 + i for i in range(len(report.by_level))]
    bars = right.bar(positions, values, color=colours, width=0.75)
    right.bar_label(bars, labels=[str(v) for v in values], padding=2, fontsize=9)
    right.set_xticks(positions, labels, rotation=30, ha="right")
    right.yaxis.set_major_locator(MaxNLocator(integer=True))
    right.set_ylim(0, max([*values, 1]) * 1.15 + 0.5)
    right.set_ylabel("Antal remisser")
    for side in ("top", "right"):
        right.spines[side].set_visible(False)

    fig.text(0.01, 0.0, "\n".join([
        f"Antal under {SMALL_COUNT} per kommun visas som <{SMALL_COUNT} (streckad stapel, samma längd för 1 och 2), "
        "så att ingen enskild kan pekas ut.",
        "En remiss kan stämma med både form 1 och form 2. Månad efter svensk tid då remissen kom in.",
    ]), fontsize=8, color="#444444", ha="left", va="bottom")
    fig.get_layout_engine().set(rect=(0, 0.06, 1, 0.94))  # room for the notes below the panels

    out = io.BytesIO()
    fig.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()
