"""A large network in Chromium: while the view zooms or is dragged, nodes are drawn as plain
squares; when it stops, vis-network draws everything again, and the keyboard still zooms."""

from __future__ import annotations

import pytest
from bench_scripts import load_bench

from triggergraph.viewer.network import LIGHT_NODE_LIMIT, render_network_html

pytestmark = [pytest.mark.browser]

DRAWN = "document.body.getAttribute('data-network-drawn') === '1'"
STILL = "document.getElementById('network').getAttribute('data-moving') === '0'"


@pytest.fixture(scope="module")
def large_network():
    """A page with a projection-shaped network just above the light-drawing limit."""
    viewer_bench = load_bench("viewer_bench")
    graph = viewer_bench.build_synthetic_graph(LIGHT_NODE_LIMIT + 100)
    positions, _ = viewer_bench.layout(graph)
    server = viewer_bench._Pages()
    server.pages["/net"] = render_network_html(graph, positions, lang="nl").encode()
    try:
        yield server.url("/net"), graph.number_of_nodes()
    finally:
        server.close()


def test_zoom_draws_light_frames_then_the_full_network(watch, large_network):
    url, n_nodes = large_network
    page = watch.page
    page.goto(url)
    page.wait_for_function(DRAWN, timeout=120_000)
    network = page.locator("#network")
    assert network.get_attribute("data-light") == "1"
    page.evaluate(
        """() => { window.tgLight = 0; window.tgNetwork.on('afterDrawing', () => {
             if (document.getElementById('network').getAttribute('data-moving') === '1')
               window.tgLight += 1; }); }"""
    )
    box = network.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(5):
        page.mouse.wheel(0, -120)
    assert page.evaluate("window.tgLight") > 0
    # every frame hands vis-network its whole node list back
    assert page.evaluate("window.tgNetwork.body.nodeIndices.length") == n_nodes
    page.wait_for_function(STILL, timeout=10_000)
    assert page.evaluate("window.tgNetwork.body.nodeIndices.length") == n_nodes
    watch.assert_clean()


def test_keyboard_still_zooms_the_large_network(watch, large_network):
    url, _ = large_network
    page = watch.page
    page.goto(url)
    page.wait_for_function(DRAWN, timeout=120_000)
    before = page.evaluate("window.tgNetwork.getScale()")
    box = page.locator("#network").bounding_box()
    page.mouse.move(box["x"] + 5, box["y"] + 5)  # vis-network focuses its canvas on hover
    # vis-network zooms in while "=" is held down, a step per frame drawn
    page.keyboard.down("=")
    page.wait_for_function(f"window.tgNetwork.getScale() > {before}", timeout=10_000)
    page.keyboard.up("=")
    page.wait_for_function(STILL, timeout=10_000)
    assert page.locator("#network").get_attribute("role") == "application"
    watch.assert_clean()
