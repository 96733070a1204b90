"""Field types and checks shared by the entry models: id patterns, text and URL types, error helpers."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    ValidationInfo,
)
from pydantic_core import PydanticCustomError

if TYPE_CHECKING:
    from ..vocabulary import Vocabulary


SOURCE_ID_PATTERN = r"^[a-z0-9][a-z0-9_\-]{0,63}$"
FINDING_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"
DOI_PATTERN = r"^10\.\d{4,9}/\S+$"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
SourceId = Annotated[str, StringConstraints(pattern=SOURCE_ID_PATTERN)]
FindingId = Annotated[str, StringConstraints(pattern=FINDING_ID_PATTERN)]
#: Characters a URL may hold but an IRI may not; stored percent-encoded so the RDF holds the
#: same text as the entry (``rdf`` writes ``tg:verifiedFrom`` as an IRI).
IRI_UNSAFE = re.compile(r'[<>"{}|\\^`]')


def _iri_safe(url: str) -> str:
    return IRI_UNSAFE.sub(lambda m: f"%{ord(m.group(0)):02X}", url)


# Controls are refused, not encoded: a URL with one is a paste accident, not an address.
Url = Annotated[
    str,
    StringConstraints(pattern=r"^https?://[^\s\x00-\x1f\x7f]+$", max_length=2000),
    AfterValidator(_iri_safe),
]


def _not_yes_no(value: Any) -> Any:
    """Refuse booleans where numbers belong (YAML reads ``yes``/``true`` as one)."""
    if isinstance(value, bool):
        raise _error(
            "wrong_type",
            "{value!r} is a yes/no value, not a number; write the number",
            {"value": value},
        )
    return value


def _not_number_day(value: Any) -> Any:
    """Refuse numbers for dates (pydantic would read them as seconds since 1970)."""
    if isinstance(value, int | float):
        raise _error(
            "wrong_type",
            "{value!r} is a number, not a date; write the date as YYYY-MM-DD",
            {"value": value},
        )
    return value


Number = Annotated[float, BeforeValidator(_not_yes_no)]
Whole = Annotated[int, BeforeValidator(_not_yes_no)]
Day = Annotated[date, BeforeValidator(_not_number_day)]

#: Bounds each effect measure must respect (inclusive; None = open).
MEASURE_RANGES: dict[str, tuple[float | None, float | None]] = {
    "r": (-1.0, 1.0),
    "fisher_z": (-5.0, 5.0),
    "odds_ratio": (0.0, None),
    "risk_ratio": (0.0, None),
    "ratio": (0.0, None),
    "percent": (0.0, 100.0),
    "count": (0.0, None),
    "cohen_d": (-10.0, 10.0),
    "hedges_g": (-10.0, 10.0),
    "hazard_ratio": (0.0, None),
    "beta": (None, None),
}


def _error(code: str, template: str, context: dict[str, Any]) -> PydanticCustomError:
    """A validation error whose message is formatted here (pydantic templates do no ``!r``).

    ``context["loc"]``, if given, is the path below the validated model the error is about; the
    loader appends it to the error's location.
    """
    kept = {k: v for k, v in context.items() if k in ("suggestions", "loc")}
    # pydantic fills ``{key}`` placeholders one context key after the other and knows no
    # ``{{`` escape; with the message as the last key, braces in a value come through unchanged.
    kept["message"] = template.format(**context)
    return PydanticCustomError(code, "{message}", kept)


def _unique(values: list[str], what: str) -> list[str]:
    """Refuse a repeated value: RDF keeps a set, so the repeat would vanish on the way."""
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            raise _error(
                "duplicate",
                "{value!r} is listed twice in {what}; list each value once",
                {"value": value, "what": what, "loc": (index,)},
            )
        seen.add(value)
    return values


def agent_key(name: str) -> str:
    """Return the key two ``added_by`` names share when they would be one agent in the RDF.

    Must equal ``triggergraph.rdf.agent_slug`` (a test checks it).

    Examples
    --------
    >>> agent_key("Müller, K.") == agent_key("muller k")
    True
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or "agent-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]


def _vocabulary(info: ValidationInfo) -> Vocabulary | None:
    context = info.context or {}
    return context.get("vocabulary")


def _unknown(kind: str, value: str, choices, index: int | None = None) -> PydanticCustomError:
    from difflib import get_close_matches

    options = sorted(choices)
    close = get_close_matches(str(value), options, n=3, cutoff=0.6)
    if close:
        hint = "did you mean " + " or ".join(repr(c) for c in close) + "?"
    else:
        shown = ", ".join(options[:12]) + (", ..." if len(options) > 12 else "")
        hint = f"valid values: {shown}"
    return _error(
        "unknown_id",
        "{value!r} is not a {kind}; {hint}",
        {"value": value, "kind": kind, "hint": hint, "suggestions": close}
        | ({} if index is None else {"loc": (index,)}),
    )


def _check_scale(
    info: ValidationInfo, scheme: str, value: str | None, index: int | None = None
) -> str | None:
    """``value`` if the scale has it; ``index`` is its place when it is an item of a list."""
    vocab = _vocabulary(info)
    if value is None or vocab is None:
        return value
    if value not in vocab.scales[scheme]:
        raise _unknown(f"{scheme.replace('-', ' ')} value", value, vocab.scales[scheme], index)
    return value


class EntryModel(BaseModel):
    """Base of all entry models: unknown keys are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False)
