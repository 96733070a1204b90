"""Answers as text for the terminal and for spreadsheets: the matrix as a table and as CSV, the gaps."""

from __future__ import annotations

import csv
import io

from ..verdict import ANY_COLUMN, VERDICT_LABELS, VERDICTS
from .matrix import MatrixAnswer
from .profile import GapsAnswer

#: One-letter verdict codes of the terminal table, per language.
VERDICT_CODES: dict[str, dict[str, str]] = {
    "en": {"strong": "S", "moderate": "M", "limited": "L", "contested": "X", "no_evidence": "."},
    "nl": {"strong": "S", "moderate": "R", "limited": "B", "contested": "T", "no_evidence": "."},
}
#: Direction signs of the terminal table: a null result never looks like an increase.
DIRECTION_SIGNS: dict[str, str] = {
    "increases": "+",
    "decreases": "-",
    "no_association": "o",
    "mixed": "~",
    "tie": "=",
}
DIRECTION_SIGN_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "increases": "increases",
        "decreases": "decreases",
        "no_association": "no association",
        "mixed": "mixed",
        "tie": "tie, no direction",
    },
    "nl": {
        "increases": "verhoogt",
        "decreases": "verlaagt",
        "no_association": "geen samenhang",
        "mixed": "wisselend",
        "tie": "gelijke stand, geen richting",
    },
}
GAP_TITLES: dict[str, dict[str, str]] = {
    "en": {
        "factors_without_evidence": "Factors without any finding",
        "empty": "Empty cells",
        "indirect_only": "Cells with indirect evidence only",
        "contested": "Contested cells",
    },
    "nl": {
        "factors_without_evidence": "Factoren zonder enige bevinding",
        "empty": "Lege cellen",
        "indirect_only": "Cellen met alleen indirect bewijs",
        "contested": "Omstreden cellen",
    },
}


def matrix_table(answer: MatrixAnswer) -> str:
    """Aligned plain-text matrix: one verdict code plus finding count per cell, grouped by
    level, with a legend line, in the answer's language.

    Examples
    --------
    >>> from triggergraph.answers.builders import build_matrix
    >>> from triggergraph.answers.queries import MatrixQuery
    >>> from triggergraph.readmodel import EvidenceIndex
    >>> from triggergraph.vocabulary import load_vocabulary
    >>> index = EvidenceIndex.build([], load_vocabulary())
    >>> print(matrix_table(build_matrix(index, MatrixQuery())).splitlines()[-1])
    legend: S strong, M moderate, L limited, X contested, . no evidence; + increases, - decreases, o no association, ~ mixed, = tie, no direction; number = findings counted
    """
    lang = answer.lang
    codes = VERDICT_CODES[lang]
    headers = [c.label[:16] for c in answer.columns]
    width_label = max([len(r.label) for r in answer.rows] + [len("factor")])
    widths = [max(len(h), 4) for h in headers]
    lines = [
        "  ".join(
            [
                "factor".ljust(width_label),
                *(h.ljust(w) for h, w in zip(headers, widths, strict=True)),
            ]
        ).rstrip()
    ]
    by_id = {r.id: r for r in answer.rows}
    for level in answer.levels:
        lines.append(f"-- {level.label} --")
        for factor_id in level.factors:
            cells = answer.cells[factor_id]
            texts = []
            for column, w in zip(answer.columns, widths, strict=True):
                cell = cells[column.id]
                code = codes[cell.verdict]
                if cell.n_findings:
                    sign = DIRECTION_SIGNS["tie" if cell.tie else cell.direction]
                    code = f"{code}{sign}{cell.n_findings}"
                texts.append(code.ljust(w))
            lines.append("  ".join([by_id[factor_id].label.ljust(width_label), *texts]).rstrip())
    legend = ", ".join(f"{codes[v]} {VERDICT_LABELS[v][lang]}" for v in VERDICTS)
    legend += "; " + ", ".join(
        f"{DIRECTION_SIGNS[d]} {word}" for d, word in DIRECTION_SIGN_WORDS[lang].items()
    )
    suffix = "number = findings counted" if lang == "en" else "getal = getelde bevindingen"
    lines.append(f"legend: {legend}; {suffix}" if lang == "en" else f"legenda: {legend}; {suffix}")
    return "\n".join(lines)


def matrix_csv(answer: MatrixAnswer) -> str:
    """The matrix as CSV: ``factor, label, level`` then ``<column>``, ``<column>_n`` and
    ``<column>_direction`` (verdict id, number of findings, direction or ``tie``) per column."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = ["factor", "label", "level"]
    for column in answer.columns:
        header += [column.id, f"{column.id}_n", f"{column.id}_direction"]
    writer.writerow(header)
    for row in answer.rows:
        line = [row.id, row.label, row.level]
        for column in answer.columns:
            cell = answer.cells[row.id][column.id]
            direction = "tie" if cell.tie else cell.direction or ""
            line += [cell.verdict, cell.n_findings, direction]
        writer.writerow(line)
    return buffer.getvalue()


def gaps_text(answer: GapsAnswer, lang: str = "en") -> str:
    """The gaps as plain text in ``lang``, one cell per line with its explanation."""
    titles = GAP_TITLES[lang]
    labels = {e.factor: e.factor_label for e in answer.empty if e.column == ANY_COLUMN}
    bare = answer.factors_without_evidence
    lines = [f"{titles['factors_without_evidence']} ({len(bare)}):"]
    lines += [f"  {labels.get(f, f)}" for f in bare]
    for kind in ("empty", "indirect_only", "contested"):
        entries = getattr(answer, kind)
        lines.append(f"{titles[kind]} ({len(entries)}):")
        for entry in entries:
            if kind == "empty" and entry.column == ANY_COLUMN:
                continue
            lines.append(
                f"  {entry.factor_label} x {entry.column_label}: {entry.explanation[lang]}"
            )
    return "\n".join(lines)
