"""The legal references that letters and reasons cite: the old and the new Social Services Act side by side.

Why this module exists: the policy (2020–2022) cites 2 a kap. 10 § and 11 § socialtjänstlagen
(2001:453). That law was repealed by socialtjänstlagen (2025:400) from 1 July 2025, which renumbered
the provisions. A letter must cite the provision in force on its date, and a reference that nobody has
checked against the statute text must be shown to staff as unverified, never silently. So every
reference lives here once, with both numbers, a ``verified`` flag for each, the statute text it was
verified against (``new_source``/``old_source``) and a note saying what was checked where and what
was not. The next renumbering is a data change.

Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Final

__all__ = ["NEW_LAW_IN_FORCE", "REFERENCES", "Citation", "LegalReference", "UnknownReference", "cite"]

NEW_LAW_IN_FORCE: Final = date(2025, 7, 1)  # socialtjänstlagen (2025:400), övergångsbestämmelse 1

_OLD: Final = "socialtjänstlagen (2001:453)"
_NEW: Final = "socialtjänstlagen (2025:400)"

# The statute texts the references were checked against (the text itself, not a commentary).
_NEW_SOURCE: Final = (
    "Kontrollerad mot lagtexten i SFS 2025:400 (Regeringskansliets rättsdatabas, lydelse t.o.m. "
    "SFS 2025:1501, kopia i github.com/se-lex/sfs-processor data/testdocs/rkrattsbaser/sfs-2025-400.json)"
)
_OLD_16_4_SOURCE: Final = (
    "Kontrollerad mot lagtexten i SFS 2001:453 16 kap. 4 § (lydelse efter SFS 2015:970, återgiven i sin helhet "
    "på vardnads-umgangeslagar.se, 'Socialtjänstlag (2001:453)', 16 kap. Övriga bestämmelser)"
)
_IVO_GUIDANCE: Final = (
    "IVO: 'Överklagande av IVO:s beslut' (ivo.se/yrkesverksamma/anmala-och-rapportera-som-yrkesverksam/"
    "overflyttning-av-arenden-mellan-kommuner/overklagande-av-ivos-beslut/)"
)


class UnknownReference(KeyError):
    """No legal reference with this key in the table."""


@dataclass(frozen=True)
class LegalReference:
    """One provision, as numbered in the old and in the new law, and what it says in one Swedish sentence."""

    key: str
    old: str  # the reference under socialtjänstlagen (2001:453), before 2025-07-01
    new: str  # the reference under socialtjänstlagen (2025:400), from 2025-07-01
    new_verified: bool  # checked against the text of SFS 2025:400
    old_verified: bool  # checked against the text of SFS 2001:453
    note: str  # what was checked where, and what was not
    substance: str = ""  # the provision in substance, one Swedish sentence
    new_source: str = ""  # the statute text the new reference was verified against ("" when not verified)
    old_source: str = ""  # the statute text the old reference was verified against ("" when not verified)


@dataclass(frozen=True)
class Citation:
    """The reference to cite on a given date, and whether it was checked against the statute text."""

    key: str
    text: str
    verified: bool
    substance: str
    note: str
    source: str = ""  # what it was verified against; "" when it was not


_TABLE: Final = (
    LegalReference(
        key="transfer_request",  # överflyttning av ärende: the written request to the other municipality
        old=f"2 a kap. 10 § {_OLD}",
        new=f"29 kap. 10 § {_NEW}",
        new_verified=True,
        old_verified=False,
        note=(
            f"{_NEW_SOURCE}: 29 kap. rubrik 'Överflyttning av ärende', 10 §. Den gamla numreringen stöds av "
            "policyn, IVO:s vägledning om överflyttning och HFD 2013:46 men lydelsen i SFS 2001:453 har inte "
            "lästs. Nya 10 § gäller 'individuellt behovsprövade insatser eller andra åtgärder' (gamla: vård "
            "eller annan åtgärd)."
        ),
        substance=(
            "Ett ärende om insatser eller andra åtgärder för en enskild ska flyttas över till en annan kommun om "
            "den enskilde har starkast anknytning dit och det framstår som lämpligt med hänsyn till den "
            "enskildes önskemål, hjälpbehovets varaktighet och omständigheterna i övrigt; begäran ska vara "
            "skriftlig och den andra kommunen ska genast skriftligen meddela sin inställning."
        ),
        new_source=f"{_NEW_SOURCE}, 29 kap. 10 §",
    ),
    LegalReference(
        key="ivo_application",  # ansökan om överflyttning hos IVO
        old=f"2 a kap. 11 § {_OLD}",
        new=f"29 kap. 11 § {_NEW}",
        new_verified=True,
        old_verified=False,
        note=(
            f"{_NEW_SOURCE}: 29 kap. 11 §, rubrik 'Om kommunerna inte är överens'. Den gamla numreringen "
            "stöds av policyn och IVO:s vägledning men lydelsen i SFS 2001:453 har inte lästs."
        ),
        substance=(
            "Om kommunerna inte är överens, eller om den andra kommunen inte har svarat inom en månad, får den "
            "kommun som begärt överflyttning ansöka om överflyttning hos Inspektionen för vård och omsorg (IVO), "
            "som ska besluta inom tre månader om det inte finns särskilda skäl för längre tid."
        ),
        new_source=f"{_NEW_SOURCE}, 29 kap. 11 §",
    ),
    LegalReference(
        key="ivo_appeal",  # överklagande av IVO:s beslut om överflyttning
        old=f"16 kap. 4 § första stycket 5 {_OLD}",
        new=f"35 kap. 2 § första stycket 5 {_NEW}",
        new_verified=True,
        old_verified=True,
        note=(
            f"{_NEW_SOURCE}: 35 kap. 2 § första stycket 5 'överflyttning av ärende enligt 29 kap. 11 §' (punkt 5 "
            "även i lydelsen enligt SFS 2025:1299 från 2026-01-01). Gamla lagen: 16 kap. 4 § första stycket 5 "
            "'överflyttning av ärende enligt 2 a kap. 11 §'; den tidigare tabellens 16 kap. 3 § gäller "
            "socialnämndens beslut, inte IVO:s."
        ),
        substance="IVO:s beslut om överflyttning av ärende får överklagas till allmän förvaltningsdomstol.",
        new_source=f"{_NEW_SOURCE}, 35 kap. 2 §",
        old_source=_OLD_16_4_SOURCE,
    ),
    LegalReference(
        key="ivo_decision_in_force",  # när IVO:s beslut om överflyttning börjar gälla
        old=f"16 kap. 4 § sista stycket {_OLD}",
        new=f"35 kap. 5 § andra stycket {_NEW}",
        new_verified=True,
        old_verified=False,
        note=(
            f"{_NEW_SOURCE}: 35 kap. 5 § andra stycket räknar upp de beslut av IVO som gäller omedelbart (2 § "
            "första stycket 1, 3 och 4); överflyttning (punkt 5) är inte bland dem. Att den kommun som har ärendet "
            f"behåller ansvaret tills beslutet har vunnit laga kraft står i {_IVO_GUIDANCE}. Motsvarande stycke i "
            "16 kap. 4 § (2001:453) var avklippt i källan och är inte kontrollerat."
        ),
        substance=(
            "IVO:s beslut om överflyttning hör inte till de beslut som gäller omedelbart, så den kommun som har "
            "ärendet behåller ansvaret tills beslutet har vunnit laga kraft."
        ),
        new_source=f"{_NEW_SOURCE}, 35 kap. 5 §",
    ),
    LegalReference(
        key="residence_municipality",  # bosättningskommunens ansvar
        old=f"2 a kap. 3 § {_OLD}",
        new=f"29 kap. 1 § {_NEW}",
        new_verified=True,
        old_verified=False,
        note=(
            f"{_NEW_SOURCE}: 29 kap. 1 §. I den gamla lagen är 2 a kap. 1 § vistelsekommunens ansvar (SFS "
            "2011:328); bosättningskommunens ansvar stod i 2 a kap. 3 §, vilket bara har setts i "
            "sekundärkällor."
        ),
        substance=(
            "Den kommun där den enskilde är stadigvarande bosatt eller har sin starkaste anknytning "
            "(bosättningskommunen) ansvarar för insatser till den enskilde."
        ),
        new_source=f"{_NEW_SOURCE}, 29 kap. 1 §",
    ),
    LegalReference(
        key="placement_responsibility",  # ansvar vid placering i en annan kommun
        old=f"2 a kap. 4 § {_OLD}",
        new=f"29 kap. 2 § första stycket 6 {_NEW}",
        new_verified=True,
        old_verified=False,
        note=f"{_NEW_SOURCE}: 29 kap. 2 § 6. Den gamla paragrafen har inte kontrollerats.",
        substance=(
            "En kommun som genom sitt beslut har gjort att en enskild vistas i ett boende i en annan kommun "
            "behåller ansvaret för insatserna om det inte är klarlagt vilken kommun som är bosättningskommun."
        ),
        new_source=f"{_NEW_SOURCE}, 29 kap. 2 §",
    ),
)

REFERENCES: Final[Mapping[str, LegalReference]] = MappingProxyType({r.key: r for r in _TABLE})


def cite(key: str, on: date) -> Citation:
    """The reference to cite in a letter dated ``on``: the old law before 1 July 2025, the new from then."""
    try:
        ref = REFERENCES[key]
    except KeyError:
        raise UnknownReference(key) from None
    if on < NEW_LAW_IN_FORCE:
        return Citation(key, ref.old, ref.old_verified, ref.substance, ref.note, ref.old_source)
    return Citation(key, ref.new, ref.new_verified, ref.substance, ref.note, ref.new_source)
