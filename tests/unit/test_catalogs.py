"""Catalog hygiene, for every language: complete, placeholders intact, compiles, fits Telegram."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from dialogs.events import Config, IntakeState
from dialogs.i18n import LANGUAGES, LOCALES_DIR, N_, RTL_LANGUAGES, language_name, render
from dialogs.prompts import question, summary
from dialogs.questions import QUESTIONS, Kind
from tests.unit.conversation import FORM1_SV

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
HUMAN_CHECKED = re.compile(r"human-checked: (yes|no)")
# Entries that may read the same in another language: only placeholders, symbols or names.
_SAME_OK = re.compile(r"^[\s{}a-z_:,•✓◀✏️/()0-9.+-]*$|^Sollefteå$|^IVO$")


def _catalog(lang: str) -> Catalog:
    with open(LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale=None)


def _template() -> Catalog:
    with open(LOCALES_DIR / "messages.pot", "rb") as fh:
        return read_po(fh)


def _key(message_id: str | tuple[str, ...], context: str | None) -> tuple[str, str | None]:
    return (message_id if isinstance(message_id, str) else message_id[0], context)


def test_every_language_of_the_spec_has_a_catalog() -> None:
    missing = [lang for lang in LANGUAGES if not (LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po").exists()]
    assert not missing


def test_template_is_current_with_the_code() -> None:
    keywords = {"N_": None, "P_": ((1, "c"), 2), "NN_": (1, 2)}
    in_code = set()
    for folder in ("bot", "dialogs", "casework"):
        for _file, _line, message, _comments, context in extract_from_dir(
            ROOT / folder, keywords=keywords, comment_tags=("Translators:",)
        ):
            in_code.add(_key(message, context))
    in_template = {_key(m.id, m.context) for m in _template() if m.id}
    assert in_code == in_template, "run `make catalogs`"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_is_complete_and_correct(lang: str) -> None:
    path = LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        pytest.fail(f"no catalog for {lang}")
    catalog = _catalog(lang)
    template = {_key(m.id, m.context) for m in _template() if m.id}
    entries = {_key(m.id, m.context): m for m in catalog if m.id}
    assert template <= set(entries), f"{lang}: missing {sorted(template - set(entries))[:5]}"
    assert HUMAN_CHECKED.search(catalog.language_team or ""), f"{lang}: Language-Team must say human-checked"
    problems = []
    for key, m in entries.items():
        if key not in template:
            continue
        if m.fuzzy:
            problems.append(f"fuzzy: {key}")
        sources = [m.id] if isinstance(m.id, str) else list(m.id)
        forms = [m.string] if isinstance(m.string, str) else list(m.string)
        if not forms or any(not f for f in forms):
            problems.append(f"empty: {key}")
            continue
        wanted = set(PLACEHOLDER.findall(sources[-1]))
        for form in forms:
            got = set(PLACEHOLDER.findall(form))
            # a plural form for exactly one item may say "one" instead of {n}
            if got != wanted and not (len(forms) > 1 and got == wanted - {"{n}"}):
                problems.append(f"placeholders {sorted(got)} != {sorted(wanted)}: {key}")
        if lang not in ("en",) and forms[0] == sources[0] and not _SAME_OK.match(sources[0]):
            problems.append(f"copied English: {key}")
    assert not problems, f"{lang}: " + "; ".join(problems[:10])
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    assert buffer.getvalue()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_question_renders_within_telegram_limits(lang: str) -> None:
    cfg = Config(languages=LANGUAGES)
    state = IntakeState(language=lang, answers=dict(FORM1_SV) | {"children_count": 3, "interpreter": "yes"},
                        path=("language",))
    replies = [question(q, state, cfg) for q in QUESTIONS if q.kind is not Kind.SUMMARY] + [summary(state)]
    for reply in replies:
        text = "\n\n".join(render(m, lang) for m in reply.texts)
        assert 0 < len(text) <= 4096
        for row in reply.buttons:
            for b in row:
                assert len(b.data.encode()) <= 64, b.data
                label = b.text(lang)
                assert 0 < len(label) <= 64, (lang, label)


@pytest.mark.parametrize("lang", sorted(RTL_LANGUAGES))
def test_right_to_left_catalogs_isolate_left_to_right_insertions(lang: str) -> None:
    shown = render(N_("Thank you. Your answers are sent. Your case number is {reference}.", reference="SOL-2026-0042"),
                   lang)
    assert "\u2068SOL-2026-0042\u2069" in shown
    number = render(N_("{phone}", phone="+46701234567"), lang)
    assert number == "\u2068+46701234567\u2069"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_names_are_in_their_own_script(lang: str) -> None:
    name = language_name(lang)
    assert name and name.lower() != lang
