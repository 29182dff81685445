"""A real browser: notebook 01 exported to HTML and the step-through page, in headless Chromium.

Chromium is Debian's ``chromium`` package (``/usr/bin/chromium``, installed by
scripts/ensure-system-deps.sh), driven by the Python ``playwright`` package with
``executable_path``: no browser download. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.notebooks.nbrun import NOTEBOOKS, REPO, execute

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "tests" / "artifacts"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
]


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory):
    if not CHROMIUM.exists():
        if os.environ.get("AUTOGRAD_CORE_REQUIRE_SYSTEM_DEPS") == "1":
            pytest.fail("/usr/bin/chromium is missing although scripts/ensure-system-deps.sh should have installed it")
        pytest.skip("Debian's chromium is not installed (run scripts/ensure-system-deps.sh as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),  # a fresh --user-data-dir
            executable_path=str(CHROMIUM), headless=True, args=FLAGS,
            viewport={"width": 1400, "height": 1000},
        )
        page = ctx.new_page()
        # offline and deterministic: only local files load (the export links CDNs for MathJax etc.)
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                   else route.abort())
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.js_errors = errors
        yield page
        ctx.close()


def visible_graph_boxes(page) -> list[dict]:
    boxes = []
    for svg in page.locator("svg:has(> g.graph)").all():
        if svg.is_visible():
            boxes.append(svg.bounding_box())
    return boxes


def check_player(page, player, shot: Path) -> None:
    assert player.get_attribute("data-current") == "0", "the player script did not run"
    frame0 = player.locator(".agc-frame[data-frame='0']")
    assert frame0.is_visible()
    player.locator("button.agc-next").click()
    assert player.get_attribute("data-current") == "1"
    frame1 = player.locator(".agc-frame[data-frame='1']")
    assert frame1.is_visible() and not frame0.is_visible()
    assert player.locator("input[type=range]").input_value() == "1"
    assert "frame 1 /" in player.locator(".agc-counter").inner_text()
    box = frame1.locator("svg").bounding_box()
    assert box and box["width"] > 100 and box["height"] > 30
    player.locator("button.agc-prev").click()
    assert player.get_attribute("data-current") == "0"
    player.locator("button.agc-next").click()
    player.scroll_into_view_if_needed()
    page.screenshot(path=str(shot), full_page=True)


def test_notebook_01_exported_renders_its_graphs_and_steps_through(browser_page):
    from nbconvert import HTMLExporter

    nb, results = execute(NOTEBOOKS / "01_chain_rule_step_by_step.ipynb")
    body, _ = HTMLExporter().from_notebook_node(nb)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    exported = ARTIFACTS / "01_chain_rule_step_by_step.html"
    exported.write_text(body, encoding="utf-8")

    page = browser_page
    page.goto(exported.as_uri(), wait_until="load")
    # the graph pictures (two draw_dot outputs + the first frame of the player) draw with real size
    boxes = visible_graph_boxes(page)
    assert len(boxes) >= 3, boxes
    assert all(b["width"] > 100 and b["height"] > 30 for b in boxes), boxes
    # the step-through player inside the exported notebook works without a kernel
    check_player(page, page.locator(".agc-frames").first, ARTIFACTS / "notebook01.png")

    # the self-contained page the notebook saved
    page.goto(Path(results["frames_page"]).as_uri(), wait_until="load")
    assert len(visible_graph_boxes(page)) == 1
    check_player(page, page.locator(".agc-frames"), ARTIFACTS / "frames_page.png")
    assert page.js_errors == [] or all("require" in e or "define" in e for e in page.js_errors), page.js_errors
