"""The HTML book, read the way a reader reads it: in a browser, offline.

The browser tests serve ``_build/html`` on 127.0.0.1 and drive Debian's Chromium headless
(selenium + chromium-driver), with every other host unresolvable. For each page of the
table of contents they check that it loads without console errors or failed requests,
that no request leaves the site, that images load, that maths is typeset (and only where
MyST found maths), that solutions start hidden, that every slider has an accessible name,
and, on lesson pages, that the saved widgets and the static figures are there. A
screenshot of each lesson goes to ``_build/screenshots/``. The search page must find
"negative sampling". Every page, the search page and the index included, is checked with
axe-core (the copy that axe-selenium-python ships): no violation of impact "serious" or
"critical", except the few listed in AXE_KNOWN, each with where its fix belongs.

The book is built first (``jupyter-book build``) when it is missing or older than its
sources; ``make test`` builds it anyway. Without Chromium the browser tests are skipped
(install it with ``apt-get install chromium chromium-driver``), except on CI, where they fail.

Static checks need no browser: every lesson is in the table of contents, its markdown
never turns an artist's ``$`` into maths, it saves widget state and has figures, the
built pages reference nothing outside the site, and launch buttons open each lesson's
notebook on Binder.
"""

from __future__ import annotations

import base64
import collections
import functools
import html
import http.server
import itertools
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import need_chromium

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
LESSONS = ROOT / "lessons"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml", "image/gif")
SUFFIXES = {".md", ".ipynb"}  # the book's sources; a lesson's paired .py file is not one
PAGE_TIMEOUT = 30  # seconds for maths, widgets and images to finish on one page


def toc_pages() -> list[str]:
    """Every document of _toc.yml, root first, in reading order (names without suffix)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        pages += [entry["file"] for entry in part["chapters"]]
    return pages


PAGES = toc_pages()
# The seven lessons, and the deeper pages the lessons branch to (lessons/deeper/).
LESSON_PAGES = [page for page in PAGES if page.startswith("lessons/") and not page.startswith("lessons/deeper/")]
DEEPER_PAGES = [page for page in PAGES if page.startswith("lessons/deeper/")]


def notebook(page: str) -> dict:
    return json.loads((ROOT / f"{page}.ipynb").read_text())


def outputs(nb: dict) -> list[dict]:
    return [out for cell in nb["cells"] if cell["cell_type"] == "code" for out in cell.get("outputs", [])]


def widget_views(nb: dict) -> int:
    """How many outputs of the notebook display a widget."""
    return sum(WIDGET_VIEW in out.get("data", {}) for out in outputs(nb))


def image_outputs(nb: dict) -> int:
    return sum(any(t in out.get("data", {}) for t in IMAGE_TYPES) for out in outputs(nb))


def saved_widget_state(nb: dict) -> dict:
    return nb.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})


# --------------------------------------------------------------------------- static checks


def test_toc_lists_every_lesson_notebook_once():
    notebooks = sorted(f"lessons/{p.stem}" for p in LESSONS.glob("[0-9][0-9]_*.ipynb"))
    assert len(notebooks) == 7, notebooks
    assert LESSON_PAGES == notebooks, "the Lessons part of _toc.yml must list lessons/NN_*.ipynb in order"
    deeper = sorted(f"lessons/deeper/{p.stem}" for p in (LESSONS / "deeper").glob("*.ipynb"))
    assert sorted(DEEPER_PAGES) == deeper, "the Going deeper part of _toc.yml must list every lessons/deeper page"
    assert len(set(PAGES)) == len(PAGES), "a page is listed twice in _toc.yml"
    for page in PAGES:
        sources = [p for p in (ROOT / page).parent.glob(Path(page).name + ".*") if p.suffix in SUFFIXES]
        assert len(sources) == 1, f"{page}: expected one .md or .ipynb source, found {sources}"


def accidental_maths(markdown: str) -> list[str]:
    """Dollar maths that starts or ends inside a word, as MyST (set up as in _config.yml) parses it.

    ``a$ap mob and joey bada$$`` parses as the maths ``$ap mob and joey bada$``: its opening
    dollar follows a letter. Real maths (``$x$``, ``$$y$$``) starts after a space or punctuation.
    """
    from markdown_it.renderer import RendererHTML
    from markdown_it.rules_inline import StateInline
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    config = MdParserConfig(
        enable_extensions={"dollarmath", "amsmath", "colon_fence", "deflist"}, dmath_double_inline=True
    )
    md = create_md_parser(config, RendererHTML)
    rules = md.inline.ruler
    math_rule = rules.__rules__[rules.__find__("math_inline")].fn
    found: list[str] = []

    def spy(state: StateInline, silent: bool) -> bool:
        start = state.pos
        matched = math_rule(state, silent)
        if matched and not silent:
            src, end = state.src, state.pos
            before = src[start - 1] if start > 0 else " "
            after = src[end] if end < len(src) else " "
            if before.isalnum() or after.isalnum():
                found.append(src[max(0, start - 20) : end + 20])
        return matched

    rules.at("math_inline", spy)
    md.parse(markdown)
    return found


def test_accidental_maths_finds_unescaped_dollar_names():
    assert accidental_maths("fans of a$ap mob and joey bada$$ agree") != []
    assert accidental_maths("fans of a\\$ap mob and joey bada\\$\\$ agree") == []
    assert accidental_maths("a lone a$ap mob") == []  # no closing dollar: no maths
    assert accidental_maths("the loss $L = -\\log \\sigma(x)$, and $$\\sum_i x_i$$.") == []


@pytest.mark.parametrize("page", LESSON_PAGES + DEEPER_PAGES)
def test_lesson_markdown_dollars_are_escaped(page: str):
    """A '$' inside a word (a$ap mob, joey bada$$) must be written '\\$', or it starts maths."""
    for cell in notebook(page)["cells"]:
        if cell["cell_type"] == "markdown":
            found = accidental_maths("".join(cell["source"]))
            assert not found, f"{page}: maths starting or ending inside a word (write a name's $ as \\$): {found}"


@pytest.mark.parametrize("page", LESSON_PAGES)
def test_lesson_saves_widgets_and_has_figures(page: str):
    """Readers without a kernel see saved widget views and static figures."""
    nb = notebook(page)
    assert saved_widget_state(nb), f"{page}: no saved widget state (run it with tools/run_lessons.py)"
    assert widget_views(nb) >= 1, f"{page}: no output displays a widget"
    assert image_outputs(nb) >= 1, f"{page}: no figure among the stored outputs"


def test_each_lesson_page_is_one_sitting(book: Path):
    """Measured on the built pages: every lesson within a sitting's length, with a concept
    diagram and glossary links; no page of the course shows an assert or speaks of its tests."""
    from tools.lesson_stats import MAX_TOTAL_WORDS, html_stats

    total = 0
    for page in LESSON_PAGES + DEEPER_PAGES:
        stats = html_stats(book / f"{page}.html")
        problems = stats.problems(lesson=page in LESSON_PAGES)
        assert not problems, f"{page}: {'; '.join(problems)}"
        total += stats.words if page in LESSON_PAGES else 0
    assert total <= MAX_TOTAL_WORDS, f"the seven lessons hold {total} words of prose (at most {MAX_TOTAL_WORDS})"


def build_if_stale(html: Path, sources: list[Path], *args: str, env: dict[str, str] | None = None) -> Path:
    """The site in ``html``, built now (``jupyter-book build . --all -W -n --keep-going``
    and ``args``) when it is missing or older than one of ``sources``. Its ``.buildinfo``
    dates it: every build writes it, while a page whose text did not change is not rewritten."""
    stamp = html / ".buildinfo"
    if not stamp.exists() or stamp.stat().st_mtime < max(p.stat().st_mtime for p in sources if p.is_file()):
        jupyter_book = Path(sys.executable).with_name("jupyter-book")
        program = str(jupyter_book) if jupyter_book.exists() else "jupyter-book"
        command = [program, "build", ".", "--all", "-W", "-n", "--keep-going", *args]
        run = subprocess.run(command, cwd=ROOT, env={**os.environ, **(env or {})}, capture_output=True, text=True,
                             check=False)  # fmt: skip
        assert run.returncode == 0, f"`{' '.join(command)}` failed:\n{run.stdout[-4000:]}\n{run.stderr[-4000:]}"
    return html


@pytest.fixture(scope="session")
def book() -> Path:
    """The built book, built now if it is missing or older than one of its sources."""
    sources = [ROOT / "_config.yml", ROOT / "_toc.yml", *(ROOT / "book").rglob("*")]
    sources += [p for page in PAGES for p in (ROOT / page).parent.glob(Path(page).name + ".*") if p.suffix in SUFFIXES]
    return build_if_stale(HTML, sources)


EXTERNAL_REF = re.compile(
    r"<(?:script|img|iframe|source|audio|video|embed)\b[^>]*\bsrc=[\"']((?:https?:)?//[^\"']+)"
    r"|<link\b(?=[^>]*\brel=[\"'](?:stylesheet|preload|modulepreload|icon|shortcut icon|manifest)[\"'])[^>]*"
    r"\bhref=[\"']((?:https?:)?//[^\"']+)",
    re.IGNORECASE,
)


def test_built_pages_load_nothing_from_other_sites(book: Path):
    """Scripts, styles, images and fonts of every built page come from the site itself."""
    offenders = {}
    for page in sorted(book.rglob("*.html")):
        found = [a or b for a, b in EXTERNAL_REF.findall(page.read_text(errors="replace"))]
        if found:
            offenders[str(page.relative_to(book))] = found
    assert not offenders, offenders


def test_no_id_is_given_twice_on_a_page(book: Path):
    """An id names one element: links, labels and ARIA references find the first only."""
    repeated = {}
    for page in sorted(book.rglob("*.html")):
        text = re.sub(r"<script\b.*?</script>", "", page.read_text(errors="replace"), flags=re.DOTALL)
        counts = collections.Counter(re.findall(r'\sid="([^"]+)"', text))
        if twice := sorted(i for i, n in counts.items() if n > 1):
            repeated[str(page.relative_to(book))] = twice
    assert not repeated, repeated


def test_launch_buttons_open_each_lesson_on_binder(book: Path):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    owner, repo = urlsplit(config["repository"]["url"]).path.strip("/").split("/")[:2]
    binder = config["launch_buttons"]["binderhub_url"].rstrip("/")
    branch = config["repository"]["branch"]
    for page in LESSON_PAGES:
        html = (book / f"{page}.html").read_text()
        url = f"{binder}/v2/gh/{owner}/{repo}/{branch}?urlpath=lab/tree/{page}.ipynb"
        assert f'href="{url}"' in html, f"{page}: no Binder launch link to {url}"


# --------------------------------------------------------------------------- the browser


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        pass


@pytest.fixture(scope="module")
def site(book: Path) -> Iterator[str]:
    """The built book served on 127.0.0.1 from a thread; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(book)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture(scope="module")
def browser(site: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = need_chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--window-size=1400,1000",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
        # Only the local server resolves: a request to any other host fails, and is seen.
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    ):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(AXE_TIMEOUT)  # execute_async_script runs axe only
    driver.get("about:blank")
    time.sleep(0.5)
    _drain(driver)
    yield driver
    driver.quit()


def _drain(driver: WebDriver) -> tuple[list[dict], list[dict]]:
    """Console messages and network events since the last call."""
    console = driver.get_log("browser")
    network = [json.loads(entry["message"])["message"] for entry in driver.get_log("performance")]
    return console, network


def _network_problems(network: list[dict], site: str) -> list[str]:
    """Requests of this page that left the site, failed, or got an HTTP error."""
    origin = urlsplit(site).netloc
    sent: dict[str, str] = {}
    problems = []
    for event in network:
        method, params = event["method"], event.get("params", {})
        if method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            sent[params["requestId"]] = url
            parts = urlsplit(url)
            if parts.scheme in {"http", "https", "ws", "wss"} and parts.netloc != origin:
                problems.append(f"request to another site: {url}")
        elif method == "Network.responseReceived" and params["response"]["status"] >= 400:
            problems.append(f"HTTP {params['response']['status']}: {params['response']['url']}")
        elif method == "Network.loadingFailed" and params["requestId"] in sent:
            problems.append(f"failed ({params.get('errorText')}): {sent[params['requestId']]}")
    return problems


# Everything the checks need, read from the page once it has settled.
PAGE_STATE_JS = r"""
const text = (el) => (el.innerText || el.textContent || "");
const name = (el) => (el.getAttribute("aria-label") || "").trim() || (el.getAttribute("aria-labelledby") || "")
  .split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean).map(text).join(" ").trim();
const prose = [];
const article = document.querySelector("article") || document.body;
const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
  acceptNode: (node) => node.parentElement.closest(
    "pre, code, script, style, mjx-container, .cell_output, .highlight, .widget-subarea"
  ) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
});
while (walker.nextNode()) prose.push(walker.currentNode.nodeValue);
const views = [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')];
const hiddenShown = [];
for (const box of document.querySelectorAll(".admonition.dropdown")) {
  for (const child of box.children) {
    if (child.matches(".admonition-title, button")) continue;
    if (child.checkVisibility({opacityProperty: true, visibilityProperty: true})) {
      hiddenShown.push(text(box).slice(0, 80));
      break;
    }
  }
}
for (const box of document.querySelectorAll("details.hide")) {
  if (box.open) hiddenShown.push(text(box).slice(0, 80));
}
return {
  title: document.title,
  prose: prose.join(" "),
  maths: document.querySelectorAll(".math").length,
  untypeset: [...document.querySelectorAll(".math")].filter((m) => !m.querySelector("mjx-container"))
    .map((m) => text(m).slice(0, 80)),
  mathsOutsideMath: [...document.querySelectorAll("mjx-container")].filter((m) => !m.closest(".math")).length,
  mathsInOutputs: document.querySelectorAll(".cell_output mjx-container").length,
  brokenImages: [...document.images].filter((i) => !(i.complete && i.naturalWidth > 0)).map((i) => i.src),
  outputImages: [...document.querySelectorAll(".cell_output img")].filter((i) => i.naturalWidth > 0).length,
  views: views.length,
  renderedViews: views.filter((v) => {
    const area = v.previousElementSibling;
    return area && area.matches(".widget-subarea") && area.querySelector(".jupyter-widgets, [class*='widget-']");
  }).length,
  hiddenShown: hiddenShown,
  unnamedSliders: [...document.querySelectorAll('[role="slider"]')].filter((h) => !name(h)).length,
};
"""

SETTLED_JS = r"""
if (document.readyState !== "complete") return false;
if ([...document.images].some((i) => !i.complete)) return false;
const maths = [...document.querySelectorAll(".math")];
if (maths.some((m) => !m.querySelector("mjx-container"))) return false;
const views = [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')];
return views.every((v) => v.previousElementSibling && v.previousElementSibling.matches(".widget-subarea")
  && v.previousElementSibling.querySelector(".jupyter-widgets"));
"""

# Raw TeX that MathJax should have replaced: \( \[ \begin{...}, or $$ starting a word.
RAW_TEX = re.compile(r"\\\(|\\\[|\\begin\{|(?:^|\s)\$\$")


def _load(driver: WebDriver, url: str) -> dict:
    """Open ``url``, wait until maths, widgets and images have settled, and read the page."""
    driver.get(url)
    deadline = time.monotonic() + PAGE_TIMEOUT
    while time.monotonic() < deadline and not driver.execute_script(SETTLED_JS):
        time.sleep(0.2)
    time.sleep(0.3)  # late console messages
    return driver.execute_script(PAGE_STATE_JS)


def _screenshot(driver: WebDriver, path: Path) -> None:
    """A full-page PNG (the whole scroll height, capped at 20,000 pixels)."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    width = driver.execute_script("return document.documentElement.scrollWidth")
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {"format": "png", "captureBeyondViewport": True,
         "clip": {"x": 0, "y": 0, "width": width, "height": min(height, 20000), "scale": 1}},
    )  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))


# --------------------------------------------------------------------------- axe-core

AXE_TIMEOUT = 120  # seconds for one axe run: the longest lesson takes about 15 on a busy 2-core machine
AXE_IMPACTS = ("serious", "critical")  # what fails: "moderate" and "minor" findings are not reported
AXE_SHOWN = 3  # elements shown per rule in a failure


class AxeKnown(NamedTuple):
    """A violation whose fix is not in this repository's book files, allowed on the narrowest
    selector and on the pages listed; when it is gone from one of them, the test asks to drop it."""

    rule: str
    selector: str
    pages: tuple[str, ...]
    why: str


AXE_KNOWN = (
    AxeKnown(
        "autocomplete-valid", ".bd-search-container form.bd-search input[type=search][autocomplete=off]", ("search",),
        "the theme's search field has autocomplete=off, which is valid HTML: axe-core 3.1.1 "
        "flags it on a search field (axe-core issue 1109, fixed in 3.1.2).",
    ),
)  # fmt: skip

# Runs axe-core on the whole document and returns its violations of the given impacts, each
# element marked with the AXE_KNOWN entries (by index) whose rule and selector it matches.
AXE_RUN_JS = r"""
const [impacts, known, done] = arguments;
axe.run(document).then((results) => done({
  version: axe.version,
  violations: results.violations.filter((v) => impacts.includes(v.impact)).map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => {
      const el = n.target.length === 1 ? document.querySelector(n.target[0]) : null;
      return {
        target: n.target.join(" "), html: n.html, summary: n.failureSummary || "",
        known: known.flatMap(([rule, selector], i) => (rule === v.id && el && el.matches(selector) ? [i] : [])),
      };
    }),
  })),
}), (error) => done({error: String(error)}));
"""


# Opens what a page folds away: solutions (sphinx-togglebutton) and hidden cells (<details>).
OPEN_ALL_JS = r"""
const buttons = [...document.querySelectorAll("button.toggle-button.toggle-button-hidden")];
buttons.forEach((b) => b.click());
const folded = [...document.querySelectorAll("details:not([open])")];
folded.forEach((d) => { d.open = true; });
return buttons.length + folded.length;
"""


def _axe(driver: WebDriver, page: str) -> None:
    """Run axe-core on the page as it is now: fail on a serious or critical violation not in AXE_KNOWN,
    and on an AXE_KNOWN entry for this page that no longer matches anything."""
    from axe_selenium_python import Axe

    Axe(driver).inject()  # the axe.min.js that the package ships: nothing is fetched
    known = [(k.rule, k.selector) if page in k.pages else ("", "") for k in AXE_KNOWN]
    result = driver.execute_async_script(AXE_RUN_JS, list(AXE_IMPACTS), known)
    assert "error" not in result, f"{page}: axe-core failed: {result.get('error')}"
    report, used = [], set()
    for rule in result["violations"]:
        nodes = [n for n in rule["nodes"] if not n["known"]]
        used.update(i for n in rule["nodes"] for i in n["known"])
        if not nodes:
            continue
        report.append(f"{rule['id']} ({rule['impact']}): {rule['help']}, {len(nodes)} element(s); {rule['helpUrl']}")
        for node in nodes[:AXE_SHOWN]:
            lines = [line.strip() for line in node["summary"].splitlines() if line.strip()] or [""]
            summary = " ".join([lines[0], "; ".join(lines[1:])]).strip()  # "Fix any of the following: a; b"
            report.append(f"    {node['target']}: {node['html'][:200]}\n      {summary[:400]}")
        if len(nodes) > AXE_SHOWN:
            report.append(f"    and {len(nodes) - AXE_SHOWN} more")
    assert not report, f"{page}: axe-core {result['version']} finds:\n" + "\n".join(report)
    stale = [k for i, k in enumerate(AXE_KNOWN) if page in k.pages and i not in used]
    assert not stale, f"{page}: no longer seen, drop from AXE_KNOWN: {[(k.rule, k.selector) for k in stale]}"


@pytest.mark.parametrize("page", PAGES)
def test_page_reads_well_offline(page: str, site: str, browser: WebDriver):
    _drain(browser)
    state = _load(browser, f"{site}{page}.html")
    console, network = _drain(browser)

    errors = [f"{e['message']}" for e in console if e["level"] == "SEVERE"]
    assert not errors, f"{page}: console errors: {errors}"
    problems = _network_problems(network, site)
    assert not problems, f"{page}: {problems}"
    assert not state["brokenImages"], f"{page}: images that did not load: {state['brokenImages']}"
    assert not state["untypeset"], f"{page}: maths left untypeset: {state['untypeset']}"
    raw = [m.group(0) for m in RAW_TEX.finditer(state["prose"])]
    assert not raw, f"{page}: raw TeX in the text: {raw}"
    assert state["mathsOutsideMath"] == 0, f"{page}: MathJax typeset text that MyST did not mark as maths"
    assert state["mathsInOutputs"] == 0, f"{page}: maths in a cell output"
    shown = state["hiddenShown"]
    assert not shown, f"{page}: solutions or hidden cells shown before the reader asks: {shown}"
    # axe-core 3.1 has no rule for it (4.x: aria-input-field-name); widgets-setup.js names them.
    unnamed = state["unnamedSliders"]
    assert not unnamed, f"{page}: {unnamed} slider(s) that a screen reader cannot name (no aria-label(ledby))"

    if page in LESSON_PAGES:
        nb = notebook(page)
        if saved_widget_state(nb):
            expected, views, rendered = widget_views(nb), state["views"], state["renderedViews"]
            assert views == expected, f"{page}: {views} widget views in the HTML, {expected} in the notebook"
            assert rendered == expected, f"{page}: only {rendered} of {expected} widgets rendered"
        assert state["outputImages"] >= image_outputs(nb), f"{page}: figures missing from the page"
        _screenshot(browser, SCREENSHOTS / f"{Path(page).name}.png")
    _axe(browser, page)
    if page in LESSON_PAGES:  # and with every solution and hidden cell opened, as a reader may
        opened = browser.execute_script(OPEN_ALL_JS)
        assert opened >= 2, f"{page}: only {opened} solutions or hidden cells to open"
        time.sleep(0.5)  # the togglebutton animation
        _axe(browser, f"{page}, its solutions and hidden cells open")


def test_intro_keeps_dollar_names_as_text(site: str, browser: WebDriver):
    """The intro writes a\\$ap mob and joey bada\\$\\$: they must read as names, not maths."""
    state = _load(browser, f"{site}{PAGES[0]}.html")
    assert "a$ap mob" in state["prose"] and "joey bada$$" in state["prose"]
    assert state["maths"] == 0


def test_search_finds_negative_sampling(site: str, browser: WebDriver):
    _drain(browser)
    browser.get(f"{site}search.html?q=negative+sampling")
    deadline = time.monotonic() + PAGE_TIMEOUT
    links: list[str] = []
    while time.monotonic() < deadline and not links:
        time.sleep(0.2)
        links = browser.execute_script(
            "return [...document.querySelectorAll('#search-results ul.search li a')].map((a) => a.href)"
        )
    console, network = _drain(browser)
    assert not [e for e in console if e["level"] == "SEVERE"], console
    assert not _network_problems(network, site)
    pages = {urlsplit(link).path.lstrip("/") for link in links}
    assert "lessons/03_negative_sampling.html" in pages, f"search results: {sorted(pages)}"
    _axe(browser, "search")  # with its results listed


def test_index_page_reads_well_offline(site: str, browser: WebDriver):
    """The general index (genindex.html), which every page links to in its head."""
    _drain(browser)
    _load(browser, f"{site}genindex.html")
    console, network = _drain(browser)
    assert not [e for e in console if e["level"] == "SEVERE"], console
    assert not _network_problems(network, site)
    _axe(browser, "genindex")


# --------------------------------------------------------------------------- controls in the page

MAX_PAGE_BYTES = 3 * 2**20  # a lesson page, widget state and figures included


def _ref(value: object) -> str | None:
    return value[len("IPY_MODEL_") :] if isinstance(value, str) and value.startswith("IPY_MODEL_") else None


def _children(state: dict, model_id: str) -> list[str]:
    return [c for c in map(_ref, state[model_id]["state"].get("children", [])) if c]


def _tree(state: dict, model_id: str) -> list[str]:
    """The model and everything inside it, in the order the page draws them."""
    return [model_id, *(m for child in _children(state, model_id) for m in _tree(state, child))]


SETTINGS_MARK = re.compile(r'class="control-settings" data-settings="([^"]*)"')


def _mark(state: dict, model_id: str) -> str | None:
    """The settings a page of a control was made for (widgets._marked), if it is one."""
    for m in _tree(state, model_id)[:3]:
        value = state[m]["state"].get("value", "") if state[m]["model_name"] == "HTMLModel" else ""
        found = SETTINGS_MARK.search(value)
        if found:
            return html.unescape(found.group(1))
    return None


def _on_view(state: dict, stack: str) -> str:
    """The page a stack (or a stack of stacks) shows as saved."""
    while state[stack]["model_name"] == "StackModel":
        stack = _children(state, stack)[state[stack]["state"]["selected_index"]]
    return stack


def _leaves(state: dict, stack: str) -> list[str]:
    """Every page of a stack of stacks."""
    if state[stack]["model_name"] != "StackModel":
        return [stack]
    return [leaf for child in _children(state, stack) for leaf in _leaves(state, child)]


def linked_controls(nb: dict) -> list[dict]:
    """Every displayed control whose selectors turn stacks of pages (jslink), as saved.

    Each: ``view`` (its model id), ``selectors`` (per selector: ``kind``, "slider" or
    "menu", its ``options`` and saved ``index``), ``stacks`` (per stack: its saved page and
    its selector's saved index), ``mark`` (the settings of the page on view) and
    ``marks`` and ``pages`` (every page's settings, and its widget values as saved).
    """
    state = saved_widget_state(nb)
    shown = [out["data"][WIDGET_VIEW]["model_id"] for out in outputs(nb) if WIDGET_VIEW in out.get("data", {})]
    links = {}  # stack -> its selector
    for model in state.values():
        if model["model_name"] == "LinkModel":
            (source, source_trait), (target, target_trait) = model["state"]["source"], model["state"]["target"]
            if (source_trait, target_trait) == ("index", "selected_index"):
                links[_ref(target)] = _ref(source)
    found = []
    for view in shown:
        tree = _tree(state, view)
        stacks = [m for m in tree if m in links]
        if not stacks:
            continue
        selectors = list(dict.fromkeys(links[m] for m in stacks))
        outer = stacks[0]
        leaves = _leaves(state, outer)
        found.append({
            "view": view,
            "selectors": [{
                "kind": "slider" if "Slider" in state[m]["model_name"] else "menu",
                "options": state[m]["state"]["_options_labels"], "index": state[m]["state"]["index"],
            } for m in selectors],
            "stacks": [(state[m]["state"]["selected_index"], state[links[m]]["state"]["index"]) for m in stacks],
            "mark": _mark(state, _on_view(state, outer)),
            "marks": [_mark(state, leaf) for leaf in leaves],
            "pages": [json.dumps([state[m]["state"].get("value") for m in _tree(state, leaf)]) for leaf in leaves],
        })  # fmt: skip
    return found


def _settings(selectors: list[dict], indexes: list[int]) -> str:
    """What the page for these settings is marked with: the labels, joined."""
    return "; ".join(s["options"][i] for s, i in zip(selectors, indexes, strict=True))


# Every lesson has at least one control that works in the book; a deeper page may have one.
LINKED = {page: int(page in LESSON_PAGES) for page in LESSON_PAGES + DEEPER_PAGES}


@pytest.mark.parametrize("page", LESSON_PAGES + DEEPER_PAGES)
def test_every_control_works_without_a_kernel_and_opens_consistent(page: str):
    """Every displayed control turns pages made in advance, and is saved showing the page
    made for exactly what its selectors say; no two settings show the same page."""
    nb = notebook(page)
    controls = linked_controls(nb)
    assert len(controls) >= LINKED[page], f"{page}: {len(controls)} linked controls, expected {LINKED[page]}"
    assert len(controls) == widget_views(nb), f"{page}: every control shown must work in the book"
    for control in controls:
        selectors = control["selectors"]
        for shown, selected in control["stacks"]:
            assert shown == selected, f"{page}: a stack saved on page {shown}, its selector on {selected}"
        expected = _settings(selectors, [s["index"] for s in selectors])
        assert control["mark"] == expected, f"{page}: saved showing {control['mark']!r}, its selectors say {expected!r}"
        every = itertools.product(*(range(len(s["options"])) for s in selectors))
        combos = [_settings(selectors, list(i)) for i in every]
        assert control["marks"] == combos, f"{page}: the pages are not one per setting, in order"
        made = [p for p, m in zip(control["pages"], control["marks"], strict=True) if "needs a running" not in m]
        assert len(set(made)) == len(made), f"{page}: two settings show the same page"


@pytest.mark.parametrize("page", LESSON_PAGES)
def test_lesson_pages_stay_light(page: str, book: Path):
    size = (book / f"{page}.html").stat().st_size
    assert size <= MAX_PAGE_BYTES, f"{page}: {size / 2**20:.1f} MB, over {MAX_PAGE_BYTES / 2**20:.0f} MB"


CONTROL_JS = r"""
const viewId = arguments[0];
const script = [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')]
  .find((s) => JSON.parse(s.textContent).model_id === viewId);
const area = script && script.previousElementSibling;
if (!area) return null;
const onView = (e) => e.offsetParent !== null;
const selectors = [...area.querySelectorAll(".widget-slider, .widget-dropdown")].filter(onView);
const marks = [...area.querySelectorAll(".control-settings")].filter((m) => onView(m.parentElement));
return {
  readouts: selectors.map((w) => w.classList.contains("widget-slider")
    ? w.querySelector(".widget-readout").textContent.trim()
    : (() => { const s = w.querySelector("select");
               return s.options[s.selectedIndex].textContent.replace(/\u00a0/g, " "); })()),
  marks: marks.map((m) => m.dataset.settings),
  text: area.innerText,
  images: [...area.querySelectorAll("img")].filter(onView).map((i) => i.complete && i.naturalWidth > 0),
};
"""


def _control(driver: WebDriver, control: dict) -> dict:
    return driver.execute_script(CONTROL_JS, control["view"])


def _move(driver: WebDriver, control: dict, selector: int, key: str) -> None:
    """Press ``key`` on the control's ``selector``-th slider or menu, as a reader would."""
    from selenium.webdriver.common.by import By

    script = next(
        s for s in driver.find_elements(By.CSS_SELECTOR, 'script[type="application/vnd.jupyter.widget-view+json"]')
        if json.loads(s.get_attribute("textContent"))["model_id"] == control["view"]
    )  # fmt: skip
    area = driver.execute_script("return arguments[0].previousElementSibling", script)
    targets = area.find_elements(By.CSS_SELECTOR, ".widget-slider .noUi-handle, .widget-dropdown select")
    target = targets[selector]
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus()", target)
    target.send_keys(key)


@pytest.mark.parametrize("page", LESSON_PAGES)
def test_every_control_moves_its_output_in_the_page(page: str, site: str, browser: WebDriver):
    """In the static page, step each selector of each control through every setting with
    the keyboard: after each step the one page on view is the page made for exactly what
    the selectors read, its figures load, and nothing is logged as an error."""
    from selenium.webdriver.common.keys import Keys

    controls = linked_controls(notebook(page))
    _drain(browser)
    _load(browser, f"{site}{page}.html")
    for control in controls:
        selectors = control["selectors"]
        shown = _control(browser, control)
        assert shown, f"{page}: control {control['view']} is not on the page"
        assert shown["marks"] == [control["mark"]], f"{page}: opens on {shown['marks']}, saved on {control['mark']!r}"
        at = [s["options"].index(r) for s, r in zip(selectors, shown["readouts"], strict=False)]
        assert len(at) == len(selectors), f"{page}: {shown['readouts']} on view, {len(selectors)} selectors saved"
        for j, selector in enumerate(selectors):
            back, forward = (Keys.ARROW_LEFT, Keys.ARROW_RIGHT) if selector["kind"] == "slider" else (
                Keys.ARROW_UP, Keys.ARROW_DOWN)
            for step in [*[back] * at[j], *[forward] * (len(selector["options"]) - 1)]:
                _move(browser, control, j, step)
                at[j] += 1 if step == forward else -1
                want = _settings(selectors, at)
                deadline = time.monotonic() + 5
                while time.monotonic() < deadline:
                    shown = _control(browser, control)
                    if shown["marks"] == [want] and all(shown["images"]):
                        break
                    time.sleep(0.1)
                readouts = [s["options"][i] for s, i in zip(selectors, at, strict=True)]
                read = shown["readouts"][: len(selectors)]
                assert read == readouts, f"{page}: the selectors read {read}, not {readouts}"
                assert shown["marks"] == [want], f"{page}: {want!r} shows the page made for {shown['marks']}"
                assert all(shown["images"]), f"{page}: a figure for {want!r} did not load"
                if "needs a running" in want:
                    assert "needs a running notebook" in shown["text"], f"{page}: {want!r} does not say so"
    console, network = _drain(browser)
    errors = [e["message"] for e in console if e["level"] == "SEVERE"]
    assert not errors, f"{page}: console errors while moving the controls: {errors}"
    assert not _network_problems(network, site), f"{page}: {_network_problems(network, site)}"
