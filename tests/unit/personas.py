"""The public personas of the contract driver (its `personas/` folder), as data the tests can use.

Copied, not imported: the project's tests do not depend on the driver's folder. Answers are what the
driver presses or types: a choice id, a list of choice ids (multi-select), `text:...` (typed), or
`{"text": typed, "pick": kommunkod}` for the municipality. Their "during" probes (a stale press, a
word where a button is expected) are left out: they test robustness, not the length of an intake.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PUBLIC_PERSONAS"]

PUBLIC_PERSONAS: dict[str, tuple[str, dict[str, Any]]] = {
    "public-form1-sv": ("sv", {
        "language": "sv", "privacy": "continue", "consent_store": "yes", "urgent_needs": ["none"],
        "moved_from": {"text": "Ljusdal", "pick": "2161"}, "moved_when": "1_3m", "years_there": "gt_5y",
        "had_support": "yes", "support_types": ["contact_family"], "establishment": "no",
        "lease_type": "municipal_sublet", "lease_ended": "terminated_by_municipality",
        "pushed_how": ["given_number"], "understood": "partly", "receiving_contacted": "dont_know",
        "household": "alone", "housing_now": "own_lease", "housing_problems": ["none"], "rent_ability": "yes",
        "landlord_checked": "yes", "wish": "return", "account": "text:De sa att jag skulle ringa socialen i Sollefteå.",
        "consent_contact": "yes", "consent_home_visit": "no", "contact": "telegram", "guardian": "no",
    }),
    "public-low-en": ("en", {
        "language": "en", "privacy": "continue", "consent_store": "yes", "urgent_needs": ["none"],
        "moved_from": {"text": "umea", "pick": "2480"}, "moved_when": "3_12m", "years_there": "gt_5y",
        "had_support": "no", "establishment": "ongoing", "lease_type": "first_hand", "lease_ended": "own_choice",
        "pushed_how": ["none"], "understood": "own_wish", "receiving_contacted": "no", "household": "children",
        "children_count": "text:2", "housing_now": "own_lease", "housing_problems": ["too_small"],
        "rent_ability": "no", "landlord_checked": "yes", "wish": "stay_with_support", "account": "skip",
        "consent_contact": "no", "consent_home_visit": "yes", "contact": "telegram", "interpreter": "no",
        "guardian": "no",
    }),
}
