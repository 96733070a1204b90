"""Map page benchmark: HTML size, render time and time until the map is visible in Chromium.

Measures the evidence map (``render_evidence_map``, Dutch) over the bundled literature and
over synthetic literature of 10k and 100k findings (``bench/synth.py``), served from memory
on 127.0.0.1 with the viewer's static files. "Visible" is the time from navigation until the
map table is laid out and its script has run (DOMContentLoaded plus layout of
``#evidence-map``), median of ``--runs``. Run it against another checkout (for a before/after
table) by copying this file into that checkout's ``bench/`` folder.

    python bench/map_bench.py --sizes bundled,10k --runs 3
    python bench/map_bench.py --app --runs 3

``--app`` measures the real app instead (``api.main:app`` under uvicorn, memory store, the
bundled literature): per run a fresh server, a browser that has already opened one other
page of it (a stylesheet), then the Dutch map opened right after ``/health`` first answers
("first visit": whatever the server has not made yet is made for this request) and once more
("again"); medians over the runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))
BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from viewer_bench import CHROMIUM, CHROMIUM_ARGS, _Pages  # noqa: E402

from triggergraph.config import Settings  # noqa: E402
from triggergraph.loader import load_literature  # noqa: E402
from triggergraph.readmodel import EvidenceIndex  # noqa: E402
from triggergraph.viewer import render_evidence_map  # noqa: E402
from triggergraph.vocabulary import load_vocabulary  # noqa: E402

SIZES = {"bundled": 0, "10k": 10_000, "100k": 100_000}
VISIBLE_JS = """() => {
  const t = document.getElementById('evidence-map');
  return t && t.getBoundingClientRect().height > 0 ? performance.now() : null;
}"""


def build_index(size: str) -> tuple[EvidenceIndex, int]:
    """The index over the bundled literature, or over that many synthetic findings."""
    vocabulary = load_vocabulary()
    if SIZES[size] == 0:
        sources = load_literature(Settings().literature_dir, vocabulary)
    else:
        from synth import generate_sources

        sources = generate_sources(SIZES[size], vocabulary=vocabulary)
    n_findings = sum(len(s.findings) for s in sources)
    return EvidenceIndex.build(sources, vocabulary), n_findings


def measure_visible(browser, url: str) -> float:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(url, wait_until="domcontentloaded", timeout=600_000)
        page.wait_for_function(VISIBLE_JS, timeout=600_000)
        return page.evaluate(VISIBLE_JS) / 1000.0
    finally:
        page.close()


def run(sizes: list[str], runs: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []
    server = _Pages()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for size in sizes:
                t0 = time.perf_counter()
                index, n_findings = build_index(size)
                t_index = time.perf_counter() - t0
                t0 = time.perf_counter()
                html = render_evidence_map(index, lang="nl").encode()
                t_render = time.perf_counter() - t0
                server.pages[f"/map/{size}"] = html
                visible = [
                    measure_visible(browser, server.url(f"/map/{size}")) for _ in range(runs)
                ]
                rows.append(
                    {
                        "size": size,
                        "findings": n_findings,
                        "index_s": t_index,
                        "render_s": t_render,
                        "html_kb": len(html) / 1024,
                        "visible_s": statistics.median(visible),
                    }
                )
                print(rows[-1], flush=True)
            browser.close()
    finally:
        server.close()
    return rows


def run_app(runs: int) -> dict:
    """First and repeated visits of the Dutch map on a freshly started app, medians of ``runs``."""
    import tempfile

    from playwright.sync_api import sync_playwright
    from processes import ApiProcess

    first, again, ready = [], [], []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(runs):
            env = {
                "TRIGGERGRAPH_STORE": "memory",
                "TRIGGERGRAPH_LITERATURE_DIR": str(REPO_ROOT / "literature"),
            }
            server = ApiProcess(env, Path(tmp) / "server.log").start()
            try:
                ready.append(server.ready_s)
                warm = browser.new_page()
                warm.goto(server.url + "/static/viewer/viewer.css")
                warm.close()
                first.append(measure_visible(browser, server.url + "/?lang=nl"))
                again.append(measure_visible(browser, server.url + "/?lang=nl"))
            finally:
                server.stop()
        browser.close()
    row = {
        "ready_s": statistics.median(ready),
        "first_s": statistics.median(first),
        "again_s": statistics.median(again),
        "first_all": first,
        "again_all": again,
    }
    print(row, flush=True)
    return row


def format_table(rows: list[dict]) -> str:
    lines = [
        "| literature | findings | index build | map render | map HTML | visible (median) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['size']} | {r['findings']:,} | {r['index_s']:.1f} s | {r['render_s']:.2f} s | "
            f"{r['html_kb']:,.0f} KB | {r['visible_s']:.2f} s |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the map benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="bundled,10k,100k")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--app", action="store_true", help="measure the real app (bundled)")
    args = parser.parse_args(argv)
    if args.app:
        row = run_app(args.runs)
        print(
            "| first visit after start (median) | again (median) | server ready (median) |\n"
            "|---:|---:|---:|\n"
            f"| {row['first_s']:.2f} s | {row['again_s']:.2f} s | {row['ready_s']:.1f} s |"
        )
        return 0
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {unknown}; valid: {', '.join(SIZES)}")
    print(format_table(run(sizes, args.runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
