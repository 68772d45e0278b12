"""The Swedish texts of the rule table in casework/rules.py, kept apart so the table stays readable.

Staff always see Swedish (INTAKE_SPEC section 5), so these are plain Swedish for caseworkers, not
gettext msgids. A signal's text is one sentence without its final full stop: the reason adds the
answers that produced it, e.g. "... i den tidigare kommunen (had_support = yes)." Texts name no
statute: legal references live in casework/law.py, which cites the provisions in force.
"""

from __future__ import annotations

from typing import Final

__all__ = ["ACTION_TEXT", "FORM_TEXT", "IVO_APPLICATION_TEXT", "LEVEL_TEXT", "SIGNAL_TEXT"]

SIGNAL_TEXT: Final[dict[str, str]] = {
    "S_support": "Personen hade stöd från socialtjänsten i den tidigare kommunen",
    "S_care": (
        "Stödet var en vårdinsats eller annan insats, inte enbart ekonomiskt bistånd; "
        "återföring av ansvaret kan då bli aktuell"
    ),
    "S_estab_ended": "Personens etableringsersättning upphörde före eller kring flytten",
    "S_lease_by_muni": (
        "Den tidigare kommunen eller dess bostadsbolag sade upp hyreskontraktet eller bad personen flytta"
    ),
    "S_lease_ended": "Personens hyreskontrakt sades upp av kommunen eller hyresvärden",
    "S_pushed": (
        "Den tidigare kommunen påverkade personen att flytta, t.ex. genom att be personen kontakta en "
        "hyresvärd här, ordna bostaden, neka fortsatt stöd, betala flytten eller ge numret till "
        "socialtjänsten i Sollefteå"
    ),
    "S_not_involved": "Personen var inte delaktig i beslutet om flytten eller förstod det inte fullt ut",
    "S_no_coordination": (
        "Ingen från socialtjänsten i Sollefteå talade med personen före flytten, alltså ingen samverkan "
        "mellan kommunerna"
    ),
    "S_recent": "Personen flyttade till Sollefteå för mindre än tre månader sedan",
    "S_housing_bad": "Bostaden har brister, eller personen bor tillfälligt eller saknar bostad",
    "S_no_pay_check": (
        "Personen kan inte betala hyran med egen inkomst och hyresvärden kontrollerade inte "
        "betalningsförmågan före uthyrningen"
    ),
    "S_urgent": (
        "Personen behöver hjälp i dag (tak över huvudet, mat, trygghet eller vård) eller saknar bostad"
    ),
}

FORM_TEXT: Final[dict[int, str]] = {
    1: (
        "Form 1: en person med pågående insats enligt SoL har påverkats att flytta, genom uppsagt "
        "hyreskontrakt eller på annat sätt."
    ),
    2: (
        "Form 2: etableringsersättningen har upphört, hyresavtalet sades upp och personen var inte "
        "delaktig i flytten eller påverkades att flytta."
    ),
}

LEVEL_TEXT: Final[dict[str, str]] = {
    "high": (
        "Hög: en form av social dumpning stämmer, och personen var inte delaktig eller flytten skedde "
        "utan samverkan med Sollefteå."
    ),
    "medium": (
        "Medel: en form av social dumpning stämmer, eller personen påverkades att flytta utan samverkan "
        "med Sollefteå."
    ),
    "low": "Låg: svaren räcker inte för misstanke om social dumpning.",
}

ACTION_TEXT: Final[dict[str, str]] = {
    "contact_municipality": (
        "Kontakta genast den tidigare kommunen, markera tydligt att agerandet inte är acceptabelt och "
        "kräv en skälig motivering. Personen har samtyckt till kontakten."
    ),
    "ask_consent_contact": (
        "Fråga personen om samtycke till att kontakta den tidigare kommunen. Kravet på motivering "
        "får ställas först med personens samtycke."
    ),
    "document_account": "Dokumentera personens egen upplevelse av händelsen.",
    "official_letter": "Skicka en officiell skrivelse till den kommun som misstänks för social dumpning.",
    "transfer_request": (
        "Personen hade en vårdinsats och vill återvända: inled i samverkan med personen återföring av "
        "ansvaret genom en skriftlig begäran om överflyttning till socialtjänsten i den tidigare kommunen."
    ),
    "home_visit": (
        "Gör ett hembesök, med personens samtycke och med hänsyn till integriteten, för att se att "
        "boendemiljön är adekvat. Är bostaden påtagligt skadlig eller olämplig ska personen uppmanas "
        "att söka ny bostad."
    ),
    "housing_offer_review": (
        "Hyresvärden kontrollerade inte betalningsförmågan: pröva om personen kan erbjudas en bostad i "
        "kommunens eget bostadsbestånd."
    ),
    "economic_assistance_assessment": (
        "Personen kan inte betala hyran med egen inkomst: pröva rätten till ekonomiskt bistånd mot "
        "lagstiftningen och kommunens riktlinjer. Inget bistånd får utlovas i förväg."
    ),
    "urgent_contact": (
        "Prioritera: kontakta personen i dag. Personen har uppgett ett akut behov (tak över huvudet, mat, "
        "trygghet eller vård) eller saknar bostad."
    ),
}

IVO_APPLICATION_TEXT: Final = (
    "Den tidigare kommunen har avslagit begäran om överflyttning eller inte svarat inom en månad: "
    "ansök om överflyttning hos Inspektionen för vård och omsorg (IVO)."
)
