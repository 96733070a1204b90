"""The record of every change to a source: PROV-O activities and revisions in the store, and diffs.

Each source has a history graph ``B graph/history/{id}``. Every change through the API or the
CLI adds, in the same atomic store write as the change itself, one ``prov:Activity``::

    <B change/{change}> a prov:Activity ;
        dcterms:type "proposed" ;                  # the action, see ACTIONS
        prov:wasAssociatedWith <B agent/{slug}> ;  # who
        prov:startedAtTime "..."^^xsd:dateTime ;   # when
        rdfs:comment "why" ;                       # why
        prov:used <B source/{id}/revision/{earlier}> ;     # the revision it replaces
        prov:generated <B source/{id}/revision/{change}> . # the revision it makes (what)

and the revision it generates (a ``prov:Entity``, ``prov:specializationOf`` the source, its
``dcterms:type`` ``published`` or ``proposed``, the whole entry as JSON in ``prov:value``).
Revisions are never removed, so every earlier version stays readable. A source loaded from
``literature/`` gets its first revision (``dcterms:type "loaded"``) when it is first changed,
so even that change keeps the version it replaced.

A version waiting for review lives in ``B graph/proposed/{id}`` (the revision, as above) and
a deleted source leaves a tombstone graph ``B graph/tombstone/{id}``. None of these graphs is
a source graph, so the public index never reads them.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import orjson
import pyoxigraph as ox

from ..loader import dump_entry_yaml, entry_data, parse_entry
from ..models import agent_key
from ..namespaces import PREFIXES, iri_for
from ..store.base import new_version

if TYPE_CHECKING:
    from ..models import Source
    from ..vocabulary import Vocabulary

#: What a change did: made a public version, a proposed one, or took one away.
ACTIONS = (
    "loaded",
    "created",
    "replaced",
    "proposed",
    "published",
    "rejected",
    "deleted",
    "restored",
    "coded",
    "reconciled",
)
#: State of a revision (a ``coding`` is a second coder's blind coding of a source).
PUBLISHED, PROPOSED, LOADED, CODING = "published", "proposed", "loaded", "coding"
#: Who a change is recorded for when the request names nobody: all we know is the token.
UNNAMED_AGENT = "write-token holder"
#: Who a version read from ``literature/`` is recorded for.
LITERATURE_AGENT = "literature"

_PROV = PREFIXES["prov"]
_DCT = PREFIXES["dcterms"]
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
_XSD_DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
_TYPE = ox.NamedNode(_DCT + "type")
_ACTIVITY, _ENTITY, _AGENT = (ox.NamedNode(_PROV + n) for n in ("Activity", "Entity", "Agent"))
_ASSOCIATED = ox.NamedNode(_PROV + "wasAssociatedWith")
_STARTED = ox.NamedNode(_PROV + "startedAtTime")
_USED = ox.NamedNode(_PROV + "used")
_GENERATED = ox.NamedNode(_PROV + "generated")
_GENERATED_AT = ox.NamedNode(_PROV + "generatedAtTime")
_SPECIALIZES = ox.NamedNode(_PROV + "specializationOf")
_VALUE = ox.NamedNode(_PROV + "value")
_INVALIDATED_BY = ox.NamedNode(_PROV + "wasInvalidatedBy")


def history_graph_iri(base: str, source_id: str) -> str:
    """The graph holding the changes and revisions of one source.

    Examples
    --------
    >>> history_graph_iri("http://x/", "jasko17")
    'http://x/graph/history/jasko17'
    """
    return f"{base}graph/history/{source_id}"


def proposed_graph_iri(base: str, source_id: str) -> str:
    """The graph holding the version of a source that waits for review."""
    return f"{base}graph/proposed/{source_id}"


def tombstone_graph_iri(base: str, source_id: str) -> str:
    """The graph that marks a source as deleted until someone restores it."""
    return f"{base}graph/tombstone/{source_id}"


def coding_graph_iri(base: str, source_id: str) -> str:
    """The graph holding a second coder's blind coding of a source, until it is reconciled."""
    return f"{base}graph/coding/{source_id}"


def revision_iri(base: str, source_id: str, change_id: str) -> str:
    return f"{base}source/{source_id}/revision/{change_id}"


def change_iri(base: str, change_id: str) -> str:
    return f"{base}change/{change_id}"


def bookkeeping_ids(base: str, graph_iris: list[str] | dict[str, str], kind: str) -> set[str]:
    """Source ids of the graphs of one kind (``proposed``, ``tombstone``, ``history``).

    Examples
    --------
    >>> sorted(bookkeeping_ids("http://x/", ["http://x/graph/proposed/a", "http://x/graph/b"],
    ...                        "proposed"))
    ['a']
    """
    prefix = f"{base}graph/{kind}/"
    return {g[len(prefix) :] for g in graph_iris if g.startswith(prefix)}


def now_utc() -> str:
    """The time of a change, as an ``xsd:dateTime`` in UTC to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def entry_json(source: Source) -> str:
    """The entry as JSON text in entry format (what ``prov:value`` of a revision holds)."""
    return orjson.dumps(entry_data(source)).decode("utf-8")


def source_of(entry: str, vocabulary: Vocabulary) -> Source:
    """Read a revision's entry JSON back into a :class:`Source`."""
    return parse_entry(entry, filename="<revision>", vocabulary=vocabulary, media_type="json")


@dataclass(frozen=True)
class Revision:
    """One kept version of a source."""

    iri: str
    state: str
    entry: str


@dataclass(frozen=True)
class Change:
    """One recorded change: who, when, what (the revisions used and generated) and why."""

    iri: str
    action: str
    by: str
    at: str
    why: str
    used: tuple[str, ...] = ()
    generated: str | None = None


@dataclass
class History:
    """A source's changes in order, its revisions, and the heads they lead to."""

    changes: list[Change] = field(default_factory=list)
    revisions: dict[str, Revision] = field(default_factory=dict)

    def heads(self) -> tuple[str | None, str | None, str | None]:
        """``(public, proposed, last public)`` revision IRIs after the last change."""
        public = proposed = last_public = None
        for change in self.changes:
            if change.action == "deleted":
                public = proposed = None
            elif change.action == "rejected":
                proposed = None
            state = self.revisions[change.generated].state if change.generated else None
            if state in (PUBLISHED, LOADED):
                public = last_public = change.generated
                if change.action in ("published", "reconciled"):
                    proposed = None
            elif state == PROPOSED:
                proposed = change.generated
        return public, proposed, last_public

    def as_list(self, previous_of: dict[str, str] | None = None) -> list[dict[str, Any]]:
        """The changes, newest first, each with a unified diff of the entry it changed."""
        out = []
        for change in reversed(self.changes):
            new = self.revisions.get(change.generated) if change.generated else None
            old = self._previous(change, new)
            out.append(
                {
                    "change": change.iri,
                    "action": change.action,
                    "by": change.by,
                    "at": change.at,
                    "why": change.why,
                    "used": list(change.used),
                    "generated": change.generated,
                    "state": new.state if new else None,
                    "diff": entry_diff(old, new),
                }
            )
        return out

    def _previous(self, change: Change, new: Revision | None) -> Revision | None:
        used = [self.revisions[u] for u in change.used if u in self.revisions]
        if new is not None:
            # a publication is compared with the public version it replaces
            same = [r for r in used if (r.state == PROPOSED) == (new.state == PROPOSED)]
            if same:
                return same[-1]
        return used[0] if used else None


def entry_diff(old: Revision | None, new: Revision | None) -> str:
    """A unified diff of two revisions' entries as YAML ('' when both are absent).

    Examples
    --------
    >>> a = Revision("r1", "published", '{"id": "x", "year": 2019}')
    >>> b = Revision("r2", "published", '{"id": "x", "year": 2020}')
    >>> print(entry_diff(a, b))
    --- r1
    +++ r2
    @@ -1,2 +1,2 @@
     id: x
    -year: 2019
    +year: 2020
    """

    def lines(revision: Revision | None) -> list[str]:
        if revision is None:
            return []
        return _yaml_of(revision.entry).splitlines()

    diff = difflib.unified_diff(
        lines(old),
        lines(new),
        fromfile=old.iri if old else "(none)",
        tofile=new.iri if new else "(none)",
        lineterm="",
    )
    return "\n".join(diff)


def _yaml_of(entry: str) -> str:
    import yaml

    return yaml.safe_dump(
        orjson.loads(entry), sort_keys=False, allow_unicode=True, default_flow_style=False
    )


def _literal(value: str) -> ox.Literal:
    return ox.Literal(value)


def _nt(triples: list[ox.Triple]) -> str:
    return "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)


def revision_triples(base: str, source_id: str, revision: Revision, at: str) -> list[ox.Triple]:
    node = ox.NamedNode(revision.iri)
    return [
        ox.Triple(node, _RDF_TYPE, _ENTITY),
        ox.Triple(node, _TYPE, _literal(revision.state)),
        ox.Triple(node, _SPECIALIZES, ox.NamedNode(str(iri_for(base, "source", source_id)))),
        ox.Triple(node, _GENERATED_AT, ox.Literal(at, datatype=_XSD_DATETIME)),
        ox.Triple(node, _VALUE, _literal(revision.entry)),
    ]


def change_ntriples(base: str, source_id: str, change: Change, revisions: list[Revision]) -> str:
    """N-Triples of one change and the revisions it brings (generated, or first kept)."""
    node = ox.NamedNode(change.iri)
    agent = ox.NamedNode(str(iri_for(base, "agent", agent_key(change.by))))
    triples = [
        ox.Triple(node, _RDF_TYPE, _ACTIVITY),
        ox.Triple(node, _TYPE, _literal(change.action)),
        ox.Triple(node, _ASSOCIATED, agent),
        ox.Triple(node, _STARTED, ox.Literal(change.at, datatype=_XSD_DATETIME)),
        ox.Triple(node, _RDFS_COMMENT, _literal(change.why)),
        ox.Triple(agent, _RDF_TYPE, _AGENT),
        ox.Triple(agent, _RDFS_LABEL, _literal(change.by)),
    ]
    triples += [ox.Triple(node, _USED, ox.NamedNode(u)) for u in change.used]
    if change.generated:
        triples.append(ox.Triple(node, _GENERATED, ox.NamedNode(change.generated)))
    for revision in revisions:
        triples += revision_triples(base, source_id, revision, change.at)
    return _nt(triples)


def loaded_change(
    base: str, source_id: str, source: Source, why: str, at: str, used: tuple[str, ...] = ()
) -> tuple[Change, str]:
    """A change that records ``source`` as it came from ``literature/`` (a ``loaded``
    revision), and its N-Triples: the start of a history, or a file that replaced a version
    changed in the store."""
    change_id = new_version()
    revision = Revision(revision_iri(base, source_id, change_id), LOADED, entry_json(source))
    change = Change(
        change_iri(base, change_id), "loaded", LITERATURE_AGENT, at, why, used, revision.iri
    )
    return change, change_ntriples(base, source_id, change, [revision])


def proposed_ntriples(base: str, source_id: str, revision: Revision, at: str) -> str:
    """The proposed graph: the one revision waiting for review."""
    return _nt(revision_triples(base, source_id, revision, at))


def tombstone_ntriples(base: str, source_id: str, change: Change) -> str:
    """The tombstone graph: the source was invalidated by ``change``."""
    source = ox.NamedNode(str(iri_for(base, "source", source_id)))
    return _nt([ox.Triple(source, _INVALIDATED_BY, ox.NamedNode(change.iri))])


def read_history(ntriples: str) -> History:
    """Read a history (or proposed) graph back: changes sorted by time, revisions by IRI."""
    subjects: dict[str, dict[str, list[Any]]] = {}
    if ntriples:
        for triple in ox.parse(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES):
            props = subjects.setdefault(triple.subject.value, {})
            props.setdefault(triple.predicate.value, []).append(triple.object)
    labels = {
        s: p[_RDFS_LABEL.value][0].value for s, p in subjects.items() if _RDFS_LABEL.value in p
    }
    history = History()
    for subject, props in subjects.items():
        types = {t.value for t in props.get(_RDF_TYPE.value, [])}
        first = {k: v[0].value for k, v in props.items()}
        if _ENTITY.value in types:
            history.revisions[subject] = Revision(subject, first[_TYPE.value], first[_VALUE.value])
        elif _ACTIVITY.value in types:
            agent = first.get(_ASSOCIATED.value, "")
            history.changes.append(
                Change(
                    iri=subject,
                    action=first[_TYPE.value],
                    by=labels.get(agent, agent),
                    at=first[_STARTED.value],
                    why=first.get(_RDFS_COMMENT.value, ""),
                    used=tuple(sorted(u.value for u in props.get(_USED.value, []))),
                    generated=first.get(_GENERATED.value),
                )
            )
    # change ids are time-ordered and unique, so the IRI orders changes made within a second
    history.changes.sort(key=lambda c: (c.at, c.iri))
    return history


def render_entry(source: Source, as_: str) -> tuple[bytes, str]:
    """A source in entry format as ``(body, media type)``; ``as_`` is ``yaml`` or ``json``."""
    if as_ == "json":
        return orjson.dumps(entry_data(source)), "application/json"
    return dump_entry_yaml(source).encode("utf-8"), "application/yaml"
