"""Construct proposals: what a researcher proposes, checked against the vocabulary, and its Turtle.

A proposal names a new construct (id, Dutch and English label and definition, level), the
trigger factors it maps to with a SKOS mapping kind (``oppositeOf`` for a protective opposite,
counted with the direction inverted), the reason for the mapping and the work it comes from.
It is stored as *proposed* (see :mod:`triggergraph.service.proposals`) and changes nothing
public until a curator publishes it; a published proposal is listed publicly with the Turtle
block that adds it to ``ontology/constructs.ttl``, which stays the one source of the
vocabulary's terms.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from rdflib import Literal as RdfLiteral

from .exceptions import ConflictError, EntryError, Problem
from .vocabulary import Vocabulary, suggest

#: SKOS mapping kinds a proposal may use, and ``oppositeOf`` (``tg:oppositeOf``).
MAPPING_KINDS = ("closeMatch", "broadMatch", "narrowMatch", "relatedMatch", "oppositeOf")
#: States of a proposal.
PROPOSAL_STATES = ("proposed", "published", "rejected")
#: An id: lower_snake_case, as the ontology's notations.
CONSTRUCT_ID_PATTERN = r"^[a-z][a-z0-9_]{1,63}$"


class LangText(BaseModel):
    """A text in English and Dutch."""

    model_config = ConfigDict(extra="forbid")

    en: str = Field(min_length=1, max_length=2000)
    nl: str = Field(min_length=1, max_length=2000)


class MappingProposal(BaseModel):
    """A trigger factor the construct maps to, and how."""

    model_config = ConfigDict(extra="forbid")

    factor: str = Field(max_length=100, description="A trigger factor id.")
    kind: Literal["closeMatch", "broadMatch", "narrowMatch", "relatedMatch", "oppositeOf"] = Field(
        description="'oppositeOf' for a protective opposite (its findings count inverted)."
    )


class ConstructProposal(BaseModel):
    """A construct proposed for the vocabulary (see docs/constructs.md)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=CONSTRUCT_ID_PATTERN, examples=["substance_use"])
    label: LangText
    definition: LangText
    level: Literal["micro", "meso", "macro"]
    mappings: list[MappingProposal] = Field(default_factory=list, max_length=10)
    reason: str = Field(
        min_length=1,
        max_length=2000,
        description="Why the construct is needed and what supports each mapping (source, page).",
    )
    source: str | None = Field(
        default=None, max_length=500, description="The work the term is taken from."
    )
    proposed_by: str = Field(min_length=1, max_length=200)


def polarity(kind: str) -> str:
    """``opposite`` for ``oppositeOf``, else ``same``.

    Examples
    --------
    >>> polarity("oppositeOf"), polarity("relatedMatch")
    ('opposite', 'same')
    """
    return "opposite" if kind == "oppositeOf" else "same"


def check_proposal(proposal: ConstructProposal, vocabulary: Vocabulary) -> None:
    """Refuse a proposal whose id is taken or whose mappings name no trigger factor.

    Raises
    ------
    ConflictError
        The id is already a trigger factor or construct of the vocabulary.
    EntryError
        A mapping names an unknown factor or one factor twice; each problem names the field
        (``mappings[0].factor``), the value and close trigger factor ids.
    """
    if proposal.id in vocabulary.factors or proposal.id in vocabulary.constructs:
        raise ConflictError(
            f"{proposal.id!r} is already a term of the vocabulary; pick another id "
            "or code findings on the existing term"
        )
    problems = []
    seen: set[str] = set()
    for n, mapping in enumerate(proposal.mappings):
        field = f"mappings[{n}].factor"
        if mapping.factor not in vocabulary.factors:
            close = suggest(mapping.factor, vocabulary.factors)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            problems.append(
                Problem(
                    file=None,
                    line=None,
                    field=field,
                    message=f"{mapping.factor!r} is not a trigger factor id{hint}",
                )
            )
        elif mapping.factor in seen:
            problems.append(
                Problem(
                    file=None,
                    line=None,
                    field=field,
                    message=f"{mapping.factor!r} is mapped twice; keep one mapping per factor",
                )
            )
        seen.add(mapping.factor)
    if problems:
        raise EntryError(problems)


def proposal_turtle(proposal: ConstructProposal) -> str:
    """The Turtle block that adds a published proposal to ``ontology/constructs.ttl``.

    Every text is written as an escaped Turtle literal, so nothing a proposer typed can end
    the literal.

    Examples
    --------
    >>> p = ConstructProposal(id="x_y", label={"en": 'A "b"', "nl": "C"},
    ...     definition={"en": "D", "nl": "E"}, level="micro", reason="R", proposed_by="me",
    ...     mappings=[{"factor": "detention", "kind": "relatedMatch"}])
    >>> print(proposal_turtle(p).splitlines()[1])
        skos:prefLabel "A \\"b\\""@en , "C"@nl ;
    """

    def text(value: str, lang: str | None = None) -> str:
        return RdfLiteral(value, lang=lang).n3().replace("\n", "\\n")

    lines = [
        f"<construct/{proposal.id}> a tg:RiskConstruct ; skos:inScheme <scheme/constructs> ; "
        f"skos:notation {text(proposal.id)} ;",
        f"    skos:prefLabel {text(proposal.label.en, 'en')} , {text(proposal.label.nl, 'nl')} ;",
        f"    skos:definition {text(proposal.definition.en, 'en')} ,",
        f"                    {text(proposal.definition.nl, 'nl')} ;",
    ]
    for mapping in proposal.mappings:
        prefix = "tg" if mapping.kind == "oppositeOf" else "skos"
        lines.append(f"    {prefix}:{mapping.kind} <factor/{mapping.factor}> ;")
    if proposal.mappings:
        lines.append(f"    tg:mappingNote {text(proposal.reason, 'en')} ;")
    if proposal.source:
        lines.append(f"    dcterms:source {text(proposal.source)} ;")
    lines.append(f"    tg:level <level/{proposal.level}> .")
    return "\n".join(lines) + "\n"
