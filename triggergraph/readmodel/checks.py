"""Checks of the values a read asks for: language, page, scale values, known ids, columns."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from ..exceptions import EntryError, NotFoundError, Problem
from ..vocabulary import suggest

if TYPE_CHECKING:
    from ..vocabulary import Vocabulary

#: The languages of labels and explanations.
LANGS: tuple[str, ...] = ("nl", "en")
#: The largest page the read model answers (the typed queries allow less).
MAX_LIMIT = 1000


def invalid_value(field_name: str, value: object, valid: Iterable[str]) -> EntryError:
    """An :class:`EntryError` naming the field, the bad value, what is valid and close matches.

    Examples
    --------
    >>> invalid_value("lang", "de", LANGS).problems[0].message
    "'de' is not a valid lang; valid: nl, en"
    """
    options = list(valid)
    shown = ", ".join(options[:20]) + (", ..." if len(options) > 20 else "")
    return EntryError(
        [
            Problem(
                None,
                None,
                field_name,
                f"{value!r} is not a valid {field_name}; valid: {shown}",
                tuple(suggest(value, options)),
            )
        ]
    )


def check_lang(lang: str) -> str:
    """Return ``lang`` when it is ``nl`` or ``en``; else raise :class:`EntryError`."""
    if lang not in LANGS:
        raise invalid_value("lang", lang, LANGS)
    return lang


def check_page(offset: int, limit: int) -> tuple[int, int]:
    """Return ``(offset, limit)`` when they make a page; else raise :class:`EntryError`."""
    if not isinstance(offset, int) or offset < 0:
        raise EntryError([Problem(None, None, "offset", f"{offset!r} must be an integer >= 0")])
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise EntryError(
            [Problem(None, None, "limit", f"{limit!r} must be an integer from 1 to {MAX_LIMIT}")]
        )
    return offset, limit


def check_scale(
    vocabulary: Vocabulary, scheme: str, value: str | None, field_name: str
) -> str | None:
    """Return ``value`` when it is None or a value of the closed scale ``scheme``."""
    if value is not None and value not in vocabulary.scales[scheme]:
        raise invalid_value(field_name, value, vocabulary.scales[scheme])
    return value


def check_known(kind: str, value: str, table: Collection[str]) -> str:
    """Return ``value`` when ``table`` holds it; else raise :class:`NotFoundError` with
    suggestions.

    Membership is tested on the table itself (a dict of 100k findings answers in O(1)); the
    options are listed only for the suggestions of a miss.
    """
    if value not in table:
        raise NotFoundError(kind, value, suggest(value, list(table)))
    return value
