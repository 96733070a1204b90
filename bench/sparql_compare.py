"""The same SPARQL questions on the server's ``/sparql`` (Oxigraph) and on rdflib in memory."""

from __future__ import annotations

import json
import statistics
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from loadgen import MIN_SAMPLES, http_get
from processes import BENCH_DIR, REPO_ROOT

#: SPARQL question -> (folder, file); the matrix query has no bound values, the others have
#: their value written into a bench copy because /sparql over HTTP cannot carry bindings
SPARQL_FILES: dict[str, tuple[Path, str]] = {
    "matrix": (REPO_ROOT / "triggergraph" / "queries", "matrix_driver.rq"),
    "factor": (BENCH_DIR / "queries", "factor_detention.rq"),
    "profile": (BENCH_DIR / "queries", "profile_justice_seeker.rq"),
}
SPARQL_JSON = "application/sparql-results+json"
#: rdflib: repeat a query while the runs so far took less than this, at most MAX_RUNS times
RDFLIB_BUDGET_S = 20.0
RDFLIB_MAX_RUNS = 5
#: rdflib: stop one question after this many seconds and report "> cap" (a lower bound)
RDFLIB_CAP_S = 60.0


def load_sparql(question: str) -> str:
    """The query text of a question, with the shared prefixes in front when it has none."""
    folder, name = SPARQL_FILES[question]
    text = (folder / name).read_text(encoding="utf-8")
    if "PREFIX tg:" in text:
        return text
    from triggergraph.namespaces import PREFIXES

    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items()) + text


def sparql_url(base_url: str, query: str) -> str:
    return f"{base_url}/sparql?" + urllib.parse.urlencode({"query": query})


def sparql_row_count(base_url: str, query: str) -> tuple[int | None, str | None]:
    """Rows of the answer of ``/sparql`` (JSON results) or the error it gave."""
    status, body = http_get(sparql_url(base_url, query), accept=SPARQL_JSON, timeout=120)
    if status != 200:
        return None, f"HTTP {status}: {body[:200].decode(errors='replace')}"
    return len(json.loads(body)["results"]["bindings"]), None


def build_rdflib_dataset(sources, vocabulary):
    """The same dataset the server stores, as an rdflib Dataset (union default graph)."""
    from triggergraph.rdf import build_dataset

    dataset = build_dataset(sources, vocabulary)
    dataset.default_union = True
    return dataset


def _rdflib_child(dataset, query: str, conn) -> None:
    """Run ``query`` repeatedly and send (seconds, rows) after each run (forked process)."""
    total = 0.0
    for run in range(1, RDFLIB_MAX_RUNS + 1):
        start = time.perf_counter()
        rows = len(list(dataset.query(query)))
        elapsed = time.perf_counter() - start
        conn.send((elapsed, rows))
        total += elapsed
        # past the budget only with enough runs for a median; the cap still stops it
        if total >= RDFLIB_BUDGET_S and run >= MIN_SAMPLES:
            break
    conn.close()


def time_rdflib(dataset, query: str, cap_s: float) -> dict:
    """Median ms of ``query`` on rdflib, run in a forked child that is killed after ``cap_s``.

    Returns ``{"median_ms", "rows", "runs", "capped_at_s"}``; ``median_ms`` is None and
    ``capped_at_s`` set when fewer than ``MIN_SAMPLES`` runs finished within the cap.
    """
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    # fork shares the built dataset with the child instead of pickling millions of triples
    child = context.Process(target=_rdflib_child, args=(dataset, query, sender))
    child.start()
    sender.close()
    times: list[float] = []
    rows = None
    deadline = time.perf_counter() + cap_s
    capped = False
    while True:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            capped = True
            break
        if not receiver.poll(remaining):
            capped = True
            break
        try:
            elapsed, rows = receiver.recv()
        except EOFError:
            break
        times.append(elapsed)
    if child.is_alive():
        child.kill()
    child.join()
    receiver.close()
    # a median of one or two runs is not printed; the runs that did finish are counted
    enough = len(times) >= MIN_SAMPLES
    return {
        "median_ms": round(statistics.median(times) * 1000, 3) if enough else None,
        "rows": rows,
        "runs": len(times),
        "capped_at_s": cap_s if capped and not enough else None,
    }
