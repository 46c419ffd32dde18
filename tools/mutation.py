#!/usr/bin/env python3
"""Run mutmut over one group of modules with the tests that concern it, and print its score.

    python tools/mutation.py GROUP [--max-children N] [MUTANT_NAME_OR_GLOB ...]
    python tools/mutation.py GROUP --score      # print the last run's figures again

A whole-project run (`mutmut run` with `[tool.mutmut]` as it stands in pyproject.toml) takes
hours on a small machine, mostly because every mutant runs every test that touches its
function. This copies the project (files git tracks or would track) into
`.mutation/GROUP/`, narrows `[tool.mutmut]` there to the group's modules and tests, runs
mutmut in that copy, and prints killed / total per module. The copy keeps mutmut's cache,
so running again only tries mutants that are new or named on the command line.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

GROUPS: dict[str, tuple[list[str], list[str]]] = {
    "email-links": (["folio/formats/email/links.py"], ["tests/formats/email/"]),
    # check/pdf.py is left out: its tests lay out real PDFs, which hang in mutmut's forked
    # workers; a timing test fails under mutmut's tracing.
    "check": ([f"folio/check/{name}.py" for name in (
        "__init__", "accessibility", "editorial", "email", "lexicon", "links", "registry",
        "settings", "texts")],
        ["tests/check/", "--deselect", "tests/check/test_report.py::test_check_is_fast",
         "--ignore", "tests/check/test_pdf.py"]),
    # the check modules but texts, lexicon (their own group) and pdf, with the tests that
    # reach them through check_edition or their helpers, and the docs' rule reference
    "check-rules": ([f"folio/check/{name}.py" for name in (
        "__init__", "editorial", "email", "links", "registry", "settings")],
        ["tests/check/", "tests/test_docs.py::test_generated_tables_are_current",
         "--deselect", "tests/check/test_report.py::test_check_is_fast",
         "--ignore", "tests/check/test_pdf.py", "--ignore", "tests/check/test_lexicon.py"]),
    # the masking and the dictionary of check, with the tests that read text through them
    "check-texts": (["folio/check/texts.py", "folio/check/lexicon.py"],
                    [f"tests/check/test_{name}.py" for name in (
                        "texts", "lexicon", "rules", "editorial", "links", "accessibility",
                        "report")]
                    + ["--deselect", "tests/check/test_report.py::test_check_is_fast"]),
    "sources": (["folio/sources.py"], ["tests/test_sources.py"]),
    "importer-write": (["folio/importers/write.py"],
                       ["tests/importers/test_write.py", "tests/importers/test_replace.py"]),
    "build": (["folio/build.py"], ["tests/test_build_keys.py"]),
}
"""Each group's modules (`only_mutate` globs) and the tests that pin their behaviour."""

KILLED = {"killed", "timeout", "caught by type check", "segfault"}


def project_files() -> list[str]:
    """Return the files git tracks or would track in the project, relative to ROOT."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            check=True, capture_output=True).stdout.decode()
    return sorted(name for name in listed.split("\0") if name and (ROOT / name).is_file())


def refresh_copy(copy: Path) -> None:
    """Make `copy` hold the project's current files, keeping mutmut's own `mutants/` cache."""
    wanted = set(project_files())
    if copy.is_dir():
        for path in sorted(copy.rglob("*"), reverse=True):
            name = path.relative_to(copy).as_posix()
            if name == "mutants" or name.startswith("mutants/"):
                continue
            if path.is_file() and name not in wanted:
                path.unlink()
    for name in wanted:
        source, target = ROOT / name, copy / name
        if target.is_file() and target.read_bytes() == source.read_bytes():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def narrow_settings(copy: Path, modules: list[str], tests: list[str]) -> None:
    """Point the copy's `[tool.mutmut]` at `modules` and `tests` only."""
    settings = copy / "pyproject.toml"
    text = settings.read_text("utf-8")
    text, found = re.subn(r"(?ms)^only_mutate = \[.*?^\]\n",
                          f"only_mutate = {json.dumps(modules)}\n"
                          f"pytest_add_cli_args_test_selection = {json.dumps(tests)}\n", text)
    if found != 1:
        sys.exit("tools/mutation.py: no `only_mutate = [...]` list in [tool.mutmut]")
    settings.write_text(text, "utf-8")


def outcomes(copy: Path, module: str | None = None) -> list[tuple[str, str]]:
    """Return (status, mutant name) of every mutant tried in the copy, or in one module."""
    from mutmut.stats import status_by_exit_code

    found = []
    for meta in sorted((copy / "mutants").rglob("*.py.meta")):
        if module and meta != copy / "mutants" / f"{module}.meta":
            continue
        codes = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
        found += [(status_by_exit_code[code], name) for name, code in sorted(codes.items())]
    return found


def score(copy: Path) -> None:
    """Print killed / total per module from the copy's last run, then the survivors."""
    rows: list[tuple[str, Counter[str]]] = []
    survivors: list[str] = []
    for meta in sorted((copy / "mutants").rglob("*.py.meta")):
        module = meta.relative_to(copy / "mutants").as_posix().removesuffix(".meta")
        counts: Counter[str] = Counter()
        for status, name in outcomes(copy, module):
            counts["killed" if status in KILLED else status] += 1
            if status not in KILLED:
                survivors.append(f"{status}: {name}")
        if counts:
            rows.append((module, counts))
    if not rows:
        print("no results yet: run the group first")
        return
    print(f"{'module':<36} {'mutants':>7} {'killed':>7} {'score':>7}  others")
    for module, counts in [*rows, ("all", sum((c for _, c in rows), Counter()))]:
        mutants = sum(counts.values())
        others = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()) if s != "killed")
        print(f"{module:<36} {mutants:>7} {counts['killed']:>7} "
              f"{100 * counts['killed'] / mutants:>6.1f}%  {others}")
    print()
    print("\n".join(survivors))


def main() -> None:
    """Run one group, then print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("group", choices=sorted(GROUPS))
    parser.add_argument("names", nargs="*", help="only (re)try these mutants (globs allowed)")
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument("--score", action="store_true", help="only print the last figures")
    args = parser.parse_intermixed_args()
    copy = ROOT / ".mutation" / args.group
    if not args.score:
        modules, tests = GROUPS[args.group]
        refresh_copy(copy)
        narrow_settings(copy, modules, tests)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # import the mutants
        run = [sys.executable, "-m", "mutmut", "run", "--max-children", str(args.max_children)]
        # which tests reach which function, found afresh: mutmut would keep the map of
        # the tests as they were at the first run
        (copy / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
        subprocess.run([*run, *args.names], cwd=copy, env=env, check=False)
        # mutmut keeps an old verdict unless the mutant is named: try the survivors of
        # earlier runs again, against the tests as they are now.
        again = [name for status, name in outcomes(copy) if status not in KILLED]
        if again and not args.names:
            subprocess.run([*run, *again], cwd=copy, env=env, check=False)
    score(copy)


if __name__ == "__main__":
    main()
