"""The transcript as a printable, bilingual HTML record: the person's language beside Swedish.

Each cell carries its language (`lang`) and, for right-to-left languages, `dir="rtl"`; everything
is escaped (Jinja2 autoescape), since every text in it may come from a person.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from jinja2 import Environment

from casework.labels import MESSAGE_KIND_NAMES
from casework.transcript import FileRef, Transcript, TranscriptLine, TranslationInfo
from dialogs.i18n import RTL_LANGUAGES, language_name

__all__ = ["FILE_STATUS", "KIND_NAMES", "to_html"]

KIND_NAMES = MESSAGE_KIND_NAMES  # kept under its old name for the shells that import it from here

LOCAL = ZoneInfo("Europe/Stockholm")
SENDERS = {"person": "Personen", "bot": "Boten", "caseworker": "Handläggare"}
FILE_STATUS = {
    "stored": "sparad", "too_large": "för stor, inte mottagen", "failed": "kunde inte hämtas",
    "pending": "hämtas", "not_fetched": "inte hämtad än", "not_kept": "inte sparad (skickad utanför berättelsen)",
}

_TEMPLATE = """<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<title>Transkript {{ t.reference }}</title>
<style>
  @page { size: A4; margin: 14mm 12mm; }
  body { font-family: "Noto Sans", "Segoe UI", Arial, sans-serif; font-size: 10.5pt; color: #111; margin: 1.5em; }
  header h1 { font-size: 15pt; margin: 0 0 .3em; }
  header dl { display: grid; grid-template-columns: max-content 1fr; gap: .1em 1em; margin: 0 0 1em; }
  header dt { font-weight: 600; }
  header dd { margin: 0; }
  table { width: 100%; border-collapse: collapse; table-layout: fixed; }
  thead { display: table-header-group; }
  th, td { border: 1px solid #999; padding: .35em .5em; vertical-align: top; overflow-wrap: anywhere; }
  th { background: #eee; text-align: start; }
  col.n { width: 2.6em; } col.meta { width: 8.5em; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  tr.person td { background: #f4f8ff; }
  tr.caseworker td { background: #f6fff2; }
  .text { white-space: pre-wrap; }
  .part { margin: 0 0 .4em; } .part:last-child { margin-bottom: 0; }
  .ref { color: #555; font-size: 8.5pt; }
  .note { color: #444; font-size: 8.5pt; margin-top: .3em; }
  .missing { color: #a00; }
  .verified { color: #060; }
  @media print { body { margin: 0; } tr.person td, tr.caseworker td, th { -webkit-print-color-adjust: exact;
                 print-color-adjust: exact; } }
</style>
</head>
<body>
<header>
  <h1>Transkript {{ t.reference }}</h1>
  <dl>
    <dt>Ärende</dt><dd>{{ t.reference }} · inkommet {{ when(t.created_at) }} · status {{ t.status }}</dd>
    <dt>Utskrivet</dt><dd>{{ when(t.exported_at) }} (svensk tid)</dd>
    <dt>Språk</dt><dd><span lang="{{ tag(t.language) }}" dir="{{ direction(t.language) }}">{{ name(t.language) }}</span>
      ({{ t.language }}) och svenska (sv)</dd>
    <dt>Tolk</dt><dd>{{ t.interpreter or "ingen tilldelad" }}</dd>
    <dt>Rader</dt><dd>{{ t.lines|length }}. Personens meddelanden står ordagrant; boten och handläggarens
      standardmeddelanden visas som personen såg dem och på svenska.</dd>
  </dl>
</header>
<table>
  <colgroup><col class="n"><col class="meta"><col><col></colgroup>
  <thead>
    <tr><th>#</th><th>Tid, från</th>
      <th lang="{{ tag(t.language) }}" dir="{{ direction(t.language) }}">{{ name(t.language) }}</th>
      <th lang="sv">Svenska</th></tr>
  </thead>
  <tbody>
  {% for ln in t.lines %}
    <tr class="{{ ln.sender }}" id="rad-{{ ln.n }}">
      <td>{{ ln.n }}</td>
      <td>{{ when(ln.time) }}<br>{{ senders[ln.sender] }}<br><span class="ref">{{ kind(ln.kind) }}</span></td>
      <td lang="{{ tag(ln.language) }}" dir="{{ direction(ln.language) }}">
        {% if ln.parts|length > 1 %}{% for p in ln.parts %}<p class="part text"><span class="ref"
          dir="ltr">{{ ln.n }}.{{ loop.index }}</span> {{ p.text }}</p>{% endfor %}
        {% elif ln.text %}<div class="text">{{ ln.text }}</div>{% endif %}
        {% for f in ln.files %}<div class="note" lang="sv" dir="ltr">{{ file(f) }}</div>{% endfor %}
      </td>
      <td lang="sv" dir="ltr">
        {% if ln.parts|length > 1 %}{% for p in ln.parts %}<p class="part text"><span
          class="ref">{{ ln.n }}.{{ loop.index }}</span> {{ p.text_sv }}</p>{% endfor %}
        {% elif ln.text_sv %}<div class="text">{{ ln.text_sv }}</div>{% endif %}
        {% if ln.translation %}<div class="note {{ 'verified' if ln.translation.status == 'verified' else '' }}">
          {{ status(ln.translation) }}</div>
        {% elif ln.needs_translation %}<div class="note missing">Inte översatt än.</div>{% endif %}
      </td>
    </tr>
  {% endfor %}
  </tbody>
</table>
</body>
</html>
"""

_ENV = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
_COMPILED = _ENV.from_string(_TEMPLATE)


def _when(value: datetime | None) -> str:
    if value is None:
        return "–"
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return value.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M")


def _tag(language: str) -> str:
    """A BCP 47 language tag: fa_AF -> fa-AF."""
    return language.replace("_", "-")


def _direction(language: str) -> str:
    return "rtl" if language in RTL_LANGUAGES else "ltr"


def _size(size: int | None) -> str:
    if size is None:
        return "okänd storlek"
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} kB"


def _file(f: FileRef) -> str:
    bits = [KIND_NAMES.get(f.kind, f.kind), FILE_STATUS.get(f.status, f.status)]
    if f.file_name:
        bits.append(f.file_name)
    bits.append(f.mime or "okänd typ")
    bits.append(_size(f.size))
    if f.sha256:
        bits.append(f"sha256 {f.sha256[:16]}…")
    if f.id is not None:
        bits.append(f"fil {f.id}")
    return " · ".join(bits)


def _status(tr: TranslationInfo) -> str:
    by, at = tr.translated_by or "okänd", _when(tr.translated_at)
    if tr.status == "verified":
        return f"Verifierad av {tr.verified_by or 'okänd'} {_when(tr.verified_at)} (översatt av {by} {at})"
    return f"Utkast av {by} {at}, inte verifierad"


def _kind(kind: str) -> str:
    return KIND_NAMES.get(kind, kind)


def to_html(t: Transcript) -> str:
    lines: list[TranscriptLine] = t.lines
    return _COMPILED.render(t=t, lines=lines, when=_when, tag=_tag, direction=_direction, name=language_name,
                            senders=SENDERS, kind=_kind, file=_file, status=_status)
