"""Network zoom frame rate: frames vis-network draws per second while the view zooms in and out.

Uses the 5,000-node synthetic graph of ``bench/viewer_bench.py`` rendered by this checkout's
``render_network_html``, in headless Chromium at 1280×900. For 3 s the mouse wheel zooms over
the canvas centre (ten steps in, ten out, as a user does); the rate is ``afterDrawing`` events
per second. Median of ``--runs``.

    python bench/network_zoom_bench.py --nodes 5000 --runs 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
for folder in (BENCH.parent, BENCH):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from viewer_bench import CHROMIUM, CHROMIUM_ARGS, _Pages, build_synthetic_graph, layout  # noqa: E402

from triggergraph.viewer.network import render_network_html  # noqa: E402

COUNT_JS = """() => {
  window.tgFrames = 0;
  window.tgT0 = performance.now();
  window.tgNetwork.on('afterDrawing', () => { window.tgFrames += 1; });
}"""
RATE_JS = "() => window.tgFrames / ((performance.now() - window.tgT0) / 1000)"


def zoom_fps(page, seconds: float) -> float:
    """Wheel-zoom in and out over the canvas centre (as a user does) and return frames/s."""
    import time

    box = page.locator("#network").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.evaluate(COUNT_JS)
    end = time.perf_counter() + seconds
    step = 0
    while time.perf_counter() < end:
        page.mouse.wheel(0, -120 if (step // 10) % 2 == 0 else 120)
        step += 1
    return page.evaluate(RATE_JS)


def main(argv: list[str] | None = None) -> int:
    """Print the median frames per second while zooming."""
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    graph = build_synthetic_graph(args.nodes)
    positions, _name = layout(graph)
    server = _Pages()
    server.pages["/net"] = render_network_html(graph, positions, lang="en").encode()
    rates = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(args.runs):
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(server.url("/net"))
                page.wait_for_function(
                    "document.body.getAttribute('data-network-drawn') === '1'", timeout=120_000
                )
                rates.append(zoom_fps(page, 3.0))
                page.close()
            browser.close()
    finally:
        server.close()
    print(
        f"{args.nodes} nodes, {graph.number_of_edges()} edges: zoom "
        f"{statistics.median(rates):.1f} fps (runs: {', '.join(f'{r:.1f}' for r in rates)})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
