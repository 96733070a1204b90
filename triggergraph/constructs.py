"""The construct vocabulary as one answer: constructs, their labels and definitions, their mappings."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from .exceptions import NotFoundError
from .vocabulary import INVERTING_MAPPINGS, LANGUAGES, suggest

if TYPE_CHECKING:
    from .vocabulary import Concept, Vocabulary

#: what a SKOS mapping property says about the construct and the trigger factor it points at
MAPPING_MEANINGS: dict[str, str] = {
    "exactMatch": "the same thing",
    "closeMatch": "nearly the same event or experience",
    "broadMatch": "the trigger factor is broader than the construct",
    "narrowMatch": "the trigger factor is narrower than the construct",
    "relatedMatch": "related, but a different thing (a state, a perception, a precursor)",
    "oppositeOf": "the construct is the protective opposite of the trigger factor: its "
    "findings count for the factor with their direction inverted",
}


def fold_text(text: str) -> str:
    """Lower-case ``text`` and strip accents, so 'Vertrouwen' and 'vertrouwén' match.

    Examples
    --------
    >>> fold_text("Waargenomen Discriminatie")
    'waargenomen discriminatie'
    >>> fold_text("Überzeugung")
    'uberzeugung'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _searchable(concept: Concept) -> str:
    parts = [concept.id, concept.id.replace("_", " "), *concept.alt_labels]
    for lang in LANGUAGES:
        parts.append(concept.labels.get(lang, ""))
        parts.append(concept.definitions.get(lang, ""))
    return fold_text(" \n ".join(parts))


def matches_query(concept: Concept, query: str | None) -> bool:
    """True when every word of ``query`` occurs in the concept's id, labels or definitions.

    Both languages are searched whatever the display language, so a Dutch word finds an
    English-speaking curator's construct and the reverse.
    """
    if not query or not query.strip():
        return True
    haystack = _searchable(concept)
    return all(word in haystack for word in fold_text(query).split())


def mapping_dicts(vocabulary: Vocabulary, concept: Concept, lang: str) -> list[dict]:
    """The trigger factors a construct maps to, each ``{id, iri, label, mapping, meaning, polarity}``.

    ``polarity`` is ``opposite`` for a protective opposite (``tg:oppositeOf``), whose findings
    count for the factor with their direction inverted, else ``same``.
    """
    out = []
    for target, mapping in concept.maps_to:
        factor = vocabulary.factors.get(target)
        if factor is None:
            continue
        out.append(
            {
                "id": factor.id,
                "iri": factor.iri,
                "label": factor.label(lang),
                "mapping": mapping,
                "meaning": MAPPING_MEANINGS.get(mapping, mapping),
                "polarity": "opposite" if mapping in INVERTING_MAPPINGS else "same",
            }
        )
    return out


def construct_dict(vocabulary: Vocabulary, concept: Concept, lang: str = "en") -> dict:
    """One construct as the vocabulary describes it (no findings).

    Returns
    -------
    dict
        ``{id, iri, label, labels, definition, definitions, alt_labels, notes, level,
        maps_to: [{id, iri, label, mapping, meaning, polarity}], mapping_note,
        counts_for_a_cell, sources}``; ``counts_for_a_cell`` is false when findings on the construct
        count for no cell of the matrix (no mapping, or only as context in a bundle).
    """
    return {
        "id": concept.id,
        "iri": concept.iri,
        "label": concept.label(lang),
        "labels": dict(concept.labels),
        "definition": concept.definitions.get(lang)
        or next(iter(concept.definitions.values()), None),
        "definitions": dict(concept.definitions),
        "alt_labels": list(concept.alt_labels),
        "notes": dict(concept.notes),
        "level": concept.level,
        "maps_to": mapping_dicts(vocabulary, concept, lang),
        "mapping_note": dict(concept.mapping_notes),
        "counts_for_a_cell": bool(vocabulary.triggers_for(concept.id)),
        "sources": list(concept.sources),
    }


def list_constructs(
    vocabulary: Vocabulary,
    query: str | None = None,
    lang: str = "en",
    offset: int = 0,
    limit: int | None = None,
) -> dict:
    """Constructs whose id, labels or definitions (Dutch or English) hold every word of ``query``.

    Parameters
    ----------
    vocabulary : Vocabulary
        The loaded vocabulary.
    query : str, optional
        Words to look for, accents and case ignored; all constructs without it.
    lang : {"en", "nl"}
        Language of ``label`` and ``definition`` (both languages stay in ``labels`` and
        ``definitions``).
    offset, limit : int
        Paging; ``limit=None`` returns every match.

    Returns
    -------
    dict
        ``{total, offset, limit, items: [construct_dict]}``, sorted by id.

    Examples
    --------
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> page = list_constructs(load_vocabulary(), "discriminatie", lang="nl")
    >>> "perceived_discrimination" in [c["id"] for c in page["items"]]
    True
    """
    if lang not in LANGUAGES:
        raise NotFoundError("language", lang, list(LANGUAGES))
    hits = [
        construct_dict(vocabulary, c, lang)
        for c in sorted(vocabulary.constructs.values(), key=lambda c: c.id)
        if matches_query(c, query)
    ]
    end = None if limit is None else offset + limit
    return {"total": len(hits), "offset": offset, "limit": limit, "items": hits[offset:end]}


def find_construct(vocabulary: Vocabulary, ident: str) -> Concept:
    """Return one construct or raise :class:`NotFoundError` with close ids."""
    concept = vocabulary.constructs.get(ident)
    if concept is None:
        raise NotFoundError("construct", ident, suggest(ident, vocabulary.constructs))
    return concept


def format_constructs(page: dict, lang: str = "en") -> str:
    """Plain-text listing of a :func:`list_constructs` page, as ``triggergraph vocab`` prints it."""
    other = "nl" if lang == "en" else "en"
    lines: list[str] = []
    for item in page["items"]:
        lines.append(f"{item['id']}")
        lines.append(f"  {lang}: {item['labels'].get(lang, '-')}")
        lines.append(f"  {other}: {item['labels'].get(other, '-')}")
        if item["definition"]:
            lines.append(f"  definition: {item['definition']}")
        for target in item["maps_to"]:
            opposite = ", counted inverted" if target["polarity"] == "opposite" else ""
            lines.append(f"  -> {target['id']} ({target['mapping']}{opposite}): {target['label']}")
        if not item["maps_to"]:
            lines.append("  -> maps to no trigger factor: its findings reach no cell")
        elif not item["counts_for_a_cell"]:
            lines.append("  -> named with other events only: its findings are context, no cell")
        note = item["mapping_note"].get(lang) or next(iter(item["mapping_note"].values()), None)
        if note:
            lines.append(f"  why: {note}")
        for source in item.get("sources") or []:
            lines.append(f"  source: {source}")
        lines.append("")
    noun = "construct" if page["total"] == 1 else "constructs"
    lines.append(f"{page['total']} {noun}")
    return "\n".join(lines)


def search_terms(
    vocabulary: Vocabulary, query: str | None, lang: str = "en", limit: int = 20
) -> list[dict]:
    """Trigger factors, then constructs, that match ``query`` (as :func:`matches_query`).

    What the entry form's factor picker shows: ``[{id, kind, label, definition,
    counts_for_a_cell}]``; a construct without a mapping has ``counts_for_a_cell`` false.

    Examples
    --------
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> [t["kind"] for t in search_terms(load_vocabulary(), "detentie", "nl")][:1]
    ['factor']
    """
    if lang not in LANGUAGES:
        raise NotFoundError("language", lang, list(LANGUAGES))
    out = []
    for concept in [
        *vocabulary.ordered_factors(),
        *sorted(vocabulary.constructs.values(), key=lambda c: c.id),
    ]:
        if not matches_query(concept, query):
            continue
        out.append(
            {
                "id": concept.id,
                "kind": concept.kind,
                "label": concept.label(lang),
                "definition": concept.definitions.get(lang)
                or next(iter(concept.definitions.values()), None),
                "counts_for_a_cell": bool(vocabulary.triggers_for(concept.id)),
            }
        )
        if len(out) >= limit:
            break
    return out
