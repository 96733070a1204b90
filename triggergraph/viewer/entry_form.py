"""The entry form generated from the JSON Schema of the entry models, with form hints by field path.

:func:`form_tree` walks ``Source.model_json_schema()`` (objects, arrays, scalars; ``$ref``
and ``anyOf [..., null]`` resolved) into :class:`FormNode` s that ``entry_form.html`` renders.
The schema says what a field *is*; the hints below say how the form shows it: which
vocabulary scheme fills a drop-down or a set of check-boxes, which field gets the factor
picker, and the field's label in the reader's language. A field path names a field the way
``validate`` does, with ``[]`` for "every item" (``findings[].effect.measure``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..models import Source
from .i18n import N_, translate
from .views import Option

if TYPE_CHECKING:
    from ..vocabulary import Vocabulary

#: Controlled fields: field path -> (widget, vocabulary scheme). ``select`` is one value,
#: ``checks`` a list of values.
VOCABULARY_FIELDS: dict[str, tuple[str, str]] = {
    "type": ("select", "source-type"),
    "study_design": ("select", "study-design"),
    "citation_flags": ("checks", "citation-flag"),
    "findings[].direction": ("select", "direction"),
    "findings[].certainty": ("select", "certainty"),
    "findings[].caveats": ("checks", "caveat"),
    "findings[].indirectness": ("checks", "indirectness"),
    "findings[].outcome_stages": ("checks", "outcome-stage"),
    "findings[].outcome_kind": ("select", "outcome-kind"),
    "findings[].trigger_role": ("select", "trigger-role"),
    "findings[].region": ("select", "region"),
    "findings[].effect.measure": ("select", "effect-measure"),
    "findings[].drivers[].driver": ("select", "driver"),
}
#: Fields with a widget of their own: the factor picker, demographics grouped by dimension.
WIDGETS: dict[str, str] = {
    "findings[].factor": "picker",
    "findings[].demographics": "demographics",
    "findings[].effect.ci": "pair",
    "added_on": "date",
}
#: Fields the form leaves out: a finding's own provenance is kept by the write path.
SKIPPED = frozenset({"findings[].added_by", "findings[].added_on"})
#: Fields shown in long text boxes.
LONG_TEXT = frozenset({"note", "text", "citation_note", "design", "outcome", "population"})

#: The label of each field name (the same name means the same thing wherever it stands).
LABELS: dict[str, str] = {
    "id": N_("Id"),
    "type": N_("Type"),
    "authors": N_("Authors, one per line ('Family, I.')"),
    "year": N_("Year"),
    "title": N_("Title"),
    "venue": N_("Venue"),
    "doi": N_("DOI"),
    "url": N_("URL"),
    "language": N_("Language (two letters)"),
    "design": N_("Design, in words"),
    "study_design": N_("Study design"),
    "citation_note": N_("Citation note"),
    "citation_flags": N_("Citation flags"),
    "overlaps_with": N_("Overlaps with sources (ids, one per line)"),
    "context_notes": N_("Context notes"),
    "cites": N_("Cited works"),
    "added_by": N_("Added by"),
    "added_on": N_("Added on"),
    "findings": N_("Findings"),
    "factor": N_("Factor or construct"),
    "drivers": N_("Driver links"),
    "driver": N_("Driver"),
    "basis": N_("Basis"),
    "term_in_source": N_("Term in the source"),
    "demographics": N_("Groups the finding is about"),
    "direction": N_("Direction"),
    "certainty": N_("Certainty"),
    "certainty_reasons": N_("Reasons for the certainty, one per line"),
    "caveats": N_("Caveats"),
    "indirectness": N_("Indirectness"),
    "effect": N_("Effect"),
    "measure": N_("Effect measure"),
    "value": N_("Value"),
    "ci": N_("Confidence interval (lower, upper)"),
    "k": N_("Number of studies (k)"),
    "n": N_("Number of participants (n)"),
    "p": N_("p-value as reported"),
    "magnitude_in_source": N_("Magnitude as the source words it"),
    "outcome_stages": N_("Outcome stages"),
    "outcome": N_("Outcome"),
    "outcome_kind": N_("What the outcome compares"),
    "population": N_("Population"),
    "region": N_("Region of the population"),
    "locator": N_("Locator (page, table or section)"),
    "verified_from": N_("Verified from (web address)"),
    "trigger_role": N_("Role of the trigger"),
    "note": N_("Note"),
    "text": N_("Text"),
    "first_author": N_("First author"),
    "co_authors": N_("Co-authors"),
}
#: Labels of the values of a schema ``enum`` (fields not backed by the vocabulary).
ENUM_LABELS: dict[str, str] = {
    "stated": N_("stated by the source"),
    "proposed": N_("proposed by the coder"),
}
#: The legend of one item of an array, and what its "add" button says.
ITEM_LABELS: dict[str, tuple[str, str]] = {
    "findings": (N_("Finding"), N_("Add a finding")),
    "drivers": (N_("Driver link"), N_("Add a driver link")),
    "context_notes": (N_("Context note"), N_("Add a context note")),
    "cites": (N_("Cited work"), N_("Add a cited work")),
}


@dataclass(kw_only=True)
class FormNode:
    """One field of the form: a scalar control, an object of fields, or an array of items.

    ``widget`` is one of ``text``, ``longtext``, ``int``, ``number``, ``date``, ``select``,
    ``checks``, ``demographics``, ``lines``, ``pair``, ``picker``, ``object``, ``array``.
    For ``array`` ``children`` are the fields of one item; for ``object`` its fields.
    """

    key: str
    path: str
    label: str
    widget: str
    required: bool = False
    options: list[Option] = field(default_factory=list)
    groups: list[tuple[str, list[Option]]] = field(default_factory=list)
    children: list[FormNode] = field(default_factory=list)
    item_label: str = ""
    add_label: str = ""


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The schema without ``$ref`` and without the ``null`` branch; and whether null is allowed."""
    nullable = False
    if "anyOf" in schema:
        branches = [b for b in schema["anyOf"] if b.get("type") != "null"]
        nullable = len(branches) < len(schema["anyOf"])
        schema = {**schema, **branches[0]} if len(branches) == 1 else branches[0]
        schema.pop("anyOf", None)
    if "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    return schema, nullable


def _scheme_options(vocabulary: Vocabulary, scheme: str, lang: str) -> list[Option]:
    if scheme in vocabulary.scales:
        values = sorted(vocabulary.scales[scheme].values(), key=lambda c: (c.rank or 0, c.id))
    else:
        values = vocabulary.ordered(scheme)
    if scheme == "certainty":
        return [Option(value=c.id, label=f"{c.id} · {c.label(lang)}") for c in values]
    return [Option(value=c.id, label=c.label(lang)) for c in values]


def _node(
    key: str,
    path: str,
    schema: dict[str, Any],
    required: bool,
    defs: dict[str, Any],
    vocabulary: Vocabulary,
    lang: str,
) -> FormNode | None:
    if path in SKIPPED:
        return None
    schema, _ = _resolve(schema, defs)
    label = translate(lang, LABELS[key]) if key in LABELS else schema.get("title", key)
    node = FormNode(key=key, path=path, label=label, widget="text", required=required)
    if path in VOCABULARY_FIELDS:
        node.widget, scheme = VOCABULARY_FIELDS[path]
        node.options = _scheme_options(vocabulary, scheme, lang)
    elif path in WIDGETS:
        node.widget = WIDGETS[path]
        if node.widget == "demographics":
            node.groups = [
                (
                    d.label(lang),
                    [Option(value=v.id, label=v.label(lang)) for v in vocabulary.values_of(d.id)],
                )
                for d in vocabulary.ordered("dimension")
            ]
    elif "enum" in schema:
        node.widget = "select"
        node.options = [
            Option(value=v, label=translate(lang, ENUM_LABELS.get(v, v))) for v in schema["enum"]
        ]
    elif schema.get("type") == "object":
        node.widget = "object"
        node.children = _fields(schema, path, defs, vocabulary, lang)
    elif schema.get("type") == "array":
        items, _ = _resolve(schema.get("items", {}), defs)
        if items.get("type") == "object":
            node.widget = "array"
            item, add = ITEM_LABELS[key]
            node.item_label, node.add_label = translate(lang, item), translate(lang, add)
            node.children = _fields(items, f"{path}[]", defs, vocabulary, lang)
        else:
            node.widget = "lines"
    elif schema.get("type") == "integer":
        node.widget = "int"
    elif schema.get("type") == "number":
        node.widget = "number"
    elif schema.get("format") == "date":
        node.widget = "date"
    elif key in LONG_TEXT:
        node.widget = "longtext"
    return node


def _fields(
    schema: dict[str, Any], prefix: str, defs: dict[str, Any], vocabulary: Vocabulary, lang: str
) -> list[FormNode]:
    required = set(schema.get("required", ()))
    out = []
    for key, sub in schema.get("properties", {}).items():
        path = f"{prefix}.{key}" if prefix else key
        node = _node(key, path, sub, key in required, defs, vocabulary, lang)
        if node is not None:
            out.append(node)
    return out


def form_tree(vocabulary: Vocabulary, lang: str) -> list[FormNode]:
    """The fields of the entry form, in the order of the entry models, labelled in ``lang``.

    Examples
    --------
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> tree = {n.key: n for n in form_tree(load_vocabulary(), "en")}
    >>> findings = {n.key: n for n in tree["findings"].children}
    >>> tree["findings"].widget, findings["factor"].widget, findings["effect"].widget
    ('array', 'picker', 'object')
    """
    schema = Source.model_json_schema()
    return _fields(schema, "", schema.get("$defs", {}), vocabulary, lang)
