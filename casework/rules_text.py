"""The Swedish texts of the rule tables (casework/rules_v1.py, rules_v2.py) and the actions' short names.

Staff always see Swedish (INTAKE_SPEC section 5), so these are plain Swedish for caseworkers, not
gettext msgids. A signal's text is one sentence without its final full stop: the reason adds the
answers that produced it, e.g. "... i den tidigare kommunen (had_support = yes)." Texts name no
statute: legal references live in casework/law.py, which cites the provisions in force.

``ACTION_NAMES`` is the one table of the actions' short Swedish names (with the policy section),
for every place that lists actions: the staff notices, the case view, the month report.
Version 1's texts stay as they were, for the referrals still assessed with it.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ACTION_NAMES", "ACTION_TEXT", "FORM_TEXT", "IVO_APPLICATION_TEXT", "LEVEL_TEXT", "SIGNAL_TEXT",
    "V1_ACTION_TEXT", "V1_FORM_TEXT", "V1_IVO_APPLICATION_TEXT", "V1_LEVEL_TEXT", "V1_SIGNAL_TEXT",
]

# --- rules version 1 (2020-2022/1), unchanged ------------------------------------------------

V1_SIGNAL_TEXT: Final[dict[str, str]] = {
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

V1_FORM_TEXT: Final[dict[int, str]] = {
    1: (
        "Form 1: en person med pågående insats enligt SoL har påverkats att flytta, genom uppsagt "
        "hyreskontrakt eller på annat sätt."
    ),
    2: (
        "Form 2: etableringsersättningen har upphört, hyresavtalet sades upp och personen var inte "
        "delaktig i flytten eller påverkades att flytta."
    ),
}

V1_LEVEL_TEXT: Final[dict[str, str]] = {
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

V1_ACTION_TEXT: Final[dict[str, str]] = {
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

V1_IVO_APPLICATION_TEXT: Final = (
    "Den tidigare kommunen har avslagit begäran om överflyttning eller inte svarat inom en månad: "
    "ansök om överflyttning hos Inspektionen för vård och omsorg (IVO)."
)

# --- rules version 2 (2020-2022/2, INTAKE_SPEC section 4) -------------------------------------

SIGNAL_TEXT: Final[dict[str, str]] = {
    "S_support": (
        "Personen hade en pågående insats från socialtjänsten i den tidigare kommunen (ekonomiskt bistånd "
        "inräknat)"
    ),
    "S_care": (
        "Insatsen var en vårdinsats eller annan insats, inte enbart ekonomiskt bistånd; återföring av "
        "ansvaret kan då bli aktuell"
    ),
    "S_estab_ended": "Personens etableringsersättning upphörde före eller kring flytten",
    "S_lease_by_muni": (
        "Den tidigare kommunen avslutade boendet: kommunen eller dess bostadsbolag sade upp kontraktet, eller "
        "ett kontrakt genom kommunen eller från bosättningen upphörde"
    ),
    "S_pushed": (
        "Den tidigare kommunen agerade för att få personen att flytta: bad personen kontakta en hyresvärd, "
        "ordnade bostaden, nekade stöd, betalade flytten eller lovade bättre hjälp"
    ),
    "S_offered_lease": (
        "En bostad i en annan kommun ordnades åt personen, eller personen hänvisades till en hyresvärd där"
    ),
    "S_given_number": (
        "Personen fick numret till socialtjänsten i Sollefteå av den tidigare kommunen; ett stödjande tecken, "
        "aldrig tillräckligt ensamt"
    ),
    "S_coerced": "Stödet upphörde eller nekades om personen inte flyttade",
    "S_not_involved": "Personen var inte delaktig i beslutet om flytten eller förstod det inte fullt ut",
    "S_own_wish": "Personen har uppgett att hen själv ville flytta",
    "S_no_coordination": (
        "Personen känner inte till någon samverkan med socialtjänsten i Sollefteå före flytten; svaret bevisar "
        "ingenting åt något håll, Sollefteås egna register avgör"
    ),
    "S_recent": "Personen flyttade till Sollefteå för mindre än tre månader sedan",
    "S_housing_bad": "Bostaden har brister, eller personen bor tillfälligt eller saknar bostad",
    "S_housing_harmful": (
        "Bostaden kan vara påtagligt skadlig eller olämplig: fukt eller skador, ingen värme eller inget vatten, "
        "eller otrygg"
    ),
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
        "Form 1: en person med pågående insats enligt SoL har påverkats att flytta, genom att kommunen "
        "avslutade boendet eller på annat sätt."
    ),
    2: (
        "Form 2: etableringsersättningen har upphört, kommunen avslutade boendet, personen erbjöds eller "
        "hänvisades till en bostad i en annan kommun och var inte delaktig i flytten."
    ),
}

# The levels are this system's triage for the caseworker, never a finding (the policy has no levels).
LEVEL_TEXT: Final[dict[str, str]] = {
    "low_legitimate": (
        "Låg: en form stämmer, men personen ville flytta, flytten samverkades med Sollefteå och inget stöd "
        "drogs in; det är den legitima flytt som policyn beskriver (1.1)."
    ),
    "high": (
        "Hög: en form av social dumpning stämmer, personen var inte delaktig och ingen samverkan med "
        "Sollefteå är känd."
    ),
    "medium": "Medel: en form av social dumpning stämmer.",
    "medium_uncoordinated": (
        "Medel: ingen form stämmer, men den tidigare kommunen agerade för att personen skulle flytta utan känd "
        "samverkan med Sollefteå (att aktivt uppmuntra någon att flytta räknas som social dumpning)."
    ),
    "low": "Låg: svaren räcker inte för misstanke om social dumpning.",
}

ACTION_TEXT: Final[dict[str, str]] = {
    "contact_municipality": (
        "Kontakta genast den tidigare kommunen och markera tydligt att agerandet inte är acceptabelt. Utan "
        "personens samtycke får inget sägas som identifierar personen."
    ),
    "request_justification": (
        "Personen har samtyckt till kontakt: kräv en skälig motivering till varför just personen fick flytta."
    ),
    "ask_consent_contact": (
        "Fråga personen om samtycke till kontakt med den tidigare kommunen; först med samtycke får en skälig "
        "motivering krävas för personens flytt."
    ),
    "check_coordination": (
        "Sök i Sollefteås egna register efter kontakt från den tidigare kommunen före flytten. Skrivelsen får "
        "säga att samverkan saknades först när den kontrollen är registrerad med det resultatet."
    ),
    "document_account": "Dokumentera personens egen upplevelse av händelsen.",
    "official_letter": "Skicka en officiell skrivelse till den kommun som misstänks för social dumpning.",
    "transfer_request": (
        "Personen hade en vårdinsats och vill återvända: inled i samverkan med personen återföring av ansvaret "
        "genom en skriftlig begäran om överflyttning av Sollefteås ärende till den tidigare kommunen."
    ),
    "discuss_return": (
        "Personen hade en vårdinsats men har inte bestämt sig: samtala med personen om en återflytt innan "
        "någon begäran om överflyttning görs, eftersom återföringen ska ske i samverkan med den enskilde."
    ),
    "home_visit": (
        "Gör ett hembesök, med personens samtycke och med hänsyn till integriteten, för att se att "
        "boendemiljön är adekvat."
    ),
    "ask_consent_home_visit": (
        "Fråga personen om samtycke till hembesök: i fastställda fall ska hembesök göras, men bara med "
        "personens samtycke."
    ),
    "advise_new_housing": (
        "Bedöm om bostaden är påtagligt skadlig eller olämplig; är den det ska personen uppmanas att söka ny "
        "bostad."
    ),
    "housing_offer_review": V1_ACTION_TEXT["housing_offer_review"],
    "economic_assistance_assessment": V1_ACTION_TEXT["economic_assistance_assessment"],
    "urgent_contact": V1_ACTION_TEXT["urgent_contact"],
}

IVO_APPLICATION_TEXT: Final = (
    "Den tidigare kommunen har avslagit begäran om överflyttning, eller inte svarat inom en månad från att den "
    "tog emot begäran: ansök om överflyttning hos Inspektionen för vård och omsorg (IVO)."
)

# The short Swedish names of every action of every version, for lists (notices, case view, report).
ACTION_NAMES: Final[dict[str, str]] = {
    "contact_municipality": "kontakta kommunen (2.1)",
    "request_justification": "kräv skälig motivering (2.1)",
    "ask_consent_contact": "fråga om samtycke till kontakt (2.1)",
    "check_coordination": "kontrollera samverkan i egna register (1.1)",
    "document_account": "dokumentera berättelsen (2.1)",
    "official_letter": "officiell skrivelse (2.1)",
    "transfer_request": "begäran om överflyttning (2.2)",
    "discuss_return": "samtala om återflytt (2.2)",
    "ivo_application": "ansökan till IVO (2.2)",
    "home_visit": "hembesök (2.3)",
    "ask_consent_home_visit": "fråga om samtycke till hembesök (2.3)",
    "advise_new_housing": "uppmana att söka ny bostad (2.3)",
    "housing_offer_review": "pröva bostadserbjudande (2.4)",
    "economic_assistance_assessment": "pröva ekonomiskt bistånd (2.4)",
    "urgent_contact": "kontakta personen i dag",
}
