"""The HTML book, read the way a reader reads it: in a browser, offline.

The browser tests serve ``_build/html`` on 127.0.0.1 and drive Debian's Chromium headless
(selenium + chromium-driver), with every other host unresolvable. For each page of the
table of contents, at a desktop width (1300 px) and a phone's (400 px), they check that it
loads without console errors or failed requests, that no request leaves the site, that
images load, that maths is typeset (and only where MyST found maths), that solutions
start hidden and open whole (text and code in one collapsible), that every slider has an
accessible name and announces what its readout shows, that the page is no wider than the
window (wide tables and code scroll in their own box), that the top of the page holds one
search box, and, on lesson pages, that the saved widgets and the static figures are
there. A screenshot of each lesson at each width goes to ``_build/screenshots/``. The
search page must find "negative sampling". Every page of the book and of its student
edition, the search page and the index included, is checked at both widths with axe-core
4 (from the npm registry, pinned with its integrity in AXE_PACKAGE): no violation of
impact "serious" or "critical", except the few listed in AXE_KNOWN, each with its
upstream issue.

The book is built first (``jupyter-book build``) when it is missing or older than its
sources; ``make test`` builds it anyway. Without Chromium the browser tests are skipped
(install it with ``apt-get install chromium chromium-driver``), except on CI, where they fail.

Static checks need no browser: every lesson is in the table of contents, its markdown
never turns an artist's ``$`` into maths, it saves widget state and has figures, the
built pages reference nothing outside the site, and launch buttons open each lesson's
notebook on Binder; the book reads no file its table of contents does not name (a
virtual environment in the checkout, under any name, included); each solution's code
is inside its solution; the download menu offers a ".pdf" only where the site has one.
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
from conftest import need_chromium, skip_or_fail

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
WIDTHS = (1300, 400)  # the browser's inner width, in CSS pixels: a desktop's, a phone's
STUDENT_HTML = ROOT / "_build" / "student" / "_build" / "html"  # make book-student


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


# The folders a learner may keep in the checkout, each with a document Sphinx would read:
# virtual environments (with a pyvenv.cfg) under the names learners give them, hidden or
# not, at the top or beside the lessons, and a conda environment.
STRAY_ENVIRONMENTS = ("venv", "env", ".v313", "lessons/.venv-lessons", "book/conda-env")


def _discover(srcdir: Path, skip: list[str]) -> set[str]:
    """The documents Sphinx finds in ``srcdir``, as it finds them (sphinx.project.Project),
    with _config.yml's exclude_patterns, jupyter-book's own, and ``skip``."""
    import jupyter_book
    from sphinx.project import Project

    patterns = yaml.safe_load((ROOT / "_config.yml").read_text())["exclude_patterns"]
    defaults = yaml.safe_load((Path(jupyter_book.__file__).parent / "default_config.yml").read_text())
    defaults = defaults["exclude_patterns"]
    project = Project(srcdir, [".rst", ".md", ".ipynb"])
    return project.discover([*defaults, *patterns, *skip])


def test_book_reads_only_the_files_its_toc_names(tmp_path: Path):
    """A checkout with virtual environments in it (venv/, env/, .v313/ ...): Sphinx finds
    exactly the pages of _toc.yml, once book/_ext/book_sources.py has named the folders to
    skip; without them it would read the environments' README files."""
    from book._ext.book_sources import folders_to_skip, toc_documents

    srcdir = tmp_path / "checkout"
    srcdir.mkdir()
    for entry in ("_toc.yml", "_config.yml"):
        (srcdir / entry).symlink_to(ROOT / entry)
    for folder in ("book", "lessons"):  # real folders, so that environments can go inside them
        (srcdir / folder).mkdir()
        for item in (ROOT / folder).iterdir():
            if item.name not in {"__pycache__", ".ipynb_checkpoints"}:
                (srcdir / folder / item.name).symlink_to(item)
    for env in STRAY_ENVIRONMENTS:
        package = srcdir / env / "lib" / "python3.13" / "site-packages" / "somepackage"
        package.mkdir(parents=True)
        (package / "README.md").write_text("# A package's README\n")
        (package / "example.ipynb").write_text("{}")
        (srcdir / env / ("conda-meta" if "conda" in env else "pyvenv.cfg")).touch()
    documents = toc_documents(yaml.safe_load((ROOT / "_toc.yml").read_text()))
    assert documents == PAGES
    stray = _discover(srcdir, []) - set(PAGES)
    assert {d.split("/lib/")[0] for d in stray} >= set(STRAY_ENVIRONMENTS), "the test's environments are not seen"
    skip = folders_to_skip(srcdir, documents)
    assert set(STRAY_ENVIRONMENTS) <= set(skip), skip
    assert _discover(srcdir, skip) == set(PAGES)


def _student() -> Path:
    """The student edition, built now if it is missing or older than its sources."""
    sources = [ROOT / "_config.yml", ROOT / "_toc.yml", *(ROOT / "book").rglob("*"), *(LESSONS.rglob("*.ipynb"))]
    edition = {"BANDS2VEC_EDITION": "student"}
    return build_if_stale(STUDENT_HTML, sources, "--path-output", "_build/student", env=edition)


@pytest.fixture(scope="module")
def student() -> Path:
    return _student()


def test_built_sites_hold_only_the_toc_pages(book: Path, student: Path):
    """What each edition offers as its sources (``_sources/``) is the pages of _toc.yml:
    nothing else in the checkout was read."""
    for site in (book, student):
        sources = {str(p.relative_to(site / "_sources")) for p in (site / "_sources").rglob("*") if p.is_file()}
        pages = {re.sub(r"(\.ipynb|\.md)(\.txt)?$", "", s) for s in sources}
        assert pages == set(PAGES), f"{site}: {sorted(pages ^ set(PAGES))}"


def _solution_cells(page: str) -> int:
    """How many code cells of a lesson are a solution's and shown in the book."""
    return sum(
        "solution" in (tags := cell.get("metadata", {}).get("tags", [])) and "remove-cell" not in tags
        for cell in notebook(page)["cells"]
        if cell["cell_type"] == "code"
    )


@pytest.mark.parametrize("page", LESSON_PAGES)
def test_each_solution_is_one_collapsible_with_its_code(page: str, book: Path):
    """A solution's code cells are inside its dropdown, after its text, not folded again on
    their own (no "Show code cell content" inside it, none left after it)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((book / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    solutions = soup.select("div.solution.dropdown")
    assert solutions, f"{page}: no solution"
    cells = soup.select("div.cell.tag_solution")
    assert len(cells) == _solution_cells(page) > 0, f"{page}: {len(cells)} solution cells shown"
    outside = [c.get_text(" ", strip=True)[:80] for c in cells if not c.find_parent("div", class_="solution")]
    assert not outside, f"{page}: a solution's code outside its solution: {outside}"
    folded = [s["id"] for s in solutions if s.select("details")]
    assert not folded, f"{page}: a solution's code folded inside the solution: {folded}"
    for solution in solutions:
        body = solution.find("section")
        texts = [c for c in body.children if getattr(c, "name", None)]
        if any("cell" in (c.get("class") or []) for c in texts):
            assert "cell" not in (texts[0].get("class") or []), f"{page}: {solution['id']} starts with its code"


def _download_menu(html_text: str) -> str:
    menu = re.search(r'<div class="dropdown dropdown-download-buttons">.*?</ul>', html_text, re.DOTALL)
    return menu.group(0) if menu else ""


def test_download_menu_offers_a_pdf_only_where_the_site_has_one(book: Path, student: Path):
    """No ".pdf" entry that prints the one page; the whole course's PDF where the site has
    it (``make pdf`` before ``make book``), never in the student edition."""
    for site in (book, student):
        has_pdf = (site / "bands2vec.pdf").exists()
        assert not (has_pdf and site == student), "the student edition holds the PDF, and its solutions"
        for path in sorted(site.rglob("*.html")):
            page = str(path.relative_to(site))
            menu = _download_menu(path.read_text(encoding="utf-8"))
            if not menu:
                continue
            assert "window.print" not in menu, f"{page}: the menu prints the page as its .pdf"
            assert ("bands2vec.pdf" in menu) == has_pdf, f"{page}: the PDF link and the site disagree"


# --------------------------------------------------------------------------- the browser


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        pass


def _serve(directory: Path) -> Iterator[str]:
    """``directory`` served on 127.0.0.1 from a thread; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture(scope="module")
def site(book: Path) -> Iterator[str]:
    """The built book served on 127.0.0.1 from a thread; yields its base URL."""
    yield from _serve(book)


@pytest.fixture(scope="module")
def student_site(student: Path) -> Iterator[str]:
    """The student edition served on 127.0.0.1 from a thread; yields its base URL."""
    yield from _serve(student)


def _set_width(driver: WebDriver, width: int, height: int = 1000) -> None:
    """The page's viewport: ``width`` CSS pixels wide (innerWidth), as on a desktop or a phone."""
    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


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
  // Figures: loaded images, and the diagrams written as inline SVG (role="img").
  outputImages: [...document.querySelectorAll(".cell_output img")].filter((i) => i.naturalWidth > 0).length
    + document.querySelectorAll('.cell_output svg[role="img"]').length,
  views: views.length,
  renderedViews: views.filter((v) => {
    const area = v.previousElementSibling;
    return area && area.matches(".widget-subarea") && area.querySelector(".jupyter-widgets, [class*='widget-']");
  }).length,
  hiddenShown: hiddenShown,
  unnamedSliders: [...document.querySelectorAll('[role="slider"]')].filter((h) => !name(h)).length,
  sliderVoices: sliderVoices(),
  width: document.documentElement.scrollWidth,
  clientWidth: document.documentElement.clientWidth,
  innerWidth: window.innerWidth,
  overflowing: overflowing(),
  searchBoxes: [...document.querySelectorAll(".search-button-field")].filter(shown).length,
  searchButtons: [...document.querySelectorAll(".search-button__button, form.bd-search")].filter(shown).length,
};
"""

# Shared by the scripts that read a page: what a slider's handles announce against what its
# readout shows, and the elements that stick out past the window's right edge.
PAGE_HELPERS_JS = r"""
const shown = (el) => el.checkVisibility({opacityProperty: true, visibilityProperty: true});
function sliderVoices() {
  return [...document.querySelectorAll(".widget-slider")].flatMap((slider) => {
    const readout = slider.querySelector(".widget-readout");
    if (!readout || readout.style.display === "none") return [];
    const text = readout.textContent.replace(/\u00a0/g, " ").trim();
    return [...slider.querySelectorAll('[role="slider"]')].map((handle) => ({
      label: (slider.querySelector(".widget-label") || {}).textContent || "",
      readout: text, valuetext: handle.getAttribute("aria-valuetext"),
    }));
  });
}
function overflowing() {
  const edge = document.documentElement.clientWidth + 0.5;
  const clips = (el) => ["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(el).overflowX);
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.getBoundingClientRect().right <= edge) continue;
    let up = el.parentElement, inside = false;
    for (; up && up !== document.body; up = up.parentElement) {
      if (clips(up) || getComputedStyle(up).position === "fixed") { inside = true; break; }
    }
    if (inside || getComputedStyle(el).position === "fixed") continue;
    if (el.parentElement && out.includes(el.parentElement)) continue;
    out.push(el);
  }
  return out.slice(0, 5).map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "")
    + ` (${Math.round(el.getBoundingClientRect().right)} px): ` + (el.innerText || "").slice(0, 60));
}
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
    return _state(driver)


def _state(driver: WebDriver) -> dict:
    return driver.execute_script(PAGE_HELPERS_JS + PAGE_STATE_JS)


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

# axe-core from the npm registry (tools/npm.py): name, version, the tarball's sha512 integrity
# as the registry publishes it (npm view axe-core@4.14.1 dist.integrity).
AXE_PACKAGE = (
    "axe-core", "4.14.1",
    "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
)  # fmt: skip
AXE_TIMEOUT = 120  # seconds for one axe run: the longest lesson takes about 15 on a busy 2-core machine
AXE_IMPACTS = ("serious", "critical")  # what fails: "moderate" and "minor" findings are not reported
AXE_SHOWN = 3  # elements shown per rule in a failure


class AxeKnown(NamedTuple):
    """A violation whose fix is not in this repository's book files (the theme's, MyST-NB's),
    allowed on the narrowest selector and on the pages listed ("*": on any page); when it
    is gone from a page named here, the test asks to drop it. ``why`` names the upstream issue."""

    rule: str
    selector: str
    pages: tuple[str, ...]
    why: str


AXE_KNOWN = (
    AxeKnown(
        "label-content-name-mismatch", "button.theme-switch-button", ("*",),
        "pydata-sphinx-theme 0.17's light/dark button is named \"Color mode\" while what it shows "
        "is the title of its icon (Light, Dark, System Settings): one button cycling through three "
        "modes. Upstream: pydata/pydata-sphinx-theme#1941 (\"Make theme switcher more like MDN\"), "
        "done by PR #2340, a labelled menu of the three modes, in a release after 0.17.",
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


@functools.cache
def axe_script() -> str:
    """axe.min.js of AXE_PACKAGE, fetched once into _build/.assets/ and checked against its
    integrity, wrapped so that it defines ``window.axe`` only: on a page with RequireJS (the
    widgets' loader) its UMD wrapper would also call ``define``, which RequireJS rejects."""
    import shutil

    from tools.npm import fetch

    name, version, pinned = AXE_PACKAGE
    if shutil.which("npm") is None:
        skip_or_fail("axe-core comes from the npm registry: install npm", "tools/system_packages installs npm")
    package = fetch(name, version, pinned, ROOT / "_build" / ".assets" / f"{name}-{version}")
    source = (package / "axe.min.js").read_text(encoding="utf-8")
    return f"(function (define, module, exports) {{\n{source}\n}}).call(window);"


def _axe(driver: WebDriver, page: str, context: str = "") -> dict[str, int]:
    """Run axe-core on the page as it is now: fail on a serious or critical violation not in
    AXE_KNOWN, and on an AXE_KNOWN entry naming this page that no longer matches anything.
    ``page`` is the page's name in _toc.yml (or "search", "genindex"), ``context`` how it was
    seen (width, edition, what was opened). Returns the count of known findings, by rule."""
    driver.execute_script(axe_script())
    known = [(k.rule, k.selector) if page in k.pages or "*" in k.pages else ("", "") for k in AXE_KNOWN]
    result = driver.execute_async_script(AXE_RUN_JS, list(AXE_IMPACTS), known)
    where = f"{page}{context}"
    assert "error" not in result, f"{where}: axe-core failed: {result.get('error')}"
    report, used, counts = [], set(), collections.Counter()
    for rule in result["violations"]:
        nodes = [n for n in rule["nodes"] if not n["known"]]
        used.update(i for n in rule["nodes"] for i in n["known"])
        counts[rule["id"]] += len(rule["nodes"]) - len(nodes)
        if not nodes:
            continue
        report.append(f"{rule['id']} ({rule['impact']}): {rule['help']}, {len(nodes)} element(s); {rule['helpUrl']}")
        for node in nodes[:AXE_SHOWN]:
            lines = [line.strip() for line in node["summary"].splitlines() if line.strip()] or [""]
            summary = " ".join([lines[0], "; ".join(lines[1:])]).strip()  # "Fix any of the following: a; b"
            report.append(f"    {node['target']}: {node['html'][:200]}\n      {summary[:400]}")
        if len(nodes) > AXE_SHOWN:
            report.append(f"    and {len(nodes) - AXE_SHOWN} more")
    assert not report, f"{where}: axe-core {result['version']} finds:\n" + "\n".join(report)
    stale = [k for i, k in enumerate(AXE_KNOWN) if page in k.pages and i not in used]
    assert not stale, f"{where}: no longer seen, drop from AXE_KNOWN: {[(k.rule, k.selector) for k in stale]}"
    return dict(counts)


def _fits(state: dict, where: str) -> None:
    """The page is no wider than the window: nothing makes it scroll sideways."""
    assert state["width"] <= state["clientWidth"] <= state["innerWidth"], (
        f"{where}: the page is {state['width']} px wide in a {state['innerWidth']} px window; "
        f"sticking out: {state['overflowing']}"
    )


# Solutions opened: each one's code is inside it and shows with its text.
SOLUTION_CODE_SHOWN_JS = r"""
return [...document.querySelectorAll(".solution.dropdown")].map((box) => ({
  id: box.id,
  cells: [...box.querySelectorAll(".cell")].length,
  hidden: [...box.querySelectorAll(".cell")].filter((c) => !c.checkVisibility()).length,
}));
"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", PAGES)
def test_page_reads_well_offline(page: str, width: int, site: str, browser: WebDriver):
    _set_width(browser, width)
    _drain(browser)
    state = _load(browser, f"{site}{page}.html")
    console, network = _drain(browser)
    where = f"{page} at {width} px"

    errors = [f"{e['message']}" for e in console if e["level"] == "SEVERE"]
    assert not errors, f"{where}: console errors: {errors}"
    problems = _network_problems(network, site)
    assert not problems, f"{where}: {problems}"
    assert state["innerWidth"] == width
    assert not state["brokenImages"], f"{where}: images that did not load: {state['brokenImages']}"
    assert not state["untypeset"], f"{where}: maths left untypeset: {state['untypeset']}"
    raw = [m.group(0) for m in RAW_TEX.finditer(state["prose"])]
    assert not raw, f"{where}: raw TeX in the text: {raw}"
    assert state["mathsOutsideMath"] == 0, f"{where}: MathJax typeset text that MyST did not mark as maths"
    assert state["mathsInOutputs"] == 0, f"{where}: maths in a cell output"
    shown = state["hiddenShown"]
    assert not shown, f"{where}: solutions or hidden cells shown before the reader asks: {shown}"
    # axe-core's aria-input-field-name needs a name too; widgets-setup.js names them.
    unnamed = state["unnamedSliders"]
    assert not unnamed, f"{where}: {unnamed} slider(s) that a screen reader cannot name (no aria-label(ledby))"
    voices = [v for v in state["sliderVoices"] if v["valuetext"] != v["readout"]]
    assert not voices, f"{where}: sliders that announce something else than their readout: {voices}"
    _fits(state, where)
    # One search box (the sidebar's, at a desktop's width), and a way to search at any width.
    assert state["searchBoxes"] == (1 if width >= 1200 else 0), f"{where}: {state['searchBoxes']} search boxes"
    assert state["searchButtons"] >= 1, f"{where}: no way to search"

    if page in LESSON_PAGES:
        nb = notebook(page)
        if saved_widget_state(nb):
            expected, views, rendered = widget_views(nb), state["views"], state["renderedViews"]
            assert views == expected, f"{where}: {views} widget views in the HTML, {expected} in the notebook"
            assert rendered == expected, f"{where}: only {rendered} of {expected} widgets rendered"
        assert state["outputImages"] >= image_outputs(nb), f"{where}: figures missing from the page"
        _screenshot(browser, SCREENSHOTS / f"{Path(page).name}-{width}.png")
    _axe(browser, page, f" at {width} px")
    if page in LESSON_PAGES:  # and with every solution and hidden cell opened, as a reader may
        opened = browser.execute_script(OPEN_ALL_JS)
        assert opened >= 2, f"{where}: only {opened} solutions or hidden cells to open"
        time.sleep(0.5)  # the togglebutton animation
        solutions = browser.execute_script(SOLUTION_CODE_SHOWN_JS)
        assert sum(s["cells"] for s in solutions) == _solution_cells(page), f"{where}: {solutions}"
        assert not any(s["hidden"] for s in solutions), f"{where}: a solution's code stays folded: {solutions}"
        _fits(_state(browser), f"{where}, solutions and hidden cells open")
        _axe(browser, page, f" at {width} px, its solutions and hidden cells open")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", PAGES)
def test_student_edition_page_reads_well(page: str, width: int, student_site: str, browser: WebDriver):
    """The student edition's page, everything it folds opened: no console error, nothing
    clipped, nothing axe-core finds serious."""
    _set_width(browser, width)
    _drain(browser)
    _load(browser, f"{student_site}{page}.html")
    browser.execute_script(OPEN_ALL_JS)
    time.sleep(0.5)
    console, network = _drain(browser)
    where = f"{page} (student edition) at {width} px"
    assert not [e["message"] for e in console if e["level"] == "SEVERE"], f"{where}: {console}"
    assert not _network_problems(network, student_site), f"{where}: {_network_problems(network, student_site)}"
    _fits(_state(browser), where)
    _axe(browser, page, f" (student edition) at {width} px, everything opened")


def test_intro_keeps_dollar_names_as_text(site: str, browser: WebDriver):
    """The intro writes a\\$ap mob and joey bada\\$\\$: they must read as names, not maths."""
    state = _load(browser, f"{site}{PAGES[0]}.html")
    assert "a$ap mob" in state["prose"] and "joey bada$$" in state["prose"]
    assert state["maths"] == 0


@pytest.mark.parametrize("width", WIDTHS)
def test_search_finds_negative_sampling(width: int, site: str, browser: WebDriver):
    _set_width(browser, width)
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
    _fits(_state(browser), f"search at {width} px")
    _axe(browser, "search", f" at {width} px")  # with its results listed


@pytest.mark.parametrize("width", WIDTHS)
def test_index_page_reads_well_offline(width: int, site: str, browser: WebDriver):
    """The general index (genindex.html), which every page links to in its head."""
    _set_width(browser, width)
    _drain(browser)
    state = _load(browser, f"{site}genindex.html")
    console, network = _drain(browser)
    assert not [e for e in console if e["level"] == "SEVERE"], console
    assert not _network_problems(network, site)
    _fits(state, f"genindex at {width} px")
    _axe(browser, "genindex", f" at {width} px")


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


def _shoot_control(driver: WebDriver, control: dict, name: str) -> None:
    """A screenshot of the window with the control's first selector at its top."""
    driver.execute_script(
        """const s = [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')]
             .find((x) => JSON.parse(x.textContent).model_id === arguments[0]);
           if (s && s.previousElementSibling) s.previousElementSibling.scrollIntoView({block: 'start'});""",
        control["view"],
    )
    (SCREENSHOTS / "controls").mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / "controls" / name))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", LESSON_PAGES + [p for p in DEEPER_PAGES if widget_views(notebook(p))])
def test_every_control_moves_its_output_in_the_page(page: str, width: int, site: str, browser: WebDriver):
    """In the static page, step each selector of each control through every setting with
    the keyboard: after each step the one page on view is the page made for exactly what
    the selectors read, its figures load, and nothing is logged as an error. Each control
    is photographed before its first step and after its last, into _build/screenshots/controls/."""
    from selenium.webdriver.common.keys import Keys

    _set_width(browser, width)
    controls = linked_controls(notebook(page))
    _drain(browser)
    _load(browser, f"{site}{page}.html")
    for number, control in enumerate(controls, start=1):
        selectors = control["selectors"]
        _shoot_control(browser, control, f"{Path(page).name}-{width}-{number}-before.png")
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
        _shoot_control(browser, control, f"{Path(page).name}-{width}-{number}-after.png")
    console, network = _drain(browser)
    errors = [e["message"] for e in console if e["level"] == "SEVERE"]
    assert not errors, f"{page}: console errors while moving the controls: {errors}"
    assert not _network_problems(network, site), f"{page}: {_network_problems(network, site)}"


# Every slider handle of the page, with what it announces and what its readout shows, and
# whether its slider is on view (a slider in a control's hidden page is not).
SLIDERS_JS = r"""
const handles = [...document.querySelectorAll(".widget-slider .noUi-handle[role=slider]")];
return handles.map((h) => {
  const readout = h.closest(".widget-slider").querySelector(".widget-readout");
  return {handle: h, valuetext: h.getAttribute("aria-valuetext"), at: h.getAttribute("aria-valuenow"),
          max: h.getAttribute("aria-valuemax"), readout: readout.textContent.replace(/\u00a0/g, " ").trim(),
          onView: h.closest(".widget-slider").offsetParent !== null};
});
"""
SLIDER_PAGES = [  # the pages with a slider among their saved widgets
    page for page in LESSON_PAGES + DEEPER_PAGES
    if any(m["model_name"].endswith("SliderModel") for m in saved_widget_state(notebook(page)).values())
]  # fmt: skip


@pytest.mark.parametrize("page", SLIDER_PAGES)
def test_every_slider_announces_what_its_readout_shows(page: str, site: str, browser: WebDriver):
    """A screen reader reads a slider's handle by its aria-valuetext: it must be the text the
    readout shows (the window slider at 3 says "3", not its index "2"), on opening and after
    each step of the keyboard."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _set_width(browser, WIDTHS[0])
    _drain(browser)
    _load(browser, f"{site}{page}.html")
    sliders = browser.execute_script(SLIDERS_JS)
    # A slider in a control's page that is not on view is not drawn: step the page's menus
    # with the keyboard until one shows (lesson 7's k is on its "any other choice" page).
    menus = browser.find_elements(By.CSS_SELECTOR, ".widget-dropdown select")
    for menu in menus:
        for _ in range(len(menu.find_elements(By.TAG_NAME, "option"))):
            if any(slider["onView"] for slider in sliders):
                break
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus()", menu)
            menu.send_keys(Keys.ARROW_DOWN)
            time.sleep(0.3)
            sliders = browser.execute_script(SLIDERS_JS)
    assert sliders, f"{page}: no slider drawn"
    for k, slider in enumerate(sliders):
        said = f"shows {slider['readout']!r}, announces {slider['valuetext']!r}"
        assert slider["valuetext"] == slider["readout"], f"{page}: slider {k} opens: it {said}"
    for k in [k for k, slider in enumerate(sliders) if slider["onView"]]:
        before = browser.execute_script(SLIDERS_JS)[k]
        key = Keys.ARROW_LEFT if before["at"] == before["max"] else Keys.ARROW_RIGHT
        handle = before["handle"]
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus()", handle)
        handle.send_keys(key)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            after = browser.execute_script(SLIDERS_JS)[k]
            if after["readout"] != before["readout"] and after["valuetext"] == after["readout"]:
                break
            time.sleep(0.1)
        assert after["readout"] != before["readout"], f"{page}: slider {k} did not move: {after}"
        said = f"shows {after['readout']!r}, announces {after['valuetext']!r}"
        assert after["valuetext"] == after["readout"], f"{page}: slider {k} moved: it {said}"
    console, _ = _drain(browser)
    assert not [e["message"] for e in console if e["level"] == "SEVERE"], f"{page}: {console}"
