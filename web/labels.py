"""Swedish names the console shows for ids that are not case data: languages, roles, sign-in methods."""

from __future__ import annotations

__all__ = ["LANGUAGE_SV", "METHOD_SV", "ROLE_SV", "language_sv"]

LANGUAGE_SV = {
    "sv": "svenska", "en": "engelska", "ar": "arabiska", "ti": "tigrinska", "so": "somaliska", "fa_AF": "dari",
    "fa": "persiska", "uk": "ukrainska", "ckb": "kurdiska (sorani)", "kmr": "kurdiska (kurmanji)", "ps": "pashto",
    "am": "amhariska", "ru": "ryska", "tr": "turkiska",
}
ROLE_SV = {"caseworker": "handläggare", "interpreter": "tolk", "admin": "administratör"}
METHOD_SV = {"password": "lösenord och kod", "oidc": "kommunens inloggning", "link": "engångslänk"}


def language_sv(code: str | None) -> str:
    return LANGUAGE_SV.get(code or "", code or "–")
