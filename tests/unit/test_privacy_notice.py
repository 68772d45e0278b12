"""The privacy notice in every language: the phone number for everyone, the legal facts, no consent promise."""

from __future__ import annotations

import re

import pytest

from dialogs import privacy
from dialogs.events import Config, IntakeState
from dialogs.i18n import LANGUAGES, render
from dialogs.prompts import privacy_more, question
from dialogs.questions import by_id

CFG = Config(languages=LANGUAGES, social_services_phone="0620-11 22 33", after_hours_phone="0611-44 55 66",
             committee="Vård- och omsorgsnämnden", dpo_contact="dso@example.se", retention_days=17)

# The promise the first notice made ("We share it with the other municipality or IVO only if you agree"), as each
# catalog said it. The law does not let the municipality promise this (29 kap. 12 § SoL 2025:400, 10 kap. OSL).
OLD_PROMISE = {
    "en": "only if you agree", "sv": "bara om du säger ja", "ar": "إلا إذا وافقت", "ti": "እንተ ተሰማሚዕኩም ጥራይ",
    "so": "oo keliya haddii aad oggolaato", "fa_AF": "موافق باشید", "fa": "موافق باشید", "uk": "лише з Вашої згоди",
    "ckb": "تەنها ئەگەر ڕازی بیت", "kmr": "tenê heke tu razî bî", "ps": "موافقه وکړئ", "am": "እርስዎ ከተስማሙ ብቻ",
    "ru": "только если Вы согласны", "tr": "yalnızca siz kabul ederseniz",
}
_PROMISE_EN = re.compile(r"only (if|with) you|without your (consent|agreement)|unless you agree|if you agree", re.I)


def _shown(lang: str) -> tuple[str, str]:
    """The first message (the question with its short notice) and the "Read more" message, as rendered."""
    q = by_id("privacy")
    assert q is not None
    first = "\n\n".join(render(m, lang) for m in question(q, IntakeState(language=lang), CFG).texts)
    more = "\n\n".join(render(m, lang) for m in privacy_more(CFG).texts)
    return first, more


def test_every_language_has_a_known_old_promise() -> None:
    assert set(OLD_PROMISE) == set(LANGUAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_first_message_gives_the_numbers_and_who_is_responsible(lang: str) -> None:
    first, _more = _shown(lang)
    for fact in ("0620-11 22 33", "0611-44 55 66", "112", "Vård- och omsorgsnämnden", "dso@example.se"):
        assert fact in first, f"{lang}: {fact} missing from the first message"
    for name in ("OSL", "26", "IVO", "IMY"):  # secrecy, who may take over, where to complain
        assert name in first, f"{lang}: {name} missing from the first message"
    assert len(first) <= 4096


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_consent_promise_about_the_other_municipality_or_ivo(lang: str) -> None:
    first, more = _shown(lang)
    assert OLD_PROMISE[lang] not in first + more


def test_the_english_source_promises_no_consent() -> None:
    for msg in (*privacy.NOTICE, *privacy.MORE):
        assert not _PROMISE_EN.search(msg.msgid), msg.msgid


@pytest.mark.parametrize("lang", LANGUAGES)
def test_read_more_adds_only_what_the_short_notice_did_not_say(lang: str) -> None:
    first, more = _shown(lang)
    first_paragraphs = set(first.split("\n\n"))
    assert not first_paragraphs & set(more.split("\n\n"))
    for fact in ("0620-11 22 33", "Vård- och omsorgsnämnden", "dso@example.se", "OSL"):
        assert fact not in more, f"{lang}: 'Read more' repeats {fact}"
    assert "imy.se" in more and "/mydata" in more and "/exit" in more


def test_every_statement_keeps_its_source_and_the_unverified_are_marked() -> None:
    assert all(s.statement and s.source for s in privacy.SOURCES)
    unverified = [s.statement for s in privacy.SOURCES if not s.verified]
    assert unverified == ["No right to object to social-services processing."]
