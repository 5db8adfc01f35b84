"""The lessons live in JupyterLab, in Chromium, as a learner runs them on Binder.

:class:`Lab` copies the repository's tracked files to a scratch folder (what Binder clones),
and starts the installed JupyterLab there on 127.0.0.1 with a token, through the
repository's ``start`` script as Binder does. :func:`run_lesson` then works one lesson the
way a person does: it opens the notebook, restarts the kernel and runs every cell from
the Kernel menu, waits for the kernel to finish, reads what the page shows (errors,
widgets still loading or broken, console errors), and moves every control of every
interactive output with the keyboard, recording whether what the control drives (the
images and text it shows) changed.

The live test (``tests/test_live_lab.py``) asserts on what :func:`run_lesson` returns;
the benchmark records its timings in the lessons' table. Nothing here asserts a time.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

ROOT = Path(__file__).resolve().parents[1]
SKIPPED_IN_COPY = {".git", ".venv", "_build", "artifacts", "__pycache__", ".ipynb_checkpoints", ".pytest_cache"}
START_TIMEOUT = 90  # seconds for the server to answer
OPEN_TIMEOUT = 60  # seconds for a notebook to show its first output
RUN_TIMEOUT = 300  # seconds for a lesson's cells to run (the budget is 90)
CHANGE_TIMEOUT = 30  # seconds for a control's output to change (the kernel may be computing)
SETTLE = 3  # seconds between the kernel's start and the restart, as a reader reads first
MOVE_TIMEOUT = 3  # seconds for a slider or menu to show its new setting
MAX_STEPS = 40  # settings of a slider, at most
LOADING, BROKEN = "Loading widget...", "Error displaying widget"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def chromium() -> tuple[str, str] | None:
    """Chromium and its driver, or None where either is missing."""
    browser = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def binder_copy(dest: Path, source: Path = ROOT) -> Path:
    """The repository as Binder clones it: its tracked files (all files where git is absent)."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=source, capture_output=True, check=True).stdout
        files = [source / name for name in listed.decode().split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        files = [p for p in source.rglob("*") if p.is_file() and not SKIPPED_IN_COPY & set(p.relative_to(source).parts)]
    for path in files:
        if path.is_file():
            target = dest / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    return dest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """JupyterLab serving a Binder-like copy of the repository, for as long as the ``with``.

    ``python`` is the environment's interpreter (the one ``postBuild`` installed into).
    Jupyter's settings, workspaces and runtime files go to ``scratch``, not the home folder.
    """

    def __init__(self, scratch: Path, python: str = sys.executable, source: Path = ROOT):
        self.scratch, self.python, self.source = scratch, python, source
        self.repo = scratch / "repo"
        self.token = secrets.token_hex(16)
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Lab:
        binder_copy(self.repo, self.source)
        env = {k: v for k, v in os.environ.items() if k != "BANDS2VEC_DATA" and not k.startswith("JUPYTER")}
        for name, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                          ("JUPYTERLAB_SETTINGS_DIR", "settings"), ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
                          ("IPYTHONDIR", "ipython")):  # fmt: skip
            env[name] = str(self.scratch / sub)
        env.pop("OMP_WAIT_POLICY", None)  # the start script must set it, as on Binder
        # On Binder the library is installed from the clone (editable): the kernels import the copy's.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(self.repo), env.get("PYTHONPATH"))))
        command = [
            str(self.repo / "start"), self.python, "-m", "jupyter", "lab", "--no-browser",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.repo}",
            "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",  # it would ask PyPI for extensions
        ]  # fmt: skip
        if os.geteuid() == 0:  # CI's containers run as root; Binder does not
            command.append("--allow-root")
        self.log = open(self.scratch / "jupyterlab.log", "w")  # noqa: SIM115 (closed in __exit__)
        self.process = subprocess.Popen(command, cwd=self.repo, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)  # fmt: skip
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited ({self.process.returncode}): {self.log_text()[-2000:]}")
            try:
                self.api("status")
                return self
            except OSError:
                time.sleep(0.5)
        self.__exit__(None, None, None)
        raise RuntimeError(f"JupyterLab did not answer in {START_TIMEOUT} s: {self.log_text()[-2000:]}")

    def __exit__(self, *exc: object) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()

    def log_text(self) -> str:
        return (self.scratch / "jupyterlab.log").read_text(errors="replace")

    def api(self, path: str, method: str = "GET") -> object:
        """The Jupyter server's REST API (what the page itself talks to)."""
        request = urllib.request.Request(f"{self.base}/api/{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})  # fmt: skip
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def notebook_url(self, notebook: str) -> str:
        """The notebook in a workspace of its own, reset, so no earlier tab comes back."""
        workspace = Path(notebook).stem.replace("_", "-")
        return f"{self.base}/lab/workspaces/{workspace}/tree/{notebook}?reset&token={self.token}"

    def kernels_idle(self) -> bool:
        return all(k["execution_state"] == "idle" for k in self.api("kernels"))

    def shut_down_kernels(self) -> None:
        for kernel in self.api("kernels"):
            self.api(f"kernels/{kernel['id']}", method="DELETE")


def browser(profile: Path, window: str = "1400,1000") -> WebDriver:
    """Headless Chromium that can reach 127.0.0.1 and nothing else, logging its console."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    found = chromium()
    if not found:
        raise RuntimeError("Chromium and its driver are needed: apt-get install chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = found[0]
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", f"--window-size={window}",
        f"--user-data-dir={profile}", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    ):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=found[1]))
    driver.set_page_load_timeout(60)
    return driver


# ---------------------------------------------------------------- what the page shows

# The notebook on view, its outputs, and those that hold a widget view (JupyterLab gives
# these no MIME type: the view is the output's own child).
OUTPUTS_JS = r"""
const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
const outputs = panel ? [...panel.querySelectorAll('.jp-OutputArea-output')] : [];
const widgetOutputs = outputs.filter((o) => o.querySelector(':scope > .jupyter-widgets'));
"""

STATE_JS = OUTPUTS_JS + r"""
if (!panel) return null;
const cells = [...panel.querySelectorAll('.jp-Cell.jp-CodeCell')];
return {
  prompts: cells.map((c) => (c.querySelector('.jp-InputPrompt') || {}).textContent || ''),
  outputs: outputs.length,
  errors: outputs.filter((o) => o.dataset.mimeType === 'application/vnd.jupyter.stderr'
                             && o.textContent.includes('Traceback (most recent call last)'))
                 .map((o) => o.textContent.slice(-500)),
  widgetViews: widgetOutputs.length,
  loading: outputs.filter((o) => o.textContent.includes(arguments[0])).length,
  broken: outputs.filter((o) => o.textContent.includes(arguments[1])).map((o) => o.textContent.slice(0, 300)),
};
"""


PROMPTS_JS = r"""
const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
return panel ? [...panel.querySelectorAll('.jp-Cell.jp-CodeCell .jp-InputPrompt')].map((p) => p.textContent) : null;
"""


def prompts(driver: WebDriver) -> list[str]:
    """The code cells' prompts ("[3]:", "[*]:", "[ ]:"): cheap to read while cells run."""
    return driver.execute_script(PROMPTS_JS) or []


def page_state(driver: WebDriver) -> dict | None:
    return driver.execute_script(STATE_JS, LOADING, BROKEN)


def _wait(what: str, condition, timeout: float, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"waited {timeout:.0f} s for {what}")


def _numbered(prompt: str) -> bool:
    inside = prompt.strip().removesuffix(":").strip("[]")
    return inside.isdigit()


def open_notebook(driver: WebDriver, lab: Lab, notebook: str) -> float:
    """Open ``notebook`` in JupyterLab; the seconds until its first (stored) output shows."""
    start = time.monotonic()
    driver.get(lab.notebook_url(notebook))
    _wait(f"{notebook} to show an output", lambda: (page_state(driver) or {}).get("outputs"), OPEN_TIMEOUT)
    return time.monotonic() - start


def _click_text(driver: WebDriver, selector: str, text: str) -> None:
    from selenium.webdriver.common.by import By

    def find():
        return next((e for e in driver.find_elements(By.CSS_SELECTOR, selector) if e.text.strip() == text), None)

    _wait(f"{text!r} ({selector})", find, 20).click()


def restart_and_run_all(driver: WebDriver, lab: Lab) -> float:
    """Kernel menu, "Restart Kernel and Run All Cells...", confirm; the seconds until every
    code cell has run and the kernel is idle (or a cell failed and the run stopped)."""
    from selenium.webdriver.common.by import By

    _wait("the kernel to start", lambda: lab.api("kernels") and lab.kernels_idle(), OPEN_TIMEOUT, 0.5)
    time.sleep(SETTLE)  # the page's own first requests to the kernel (the debugger's) are answered
    _click_text(driver, ".lm-MenuBar-item", "Kernel")
    driver.find_element(By.CSS_SELECTOR, '.lm-Menu-item[data-command="runmenu:restart-and-run-all"]').click()
    accept = _wait("the restart dialog", lambda: driver.find_elements(By.CSS_SELECTOR, ".jp-Dialog .jp-mod-accept"), 20)
    accept[0].click()
    start = time.monotonic()
    # The run has begun when the last code cell is queued or has run after the restart.
    _wait("the cells to be queued", lambda: any("*" in p for p in prompts(driver)), 30, 0.05)

    def finished() -> bool:
        return not any("*" in p for p in prompts(driver)) and lab.kernels_idle()

    _wait("every cell to run", finished, RUN_TIMEOUT, 1.0)
    return time.monotonic() - start


# ---------------------------------------------------------------- the controls

CONTROLS_JS = OUTPUTS_JS + r"""
// Every interactive output: its selectors on view (sliders and menus, in order; those of a
// page that is not shown are left out) and, for each, what it reads now.
return widgetOutputs.map((o) => {
  const box = o.querySelector('.jupyter-widgets');
  const inputs = [...box.querySelectorAll('.widget-slider, .widget-dropdown')].filter((w) => w.offsetParent !== null);
  return inputs.map((w) => w.classList.contains('widget-slider')
      ? {kind: 'slider', readout: w.querySelector('.widget-readout').textContent.trim(),
         count: (() => {
           const h = w.querySelector('.noUi-handle');
           return Math.round(+h.getAttribute('aria-valuemax') - +h.getAttribute('aria-valuemin')) + 1;
         })()}
      : {kind: 'menu', readout: (() => { const s = w.querySelector('select');
                                         return s.options[s.selectedIndex].textContent.replace(/\u00a0/g, ' '); })(),
         count: w.querySelector('select').options.length});
});
"""

SHOWN_JS = OUTPUTS_JS + r"""
// What control ``i`` shows: the text of its visible page and a digest of each image's bytes.
const [i, done] = [arguments[0], arguments[arguments.length - 1]];
const output = widgetOutputs[i];
const box = output.querySelector('.jupyter-widgets');
const stack = box.lastElementChild;  // the pages (stacks of stacks for two inputs): only what is on view
const images = [...stack.querySelectorAll('img')].filter((img) => img.offsetParent !== null);
Promise.all(images.map(async (img) => {
  if (!img.complete || !img.naturalWidth) return 'not loaded';
  const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
  let h = 2166136261;
  for (const b of bytes) { h ^= b; h = Math.imul(h, 16777619) >>> 0; }
  return h.toString(16) + ':' + bytes.length;
})).then((digests) => done({text: stack.innerText.replace(/\s+/g, ' ').trim(),
                            images: digests}))
  .catch((e) => done({text: 'failed: ' + e, images: []}));
"""


@dataclass
class Move:
    """One control moved once: which, from what to what, and whether its output changed."""

    control: int
    widget: str
    before: str
    after: str
    changed: bool
    images_loaded: bool


def controls(driver: WebDriver) -> list[list[dict]]:
    return driver.execute_script(CONTROLS_JS)


def shown(driver: WebDriver, control: int) -> dict:
    return driver.execute_async_script(SHOWN_JS, control)


def _signature(page: dict) -> str:
    return hashlib.sha1(json.dumps(page, sort_keys=True).encode()).hexdigest()


def _widget_output(driver: WebDriver, control: int):
    return driver.execute_script(OUTPUTS_JS + "return widgetOutputs[arguments[0]];", control)


def _inputs(driver: WebDriver, control: int) -> list:
    """The control's slider handles and menus on view, in order (as ``controls`` lists them)."""
    from selenium.webdriver.common.by import By

    found = _widget_output(driver, control).find_elements(By.CSS_SELECTOR, ".widget-slider, .widget-dropdown")
    shown = [w for w in found if driver.execute_script("return arguments[0].offsetParent !== null", w)]
    return [w.find_element(By.CSS_SELECTOR, ".noUi-handle, select") for w in shown]


def _step(driver: WebDriver, control: int, widget: int, by: int) -> None:
    """Move the control's ``widget``-th slider or menu ``by`` one setting (-1 or 1), as a
    person does: a slider with the arrow keys on its handle, a menu by picking the option."""
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.select import Select

    target = _inputs(driver, control)[widget]
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", target)
    if target.tag_name == "select":
        menu = Select(target)
        values = [o.get_attribute("value") for o in menu.options]
        index = values.index(menu.first_selected_option.get_attribute("value"))
        if 0 <= index + by < len(menu.options):
            menu.select_by_index(index + by)
    else:
        driver.execute_script("arguments[0].focus()", target)  # no click: a toast may cover it
        target.send_keys(Keys.ARROW_RIGHT if by > 0 else Keys.ARROW_LEFT)


def _loaded(page: dict) -> bool:
    """The page's images have loaded and it shows no widget still loading or broken."""
    text = page["text"]
    return "not loaded" not in page["images"] and not text.startswith("failed:") and LOADING not in text \
        and BROKEN not in text


def _await_move(driver: WebDriver, control: int, widget: int, before: dict, page_before: dict) -> tuple[dict, dict]:
    """Wait until the widget reads differently and its page has changed; both, after.

    A readout that has not changed in ``MOVE_TIMEOUT`` seconds is given up on (a slider at
    its end); a page gets ``CHANGE_TIMEOUT`` seconds to change, for the kernel to draw it.
    """
    start = time.monotonic()
    readout, page = before, page_before
    while True:
        waited = time.monotonic() - start
        readout = controls(driver)[control][widget]
        moved = readout["readout"] != before["readout"]
        if not moved and waited > MOVE_TIMEOUT or waited > CHANGE_TIMEOUT:
            return readout, page
        if moved:
            page = shown(driver, control)
            if _loaded(page) and _signature(page) != _signature(page_before):
                return readout, page
        time.sleep(0.2)


def move_controls(driver: WebDriver, screenshots: Path | None = None, name: str = "") -> list[Move]:
    """Move every slider and menu of every interactive output, one setting at a time.

    A control's first slider or menu (the one that turns its pages) is stepped through
    every setting from the first; every other one on view after that (a second setting,
    or the free menus an explorer shows on its last page) is moved one setting (back,
    where it is on its last). After each step the readout must change and so must the
    page the control shows. ``screenshots``: the first control, before and after its
    first step.
    """
    moves = []
    for c in range(len(controls(driver))):
        w = -1
        while (w := w + 1) < len(controls(driver)[c]):
            widget = controls(driver)[c][w]
            if w == 0:  # the page turner: back to its first setting, then through every one
                for _ in range(widget["count"] - 1):
                    before, page_before = controls(driver)[c][w], shown(driver, c)
                    _step(driver, c, w, -1)
                    if _await_move(driver, c, w, before, page_before)[0] == before:
                        break
                steps, by = widget["count"] - 1, 1
            else:  # one setting on, or back where it is on its last
                steps, by = 1, 1
                if widget["kind"] == "menu" and _menu_at_end(driver, c, w):
                    by = -1
            for step in range(steps):
                before, page_before = controls(driver)[c][w], shown(driver, c)
                if screenshots and c == 0 and w == 0 and step == 0:
                    _shoot(driver, c, screenshots / f"{name}_before.png")
                _step(driver, c, w, by)
                after, page_after = _await_move(driver, c, w, before, page_before)
                if widget["kind"] == "slider" and w and after["readout"] == before["readout"]:
                    _step(driver, c, w, -by)  # a slider on its last setting: one back instead
                    after, page_after = _await_move(driver, c, w, before, page_before)
                moves.append(Move(c, f"{widget['kind']} {w}", before["readout"], after["readout"],
                                  _signature(page_after) != _signature(page_before), _loaded(page_after)))
                if screenshots and c == 0 and w == 0 and step == 0:
                    _shoot(driver, c, screenshots / f"{name}_after.png")
    return moves


def _menu_at_end(driver: WebDriver, control: int, widget: int) -> bool:
    from selenium.webdriver.support.select import Select

    menu = Select(_inputs(driver, control)[widget])
    return menu.options[-1].get_attribute("value") == menu.first_selected_option.get_attribute("value")


def _shoot(driver: WebDriver, control: int, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", _widget_output(driver, control))
    time.sleep(0.3)
    driver.save_screenshot(str(path))


# ---------------------------------------------------------------- one lesson


@dataclass
class LessonRun:
    """What a learner met in one lesson, and how long it took."""

    notebook: str
    open_seconds: float = float("nan")
    run_seconds: float = float("nan")
    code_cells: int = 0
    run_cells: int = 0
    errors: list[str] = field(default_factory=list)
    widget_outputs: int = 0
    widget_views: int = 0
    loading: int = 0
    broken: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    inputs: int = 0  # sliders and menus found in the widget outputs
    moves: list[Move] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Everything a learner would see go wrong; empty when the lesson works."""
        found = [f"cell error: {e}" for e in self.errors]
        if self.run_cells != self.code_cells:
            found.append(f"{self.run_cells} of {self.code_cells} code cells ran")
        if self.widget_views != self.widget_outputs:
            found.append(f"{self.widget_views} of {self.widget_outputs} widget outputs drew a widget")
        if self.loading:
            found.append(f"{self.loading} widget(s) still loading")
        found += [f"widget error: {b}" for b in self.broken]
        found += [f"console: {m}" for m in self.console]
        if self.widget_outputs and not self.moves:
            found.append("no control could be moved")
        moved = {(m.control, m.widget) for m in self.moves}
        if len(moved) < self.inputs:
            found.append(f"{len(moved)} of {self.inputs} sliders and menus were moved")
        found += [f"control {m.control} {m.widget}: {m.before!r} -> {m.after!r} did not change its output"
                  for m in self.moves if not m.changed]  # fmt: skip
        found += [f"control {m.control} {m.widget}: an image did not load after {m.after!r}"
                  for m in self.moves if not m.images_loaded]  # fmt: skip
        found += [f"control {m.control} {m.widget}: did not move from {m.before!r}"
                  for m in self.moves if m.before == m.after]  # fmt: skip
        return found


# JupyterLab's debugger asks a kernel for its state whenever the kernel changes; a restart
# cancels the question and the debugger logs that as an error (JupyterLab 4.6, seen on
# restarting a lesson's kernel; nothing on the page changes). That one message is allowed.
RESTART_NOISE = "Could not restore the debugger state:"


def console_errors(driver: WebDriver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser")
            if entry["level"] == "SEVERE" and RESTART_NOISE not in entry["message"]]  # fmt: skip


def run_lesson(driver: WebDriver, lab: Lab, notebook: str, screenshots: Path | None = None) -> LessonRun:
    """Open, restart and run all, check, move every control; then shut the kernel down."""
    from selenium.common.exceptions import WebDriverException

    run = LessonRun(notebook)
    console_errors(driver)  # what earlier pages logged is not this lesson's
    log_start = len(lab.log_text())
    saved = json.loads((lab.source / notebook).read_text())["cells"]  # the source: JupyterLab may save the copy
    try:
        run.open_seconds = open_notebook(driver, lab, notebook)
        run.run_seconds = restart_and_run_all(driver, lab)
        _wait("the widgets to draw", lambda: not page_state(driver)["loading"], 30)
        state = page_state(driver)
        run.code_cells = sum(c["cell_type"] == "code" for c in saved)
        run.run_cells = sum(map(_numbered, state["prompts"]))
        run.errors, run.broken = state["errors"], state["broken"]
        run.widget_outputs = sum(WIDGET_VIEW in o.get("data", {}) for c in saved for o in c.get("outputs", []))
        run.widget_views = state["widgetViews"]
        run.loading = state["loading"]
        if not run.errors:
            run.inputs = sum(map(len, controls(driver)))
            run.moves = move_controls(driver, screenshots, Path(notebook).stem)
    except (TimeoutError, WebDriverException, OSError) as e:
        run.errors.append(f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
    finally:
        run.console = console_errors(driver)
        # A widget callback's exception goes to the kernel's log, which the server prints.
        run.errors += [f"kernel log: {line}" for line in lab.log_text()[log_start:].splitlines()
                       if "Traceback (most recent call last)" in line or "Exception in comm_msg" in line]  # fmt: skip
        lab.shut_down_kernels()
    return run
