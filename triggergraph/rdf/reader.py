"""Reading one graph's nodes back into plain data (authors, findings), collecting every problem."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from ..exceptions import Problem
from ..namespaces import BIBO, TG
from ..vocabulary import Vocabulary
from .terms import Terms
from .triples import TripleIndex


class _Reader:
    """Reads one named graph back into plain data, collecting every problem."""

    def __init__(self, graph: Graph | TripleIndex, terms: Terms, source_id: str):
        self.graph = graph
        self.terms = terms
        self.source_id = source_id
        self.problems: list[Problem] = []

    def problem(self, field: str, message: str) -> None:
        self.problems.append(Problem(f"graph {self.source_id}", None, field, message))

    def values(self, node: URIRef, prop: URIRef) -> list:
        return sorted(self.graph.objects(node, prop))

    def one(self, node: URIRef, prop: URIRef, field: str, required: bool = False):
        found = self.values(node, prop)
        if len(found) > 1:
            self.problem(field, f"<{node}> has {len(found)} values of <{prop}>, expected one")
        if not found:
            if required:
                self.problem(field, f"<{node}> has no <{prop}>")
            return None
        return found[0]

    def text(self, node: URIRef, prop: URIRef, field: str, required: bool = False) -> str | None:
        value = self.one(node, prop, field, required)
        return None if value is None else str(value)

    def integer(self, node: URIRef, prop: URIRef, field: str, required: bool = False) -> int | None:
        value = self.one(node, prop, field, required)
        if value is None:
            return None
        try:
            return int(str(value))
        except ValueError:
            self.problem(field, f"{str(value)!r} is not a whole number")
            return None

    def number(self, node: URIRef, prop: URIRef, field: str) -> float | None:
        value = self.one(node, prop, field)
        if value is None:
            return None
        try:
            return float(Decimal(str(value)))
        except InvalidOperation:
            self.problem(field, f"{str(value)!r} is not a decimal number")
            return None

    def day(self, node: URIRef, prop: URIRef, field: str) -> str | None:
        value = self.one(node, prop, field, required=True)
        return None if value is None else str(value)[:10]

    def scale(self, node: URIRef, prop: URIRef, scheme: str, field: str, required: bool = False):
        value = self.one(node, prop, field, required)
        return None if value is None else self.scale_id(scheme, value, field)

    def scale_id(self, scheme: str, iri, field: str) -> str | None:
        ident = self.terms.scale_id(scheme, iri)
        if ident is None:
            self.problem(field, f"<{iri}> is not a value of the scale {scheme!r}")
        return ident

    def scales(self, node: URIRef, prop: URIRef, scheme: str, field: str) -> list[str]:
        ids = [self.scale_id(scheme, iri, field) for iri in self.values(node, prop)]
        table = self.terms.vocabulary.scales.get(scheme, {})
        return sorted(
            (i for i in ids if i is not None),
            key=lambda i: (table[i].rank or 0, i) if i in table else (0, i),
        )

    def agent(self, node: URIRef, field: str) -> str | None:
        agent = self.one(node, PROV.wasAttributedTo, field, required=True)
        if agent is None:
            return None
        return self.text(agent, RDFS.label, field, required=True)

    def ident(self, table: dict[URIRef, str], iri, kind: str, field: str) -> str | None:
        ident = table.get(iri)
        if ident is None:
            self.problem(field, f"<{iri}> is not a {kind} of the vocabulary")
        return ident


def _ordered_cells(
    reader: _Reader, node: URIRef, prop: URIRef, segment: str, field: str
) -> list[URIRef]:
    """Minted cells ``{node}/{segment}/{n}`` in the order of n."""
    prefix = f"{node}/{segment}/"
    keyed = []
    for cell in reader.values(node, prop):
        tail = str(cell)[len(prefix) :] if str(cell).startswith(prefix) else ""
        if not tail.isdigit():
            reader.problem(field, f"<{cell}> is not a cell <{prefix}N>")
            continue
        keyed.append((int(tail), cell))
    return [cell for _, cell in sorted(keyed)]


def _read_authors(reader: _Reader, node: URIRef) -> list[str]:
    authors: list[str] = []
    cell = reader.one(node, BIBO.authorList, "authors", required=True)
    seen = set()
    while cell is not None and cell != RDF.nil:
        if cell in seen:
            reader.problem("authors", "bibo:authorList loops")
            break
        seen.add(cell)
        name = reader.text(cell, RDF.first, "authors", required=True)
        if name is not None:
            authors.append(name)
        cell = reader.one(cell, RDF.rest, "authors", required=True)
    creators = {str(o) for o in reader.graph.objects(node, DCTERMS.creator)}
    if creators != set(authors):
        reader.problem("authors", "dcterms:creator and bibo:authorList name different authors")
    return authors


def _read_finding(reader: _Reader, node: URIRef) -> dict[str, Any]:
    terms = reader.terms
    ident = reader.text(node, DCTERMS.identifier, "findings[].id", required=True) or str(node)
    where = f"findings[{ident}]"
    data: dict[str, Any] = {"id": ident}
    factor = reader.one(node, TG.factor, f"{where}.factor", required=True)
    if factor is not None:
        data["factor"] = reader.ident(
            terms.factor_ids, factor, "factor or construct", f"{where}.factor"
        )
    links: list[tuple[int, str, dict]] = []
    terms_by_driver: dict[str, str] = {}
    for text in reader.values(node, TG.driverTermInSource):
        driver_id, sep, term = str(text).partition(": ")
        if not sep:
            reader.problem(f"{where}.drivers", f"{str(text)!r} is not 'driver_id: term'")
            continue
        terms_by_driver[driver_id] = term
    for prop, basis in ((TG.driver, "stated"), (TG.proposedDriver, "proposed")):
        for iri in reader.values(node, prop):
            driver_id = reader.ident(terms.driver_ids, iri, "driver", f"{where}.drivers")
            if driver_id is None:
                continue
            link = {"driver": driver_id, "basis": basis}
            if driver_id in terms_by_driver:
                link["term_in_source"] = terms_by_driver.pop(driver_id)
            rank = terms.vocabulary.drivers[driver_id].rank or 0
            links.append((rank, driver_id, link))
    for driver_id in terms_by_driver:
        reader.problem(
            f"{where}.drivers", f"a driver term names {driver_id!r}, which is not linked"
        )
    data["drivers"] = [link for _, _, link in sorted(links, key=lambda t: (t[0], t[1]))]
    demographics = []
    for iri in reader.values(node, TG.demographic):
        group = reader.ident(
            terms.demographic_ids, iri, "demographic group", f"{where}.demographics"
        )
        if group is not None:
            demographics.append(group)
    data["demographics"] = sorted(demographics, key=lambda g: _demographic_key(terms.vocabulary, g))
    data["direction"] = reader.scale(node, TG.direction, "direction", f"{where}.direction", True)
    data["certainty"] = reader.scale(node, TG.certainty, "certainty", f"{where}.certainty", True)
    data["certainty_reasons"] = [str(o) for o in reader.values(node, TG.certaintyReason)]
    data["caveats"] = reader.scales(node, TG.caveat, "caveat", f"{where}.caveats")
    data["indirectness"] = reader.scales(
        node, TG.indirectness, "indirectness", f"{where}.indirectness"
    )
    measure = reader.scale(node, TG.effectMeasure, "effect-measure", f"{where}.effect.measure")
    if measure is not None:
        effect: dict[str, Any] = {"measure": measure}
        value = reader.number(node, TG.effectValue, f"{where}.effect.value")
        low = reader.number(node, TG.ciLower, f"{where}.effect.ci")
        high = reader.number(node, TG.ciUpper, f"{where}.effect.ci")
        if value is not None:
            effect["value"] = value
        if (low is None) != (high is None):
            reader.problem(
                f"{where}.effect.ci", "a confidence interval needs both tg:ciLower and tg:ciUpper"
            )
        elif low is not None:
            effect["ci"] = (low, high)
        for key, prop in (("k", TG.numberOfStudies), ("n", TG.sampleSize)):
            number = reader.integer(node, prop, f"{where}.effect.{key}")
            if number is not None:
                effect[key] = number
        for key, prop in (
            ("p", TG.pValue),
            ("text", TG.effectText),
            ("magnitude_in_source", TG.magnitudeInSource),
        ):
            text = reader.text(node, prop, f"{where}.effect.{key}")
            if text is not None:
                effect[key] = text
        data["effect"] = effect
    data["outcome_stages"] = reader.scales(
        node, TG.outcomeStage, "outcome-stage", f"{where}.outcome_stages"
    )
    for key, prop in (("outcome", TG.outcome), ("population", TG.population), ("note", TG.note)):
        text = reader.text(node, prop, f"{where}.{key}")
        if text is not None:
            data[key] = text
    data["locator"] = reader.text(node, TG.locator, f"{where}.locator", required=True)
    verified = reader.text(node, TG.verifiedFrom, f"{where}.verified_from")
    if verified is not None:
        data["verified_from"] = verified
    kind = reader.scale(node, TG.outcomeKind, "outcome-kind", f"{where}.outcome_kind")
    if kind is not None:
        data["outcome_kind"] = kind
    role = reader.scale(node, TG.triggerRole, "trigger-role", f"{where}.trigger_role")
    if role is not None:
        data["trigger_role"] = role
    region = reader.scale(node, TG.region, "region", f"{where}.region")
    if region is not None:
        data["region"] = region
    data["added_by"] = reader.agent(node, f"{where}.added_by")
    data["added_on"] = reader.day(node, PROV.generatedAtTime, f"{where}.added_on")
    return data


def _demographic_key(vocabulary: Vocabulary, group: str) -> tuple:
    concept = vocabulary.demographics[group]
    dimension = vocabulary.dimensions.get(concept.dimension or "")
    return (dimension.rank if dimension and dimension.rank else 0, concept.rank or 0, group)
