"""Screenshots of the practitioner pages for docs/screenshots/ (``make screenshots``).

Starts the API over the bundled literature on 127.0.0.1, opens each page in headless Chromium
at a desktop and a phone width and writes ``docs/screenshots/<name>.png``. Dutch pages, as a
prevention worker sees them.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for folder in (REPO_ROOT, BENCH):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from processes import ApiProcess  # noqa: E402
from viewer_bench import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OUT = REPO_ROOT / "docs" / "screenshots"
#: name, path, viewport width, what to do before the shot
SHOTS = [
    ("map", "/?lang=nl", 1400, None),
    (
        "map-cell",
        "/?lang=nl#cell=direct_discrimination_racism_exclusion:justice_seeker",
        1400,
        "cell",
    ),
    ("map-empty-filter", "/?lang=nl&level=meso&verdict=strong", 1400, None),
    (
        "map-filtered",
        "/?lang=nl&design=cross_sectional_survey&year_from=2016",
        1400,
        None,
    ),
    ("network", "/network?lang=nl", 1400, "network"),
    ("factor-detention", "/factors/detention?lang=nl", 1400, None),
    ("factor-phone", "/factors/breaking_social_bonds?lang=nl", 390, None),
    (
        "profile-and",
        "/profile?lang=nl&driver=justice_seeker&sex=sex_male&age=age_18_25",
        1400,
        None,
    ),
    ("gaps", "/gaps?lang=nl", 1400, None),
    ("about", "/about/population-evidence?lang=nl", 1400, None),
]


def main() -> int:
    """Write every screenshot; print the files written."""
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        server = ApiProcess({"TRIGGERGRAPH_STORE": "memory"}, Path(tmp) / "server.log")
        server.start()
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for name, path, width, action in SHOTS:
                    page = browser.new_page(viewport={"width": width, "height": 900})
                    page.goto(server.url + path)
                    if action == "cell":
                        page.locator("#cell-details").wait_for(state="visible")
                        page.wait_for_selector("#cell-details[data-loaded='1']", timeout=20_000)
                    elif action == "network":
                        page.wait_for_function(
                            "document.body.getAttribute('data-network-drawn') === '1'"
                        )
                    target = OUT / f"{name}.png"
                    page.screenshot(path=str(target), full_page=width < 1000)
                    page.close()
                    print(target.relative_to(REPO_ROOT))
                browser.close()
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
