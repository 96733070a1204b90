"""The benchmark's ratios, its verdicts against the targets, and the Markdown tables of a run."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sizes import REST_PATHS, SizeResult, format_size


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator rounded, or None when either is missing.

    Examples
    --------
    >>> ratio(3.0, 1.5), ratio(None, 2.0)
    (2.0, None)
    """
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 2)


def compute_ratios(result: SizeResult) -> dict[str, dict]:
    """REST vs trivial, rdflib vs REST and rdflib vs /sparql, per question (medians).

    When rdflib hit its cap the cap stands in for its time, so its ratios are lower bounds
    (``rdflib_capped`` is True).
    """
    trivial = result.rest_latency.get("trivial", {}).get("p50_ms")
    out: dict[str, dict] = {}
    for question in ("matrix", "factor", "profile"):
        rest = result.rest_latency.get(question, {}).get("p50_ms")
        oxi = result.oxigraph_sparql.get(question, {}).get("p50_ms")
        timing = result.rdflib_sparql.get(question, {})
        capped = timing.get("capped_at_s") is not None
        rdf = timing["capped_at_s"] * 1000 if capped else timing.get("median_ms")
        out[question] = {
            "rest_over_trivial": ratio(rest, trivial),
            "rdflib_over_rest": ratio(rdf, rest),
            "rdflib_over_oxigraph_sparql": ratio(rdf, oxi),
            "rdflib_capped": capped,
        }
    return out


def judge(value: float | None, bound: float, *, at_most: bool = False, lower: bool = False) -> str:
    """'met', 'NOT met', 'not measured' or 'unknown' for a ratio against its target.

    Examples
    --------
    >>> judge(250.0, 100), judge(3.1, 2, at_most=True), judge(None, 20), judge(50.0, 100, lower=True)
    ('met', 'NOT met', 'not measured', 'unknown (rdflib capped)')
    """
    if value is None:
        return "not measured"
    if at_most:
        return "met" if value <= bound else "NOT met"
    if value > bound:
        return "met"
    return "unknown (rdflib capped)" if lower else "NOT met"


def check_targets(result: SizeResult) -> list[tuple[str, str]]:
    """(target, "measured: verdict") for each size-dependent benchmark target at one size."""
    rows: list[tuple[str, str]] = []
    ratios = compute_ratios(result)
    for question in ("matrix", "factor", "profile"):
        r = ratios[question]["rest_over_trivial"]
        verdict = judge(r, 2.0, at_most=True)
        rows.append((f"REST {question} p50 within 2x of trivial", _outcome(_cell(r, "x"), verdict)))
    for key, bound, text in (
        ("rdflib_over_rest", 100, "REST {q} >100x faster than rdflib SPARQL"),
        ("rdflib_over_oxigraph_sparql", 20, "/sparql (Oxigraph) {q} >20x faster than rdflib"),
    ):
        for question in ("matrix", "factor", "profile"):
            r = ratios[question]
            measured = ("> " if r["rdflib_capped"] else "") + _cell(r[key], "x")
            verdict = judge(r[key], bound, lower=r["rdflib_capped"])
            rows.append((text.format(q=question), _outcome(measured, verdict)))
    rss = result.peak_rss_mib
    verdict = judge(None if rss is None else rss * 1.048576, 400, at_most=True)
    if result.load_s is None and verdict == "met":
        # below the target only because loading was given up on
        verdict = "not measured (did not load)"
    note = "" if result.load_s is not None or rss is None else " when given up"
    rows.append(("server peak memory < 400 MB", _outcome(_cell(rss, " MiB") + note, verdict)))
    return rows


def _outcome(measured: str, verdict: str) -> str:
    return verdict if measured.strip("> ") == "-" else f"{measured}: {verdict}"


def _cell(value, suffix: str = "") -> str:
    return "-" if value is None else f"{value}{suffix}"


def render_markdown(info: dict, results: list[SizeResult], cold: dict | None, args) -> str:
    """The results as Markdown tables (what ``bench/README.md`` quotes)."""
    lines = [
        f"Run {info['started']} on {info.get('cores')} cores, {info.get('memory_gib')} GiB "
        f"({info.get('cpu', 'cpu unknown')}); Python {info['python']}, fastapi "
        f"{info.get('fastapi')}, uvicorn {info.get('uvicorn')} (uvloop {info.get('uvloop')}, "
        f"httptools {info.get('httptools')}), rdflib {info.get('rdflib')}, pyoxigraph "
        f"{info.get('pyoxigraph')}; load tool {info['load_tool']}; {args.duration:g} s per "
        f"measurement, latency at 1 connection, throughput at {args.connections}.",
        "",
        "| findings | sources | load s | peak RSS MiB | RSS when ready MiB "
        "| RSS after requests MiB | rdflib build s |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {format_size(r.findings)} | {r.sources} | {_cell(r.load_s)} | "
            f"{_cell(r.peak_rss_mib)} | {_cell(getattr(r, 'ready_rss_mib', None))} | "
            f"{_cell(getattr(r, 'steady_rss_mib', None))} | {_cell(r.rdflib_build_s)} |"
        )
    lines += [
        "",
        "| findings | route | p50 ms | p99 ms | req/s (1 conn) | req/s (N conn) | body bytes |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        for name, path in REST_PATHS.items():
            lat = r.rest_latency.get(name, {})
            thr = r.rest_throughput.get(name, {})
            lines.append(
                f"| {format_size(r.findings)} | `{path}` | {_cell(lat.get('p50_ms'))} | "
                f"{_cell(lat.get('p99_ms'))} | {_cell(lat.get('rps'))} | {_cell(thr.get('rps'))} | "
                f"{_cell(r.rest_bytes.get(name))} |"
            )
    lines += [
        "",
        "| findings | question | REST p50 ms | /sparql Oxigraph p50 ms | rdflib median ms (runs) "
        "| rows | REST / trivial | rdflib / REST | rdflib / Oxigraph |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        ratios = compute_ratios(r)
        for question in ("matrix", "factor", "profile"):
            rest = r.rest_latency.get(question, {}).get("p50_ms")
            oxi = r.oxigraph_sparql.get(question, {})
            rdf = r.rdflib_sparql.get(question, {})
            rows = rdf.get("rows") if rdf.get("rows") is not None else oxi.get("rows")
            q = ratios[question]
            if q["rdflib_capped"]:
                rdf_cell = f"> {rdf['capped_at_s'] * 1000:g} (capped)"
            else:
                rdf_cell = _cell(rdf.get("median_ms")) + (f" ({rdf['runs']})" if rdf else "")
            bound = ">" if q["rdflib_capped"] else ""
            lines.append(
                f"| {format_size(r.findings)} | {question} | {_cell(rest)} | "
                f"{_cell(oxi.get('p50_ms'))} | {rdf_cell} | "
                f"{_cell(rows)} | {_cell(q['rest_over_trivial'], 'x')} | "
                f"{bound}{_cell(q['rdflib_over_rest'], 'x')} | "
                f"{bound}{_cell(q['rdflib_over_oxigraph_sparql'], 'x')} |"
            )
    if cold is not None:
        lines += [
            "",
            f"Cold start with the bundled literature ({cold['entries']} entries), process start "
            f"until `/health` is 200, median of {cold['runs']}: fresh store "
            f"{_cell(cold.get('fresh_store_s'), ' s')}, restart with the store kept "
            f"{_cell(cold.get('restart_s'), ' s')}.",
        ]
    if results:
        per_size = [check_targets(r) for r in results]
        lines += [
            "",
            "| target | " + " | ".join(format_size(r.findings) for r in results) + " |",
            "|---|" + "---|" * len(results),
        ]
        for i, (target, _) in enumerate(per_size[0]):
            lines.append(f"| {target} | " + " | ".join(rows[i][1] for rows in per_size) + " |")
    if cold is not None:
        lines += ["", "| target | measured |", "|---|---|"]
        for key, text in (
            ("fresh_store_s", "cold start, bundled literature, < 2 s (fresh store)"),
            ("restart_s", "cold start, bundled literature, < 2 s (restart, store kept)"),
        ):
            value = cold.get(key)
            lines.append(
                f"| {text} | {_outcome(_cell(value, ' s'), judge(value, 2.0, at_most=True))} |"
            )
    problems = [(format_size(r.findings), p) for r in results for p in r.problems]
    if cold:
        problems += [("bundled", p) for p in cold.get("problems", [])]
    if problems:
        lines += ["", "Problems:"] + [f"- {size}: {p}" for size, p in problems]
    return "\n".join(lines) + "\n"


def render_saved(path: Path) -> str:
    """Markdown of a run saved as JSON by this script (same figures, current layout)."""
    payload = json.loads(Path(path).read_text(encoding="utf-8"))
    names = {f for f in SizeResult.__dataclass_fields__}
    results = [
        SizeResult(**{k: v for k, v in size.items() if k in names}) for size in payload["sizes"]
    ]
    saved = payload["args"]
    args = argparse.Namespace(
        duration=float(saved["duration"]), connections=int(saved["connections"])
    )
    return render_markdown(payload["machine"], results, payload["cold_start"], args)
