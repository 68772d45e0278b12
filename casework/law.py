"""The legal references that letters and reasons cite: the old and the new Social Services Act side by side.

Why this module exists: the policy (2020–2022) cites 2 a kap. 10 § and 11 § socialtjänstlagen
(2001:453). That law was repealed by socialtjänstlagen (2025:400) from 1 July 2025, which renumbered
the provisions. A letter must cite the provision in force on its date, and a reference that nobody has
checked against the statute text must be shown to staff as unverified, never silently. So every
reference lives here once, with both numbers, a ``verified`` flag for each and a note saying what was
checked where. The next renumbering is a data change.

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

# Where the new references were checked, in this session, against the statute text itself.
_NEW_SOURCE: Final = (
    "Kontrollerad mot lagtexten i SFS 2025:400 (Regeringskansliets rättsdatabas, lydelse t.o.m. "
    "SFS 2025:1501, kopia i github.com/se-lex/sfs-processor data/testdocs/rkrattsbaser/sfs-2025-400.json)"
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


@dataclass(frozen=True)
class Citation:
    """The reference to cite on a given date, and whether it was checked against the statute text."""

    key: str
    text: str
    verified: bool
    substance: str
    note: str


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
    ),
    LegalReference(
        key="ivo_appeal",  # överklagande av IVO:s beslut om överflyttning
        old=f"16 kap. 3 § {_OLD}",
        new=f"35 kap. 2 § första stycket 5 {_NEW}",
        new_verified=True,
        old_verified=False,
        note=(
            f"{_NEW_SOURCE}: 35 kap. 2 § första stycket 5 (även i lydelsen enligt SFS 2025:1299). Den gamla "
            "paragrafen har inte kontrollerats. Att den tidigare kommunen behåller ansvaret tills beslutet har "
            "vunnit laga kraft står i IVO:s vägledning, inte i paragrafen."
        ),
        substance=(
            "IVO:s beslut om överflyttning kan överklagas till allmän förvaltningsdomstol, och den kommun som "
            "har ärendet behåller ansvaret till dess att beslutet har vunnit laga kraft."
        ),
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
        return Citation(key, ref.old, ref.old_verified, ref.substance, ref.note)
    return Citation(key, ref.new, ref.new_verified, ref.substance, ref.note)
