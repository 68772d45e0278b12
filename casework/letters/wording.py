"""Plain Swedish for the stored choice ids, as the letters write them out.

Why this module exists: answers are stored as language-neutral choice ids (``contact_family``,
``terminated_by_municipality``); a letter to another authority needs the facts in plain Swedish. The
phrases are data, one table per question, kept apart from the sentence logic so they can be reviewed
against dialogs/questions.py line by line. A phrase describes what the person said, never more. The
phrases of LEASE_ENDED, PUSHED_HOW and UNDERSTOOD follow "Personen har uppgett att …", so they use
subordinate-clause word order ("hen inte förstod").
"""

from __future__ import annotations

from typing import Final

from babel import Locale

__all__ = [
    "ESTABLISHMENT",
    "FILE_KINDS",
    "HOUSEHOLD",
    "HOUSING_NOW",
    "HOUSING_PROBLEMS",
    "LEASE_ENDED",
    "LEASE_TYPE",
    "MOVED_WHEN",
    "PUSHED_HOW",
    "SUPPORT_TYPES",
    "UNDERSTOOD",
    "WISH",
    "YEARS_THERE",
    "language_name",
    "municipality_name",
]

SUPPORT_TYPES: Final = {
    "economic": "ekonomiskt bistånd",
    "home_help": "hemtjänst",
    "housing_support": "boendestöd",
    "addiction_care": "stöd eller vård vid missbruk eller beroende",
    "contact_family": "kontaktperson/kontaktfamilj",
    "care_housing": "placering i HVB, stödboende eller annan vårdplacering",
    "other_care": "annan vårdinsats",
}

LEASE_TYPE: Final = {
    "first_hand": "ett eget hyreskontrakt (förstahandskontrakt)",
    "municipal_sublet": "ett hyreskontrakt genom kommunen (socialt kontrakt eller andrahandskontrakt)",
    "settlement_fixed_term": "ett tidsbegränsat hyreskontrakt från bosättningen",
    "private_sublet": "ett andrahandskontrakt hos en privatperson",
    "none": "inget hyreskontrakt (inneboende, bostadslös eller i härbärge)",
}

LEASE_ENDED: Final = {
    "terminated_by_municipality": "kommunen eller dess bostadsbolag sade upp hyresavtalet eller bad hen flytta",
    "fixed_term_ended": "ett tidsbegränsat hyresavtal löpte ut",
    "terminated_by_landlord": "hyresvärden sade upp hyresavtalet",
    "own_choice": "hen själv valde att flytta",
    "other": "hen flyttade av något annat skäl",
}

PUSHED_HOW: Final = {
    "told_contact_landlord": "hen uppmanades att kontakta en hyresvärd i en annan kommun",
    "apartment_arranged": "bostaden i Sollefteå hittades eller ordnades åt hen",
    "support_denied": "stödet upphörde eller nekades om hen inte flyttade",
    "move_paid": "flytten, en resa, flyttransport, deposition eller hyra betalades åt hen",
    "given_number": "hen fick telefonnumret till socialtjänsten i Sollefteå",
    "promised_better_help": "hen fick höra att hjälpen skulle bli bättre i Sollefteå",
}

UNDERSTOOD: Final = {
    "own_wish": "hen själv ville flytta",
    "partly": "hen bara delvis förstod och godtog flytten",
    "not_understood": "hen inte förstod vad flytten innebar",
    "forced": "hen upplevde att hen tvingades flytta",
}

MOVED_WHEN: Final = {
    "lt_1m": "för mindre än en månad sedan",
    "1_3m": "för en till tre månader sedan",
    "3_12m": "för tre till tolv månader sedan",
    "gt_12m": "för mer än ett år sedan",
}

YEARS_THERE: Final = {
    "lt_1y": "mindre än ett år",
    "1_2y": "ett till två år",
    "2_5y": "två till fem år",
    "gt_5y": "mer än fem år",
}

ESTABLISHMENT: Final = {
    "ended": "personens etableringsersättning upphörde före eller i samband med flytten",
    "ongoing": "personen deltar fortfarande i etableringsprogrammet",
    "no": "personen har inte deltagit i etableringsprogrammet",
}

HOUSEHOLD: Final = {
    "alone": "ensam",
    "partner": "tillsammans med sin partner",
    "children": "tillsammans med sina barn",
    "partner_children": "tillsammans med sin partner och sina barn",
    "other": "tillsammans med någon annan",
}

HOUSING_NOW: Final = {
    "own_lease": "har ett eget hyreskontrakt",
    "sublet": "hyr i andra hand",
    "temporary": "bor tillfälligt (vandrarhem, hotell eller härbärge)",
    "friends": "bor hos vänner eller släktingar",
    "no_place": "saknar bostad",
}

HOUSING_PROBLEMS: Final = {
    "too_small": "bostaden är för liten",
    "damp_broken": "bostaden har fukt, mögel, skador eller trasig utrustning",
    "no_heat_water": "bostaden saknar värme eller vatten",
    "isolated": "bostaden ligger långt från affärer, skola och kommunikationer",
    "unsafe": "bostaden känns otrygg",
}

WISH: Final = {
    "return": "återvända till {municipality}",
    "stay_with_support": "stanna i Sollefteå med stöd",
    "undecided": "har ännu inte bestämt sig",
}

# What the person sent with their account, by the kind Telegram gives the file (the "file" key of an entry).
FILE_KINDS: Final = {
    "voice": "röstmeddelande", "audio": "ljudfil", "photo": "foto", "document": "dokument", "video": "video",
    "video_note": "videomeddelande",
}

# The intake's languages whose Swedish name Babel gives differently from what staff would write.
_LANGUAGE_NAMES: Final = {"fa_AF": "dari", "ckb": "kurdiska (sorani)", "kmr": "kurdiska (kurmanji)", "ps": "pashto"}

# Official names that are not "<name>s kommun" (a stad, a region, an irregular genitive).
_OFFICIAL_NAMES: Final = {
    "Stockholm": "Stockholms stad", "Göteborg": "Göteborgs Stad", "Malmö": "Malmö stad", "Falun": "Falu kommun",
    "Gotland": "Region Gotland", "Kalmar": "Kalmar kommun",
}


def language_name(code: str) -> str:
    """The language's Swedish name (``ar`` -> ``arabiska``); the id itself if nobody knows it."""
    if code in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[code]
    name = Locale("sv").languages.get(code)
    return name if isinstance(name, str) and name else code


def municipality_name(name: str) -> str:
    """The municipality as an organisation: ``Ljusdal`` -> ``Ljusdals kommun``, ``Ale`` -> ``Ale kommun``."""
    if name in _OFFICIAL_NAMES:
        return _OFFICIAL_NAMES[name]
    if name[-1:].lower() in "aeiouyåäösxz":
        return f"{name} kommun"
    return f"{name}s kommun"
