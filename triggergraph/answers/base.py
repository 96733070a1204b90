"""The base of every answer model: known fields listed, fields added by the read model kept."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Answer(BaseModel):
    """An answer (or part of one) as the read model builds it.

    ``extra="allow"``: a cell is validated from the verdict's own data
    (:meth:`~triggergraph.verdict.CellVerdict.as_dict`), and a field it gains (for instance a
    new part of a cell's verdict) is kept and served, not dropped or refused, until it is
    named here too.
    """

    model_config = ConfigDict(extra="allow")


class Page(Answer):
    """A page of a list: ``total`` counts every match, ``items`` holds ``offset``..``offset+limit``."""

    total: int
    offset: int
    limit: int


class Ref(Answer):
    """A vocabulary concept by id, IRI and label in the asked language."""

    id: str
    iri: str | None
    label: str


class ScaleRef(Answer):
    """A value of a closed scale (direction, certainty, caveat, ...) with its label."""

    id: str
    label: str
