"""The viewer's message catalogues (gettext, managed with Babel) and the languages it speaks."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.support import NullTranslations, Translations

LANGUAGES = ("nl", "en")
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark ``message`` for extraction without translating it (it is translated where shown).

    Examples
    --------
    >>> N_("strong")
    'strong'
    """
    return message


@lru_cache(maxsize=len(LANGUAGES))
def translations_for(lang: str) -> NullTranslations:
    """Return the compiled catalogue of ``lang`` (``locale/<lang>/LC_MESSAGES/messages.mo``).

    Examples
    --------
    >>> translations_for("nl").gettext("Evidence map")
    'Bewijskaart'
    >>> translations_for("nl").ngettext("%(num)d finding", "%(num)d findings", 1) % {"num": 1}
    '1 bevinding'
    """
    if lang not in LANGUAGES:
        raise ValueError(f"{lang!r} is not a language; valid: {', '.join(LANGUAGES)}")
    return Translations.load(str(LOCALE_DIR), [lang], DOMAIN)


def translate(lang: str, message: str) -> str:
    """Return ``message`` (an English msgid) in ``lang``.

    Examples
    --------
    >>> translate("nl", "contested")
    'tegenstrijdig'
    """
    return translations_for(lang).gettext(message)
