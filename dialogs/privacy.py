"""The privacy notice of INTAKE_SPEC section 3 row 1: the short notice and "Read more", with their sources.

Why this module exists: what the bot tells a person about their data is a legal statement, and a
wrong promise (e.g. "nothing goes to IVO without your consent") is worse than none. So every
statement lives here once, as msgids the catalogs translate, and ``SOURCES`` says for each one what
it was checked against and whether it could be verified. The short notice says everything the spec
lists, briefly, and carries the social services' phone number for everyone; "Read more" adds only
what the short notice does not say. The municipality-only facts (committee, data protection
officer, numbers, retention days) come from the configuration, never from the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from dialogs.events import Config
from dialogs.i18n import N_, Msg

__all__ = ["MORE", "NOTICE", "SOURCES", "Source", "more", "notice"]

# The short notice, one paragraph each; the first is the question's prompt in dialogs/questions.py.
NOTICE: Final[tuple[Msg, ...]] = (
    N_(
        "This chat is run by the social services (socialtjänsten) of {town} municipality. Here you can "
        "tell us that another municipality made you move to {town}, so that we can help you."
    ),
    N_(
        "This is not an emergency service. In an emergency call {emergency}. Social services in {town}: "
        "{phone} on weekdays, {after_hours} evenings and weekends."
    ),
    # Translators: {committee} is the name of a municipal committee in Swedish, e.g. "Socialnämnden".
    N_(
        "We store your answers, your messages and your choices. {committee} is responsible for them. "
        "Data protection officer: {dpo}."
    ),
    # Translators: OSL = the Swedish secrecy act; IVO = the Health and Social Care Inspectorate. Promise no consent.
    N_(
        "Only caseworkers and interpreters of our social services read them, and they are bound by secrecy "
        "(OSL chapter 26). We ask you before we ask the other municipality to explain your move. If we ask "
        "the other municipality or IVO to take over responsibility for your help, we share what they need "
        "for that, as the law allows, and we tell you first."
    ),
    N_(
        "Telegram is run outside the EU, and chats with bots are not end-to-end encrypted. You can always "
        "call us or visit us with an interpreter instead."
    ),
    # Translators: IMY (Integritetsskyddsmyndigheten) is the Swedish Authority for Privacy Protection.
    N_(
        "If you stop before sending, your answers are deleted after {days} days. What you send becomes part "
        "of your social services record: archiving rules decide how long it is kept, so it cannot always "
        "be deleted. You can see it, have it corrected, and complain to IMY (Integritetsskyddsmyndigheten). "
        "You cannot object to social services processing it."
    ),
    N_("Press “Read more” for the details."),
)

# "Read more": only what the short notice did not say.
MORE: Final[tuple[Msg, ...]] = (
    # Translators: "Social Services Act" = socialtjänstlagen.
    N_(
        "Why we may do this: helping you is part of our public task under the Social Services Act "
        "(socialtjänstlagen). That is the legal basis, not your agreement. When you press “Yes, go on” on "
        "the next screen, it only records that you chose to go on."
    ),
    N_(
        "How long: social services records are normally deleted five years after the last entry. Some "
        "are kept longer, for example for research."
    ),
    N_(
        "Sharing: if your case moves to another municipality, the law says we must give them what they "
        "need to take it over. If we apply to IVO, IVO gets what it needs to decide."
    ),
    N_(
        "Telegram: the company behind Telegram keeps this chat on its servers. Write /exit to remove "
        "this chat from your screen quickly; what you sent us is kept."
    ),
    N_(
        "Your rights: /mydata shows what we store, and /consents shows your consents and lets you "
        "withdraw them. To have something corrected, tell us or the data protection officer. You can "
        "complain to IMY at imy.se."
    ),
)


def notice(cfg: Config) -> tuple[Msg, ...]:
    """The short notice with the municipality's settings filled in."""
    params = {
        1: {"emergency": cfg.emergency_number, "phone": cfg.social_services_phone,
            "after_hours": cfg.after_hours_phone},
        2: {"committee": cfg.committee, "dpo": cfg.dpo_contact},
        5: {"days": cfg.retention_days},
    }
    return tuple(m.with_params(**params[i]) if i in params else m for i, m in enumerate(NOTICE))


def more(cfg: Config) -> tuple[Msg, ...]:
    """The "Read more" text (it needs no settings; ``cfg`` keeps the call like ``notice``)."""
    del cfg
    return MORE


@dataclass(frozen=True)
class Source:
    """What a statement of the notice says, what it was checked against, and whether it was verified."""

    statement: str
    source: str
    verified: bool


_SFS_2025_400: Final = (
    "SFS 2025:400 (socialtjänstlagen), Regeringskansliets rättsdatabas, kopia i github.com/se-lex/sfs-processor "
    "data/testdocs/rkrattsbaser/sfs-2025-400.json"
)
_OSL: Final = (
    "SFS 2009:400 (offentlighets- och sekretesslagen), kopia i github.com/se-lex/sfs-processor "
    "(gren workflow-artifact-data) data/md-markers/2009/sfs-2009-400-markers.md"
)
_GDPR: Final = (
    "Förordning (EU) 2016/679 (GDPR), EUR-Lex-text i github.com/mitmedialab/Consent-HackDay Legal/GDPR Markdown/"
)

# One row per legal statement of NOTICE and MORE, in their order (checked in this session, 2026-11).
SOURCES: Final[tuple[Source, ...]] = (
    Source("Not an emergency service; call 112 in an emergency.",
           "112 is the Swedish emergency number (common knowledge, configurable as emergency_number).", True),
    Source("The committee named in the configuration is responsible (controller); DPO contact given.",
           f"{_GDPR} Article 13.1 a-b (identity of the controller, contact details of the DPO). "
           "WHICH committee and the DPO's contact: not verified, municipality settings marked in the README.",
           True),
    Source("Caseworkers and interpreters are bound by secrecy under OSL chapter 26.",
           f"{_OSL} 26 kap. 1 §: sekretess inom socialtjänsten för uppgift om en enskilds personliga "
           "förhållanden (omvänt skaderekvisit).", True),
    Source("The bot asks before Sollefteå asks the other municipality to explain the move.",
           "Policy 2.1 (\"med samtycke från individen kräva en skälig motivering\"); consent_contact in the "
           "question table.", True),
    Source("Transfer to the other municipality or IVO: what they need is shared as the law allows; no "
           "promise of consent.",
           f"{_SFS_2025_400} 29 kap. 12 § (uppgifter som behövs för att en kommun ska kunna ta över ett ärende "
           "enligt 10 eller 11 § ska lämnas ut); {_OSL} 10 kap. 2 § (utlämnande nödvändigt för att fullgöra "
           "verksamheten) and 10 kap. 28 § (uppgiftsskyldighet i lag).", True),
    Source("Telegram is run outside the EU; bot chats are not end-to-end encrypted.",
           "Telegram Privacy Policy 1.4 (\"Telegram is located outside the EEA\") and Telegram FAQ (only "
           "secret chats are end-to-end encrypted; bots receive messages through the Bot API), "
           "github.com/telegramapp/telegramapp.github.io privacy.html and faq.html.", True),
    Source("Unfinished answers are deleted after the configured number of days.",
           "This system's purge (INTAKE_RETENTION_UNFINISHED_DAYS); not a statute.", True),
    Source("A sent intake is part of the social services record; archiving rules limit erasure.",
           f"{_GDPR} Article 17.3 b (no erasure where processing is needed for a legal obligation or a "
           f"public task); {_SFS_2025_400} 14 kap. 3 § (documentation duty) and 16 kap. 1 § (gallring).",
           True),
    Source("Right to see and correct; right to complain to IMY.",
           f"{_GDPR} Article 13.2 b and d, Article 77; IMY is Sweden's supervisory authority and takes "
           "complaints: imy.se/om-oss/vart-uppdrag and imy.se/privatperson/utfora-arenden/lamna-ett-klagomal/.",
           True),
    Source("No right to object to social-services processing.",
           f"{_GDPR} Article 21.1 gives a right to object to processing under Article 6.1 e, which the "
           "controller may override on compelling grounds. The Swedish provision said to exclude it for "
           "social services (lag 2001:454 om behandling av personuppgifter inom socialtjänsten) was NOT "
           "found in the stored sources: to be checked by the data protection officer.", False),
    Source("Legal basis: the public task under the Social Services Act, not consent.",
           f"{_GDPR} Article 6.1 e (a task carried out in the public interest or official authority) and "
           "6.3 (its basis laid down by Member State law, here socialtjänstlagen 2025:400).", True),
    Source("Records are normally deleted five years after the last entry; some kept for research.",
           f"{_SFS_2025_400} 16 kap. 1 § (gallras fem år efter det att sista anteckningen gjordes) and "
           "16 kap. 4 § (undantag av hänsyn till forskningens behov).", True),
    Source("A case moved to another municipality: the law says what they need must be given.",
           f"{_SFS_2025_400} 29 kap. 12 §.", True),
    Source("/exit removes the chat from the screen; what was sent is kept.",
           "INTAKE_SPEC section 2 (/exit) and this system's behaviour; not a statute.", True),
)
