"""The package's layout holds: no upward imports, no module too long to read."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "folio"
COMMANDS = {"folio.cli", "folio.build", "folio.watch", "folio.send", "folio.scaffold",
            "folio.publish"}
STAGES = {"folio.schema", "folio.sources", "folio.content", "folio.markup", "folio.theme",
          "folio.sandbox",
          "folio.context", "folio.errors", "folio.archive",
          "folio.i18n", "folio.outputs", "folio.safe_yaml", "folio.tables",
          "folio.typography"}
EMAIL_LIMITS = {"HEAD_STYLE_LIMIT", "SIZE_LIMIT", "SIZE_WARNING", "TABLE_COLUMNS",
                "sent_size"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> list[tuple[str, set[str]]]:
    """Return (absolute module, imported names) for every folio import in a module."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((target, {alias.name for alias in node.names}))
        elif isinstance(node, ast.Import):
            found += [(alias.name, set()) for alias in node.names]
    return [(target, names) for target, names in found if target.startswith("folio")]


def family(module: str) -> str:
    """Return the room a module lives in: a command, a stage, or a plug-in package."""
    parts = module.split(".")
    if module in COMMANDS or module in STAGES or len(parts) < 2:
        return module
    if parts[1] == "formats" and len(parts) > 2:
        return ".".join(parts[:3])
    return ".".join(parts[:2])


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_no_upward_imports(path: Path) -> None:
    me = module_name(path)
    for target, names in imports(path):
        room = family(target)
        if me in STAGES:
            assert room in STAGES or target == "folio", f"{me} imports {target}"
        elif me.startswith("folio.formats."):
            assert room not in COMMANDS and not target.startswith(("folio.check",
                                                                  "folio.importers")), target
            if room.startswith("folio.formats."):
                assert room == family(me), f"{me} imports another format, {target}"
        elif me.startswith("folio.check"):
            assert room not in COMMANDS and not target.startswith("folio.importers"), target
            if target.startswith("folio.review"):
                assert target == "folio.review" and names <= {"REVIEW_LIST"}, (
                    f"{me} may use only the review list's name, not {names}")
            if target.startswith("folio.formats"):
                assert target == "folio.formats.email" and names <= EMAIL_LIMITS, (
                    f"{me} may use only the email format's published limits, not {names}")
        elif me.startswith("folio.merge"):
            # Rows -> fields -> executor -> outputs: the stages, the formats and the
            # build's keys (code version, output keys); no other command.
            assert room not in COMMANDS - {"folio.build"} and not target.startswith(
                ("folio.check", "folio.importers")), f"{me} imports {target}"
            if target == "folio.build":
                assert names <= {"code_version", "output_keys"}, names
            if me in ("folio.merge.fields", "folio.merge.personalise", "folio.merge.rows",
                      "folio.merge.worker"):
                assert room in STAGES or target.startswith(
                    ("folio.merge", "folio.formats", "folio.charts")), (
                    f"{me} runs in workers and previews: stages, formats and charts only, "
                    f"not {target}")
        elif me.startswith("folio.delivery"):
            assert room not in COMMANDS and not target.startswith(
                ("folio.check", "folio.importers")), f"{me} imports {target}"
            if target.startswith("folio.formats"):
                assert target == "folio.formats.email.message", (
                    f"{me} may use only the email format's message helpers, not {target}")
        elif me.startswith("folio.review"):
            assert not target.startswith(("folio.formats", "folio.check")), f"{me} imports {target}"
            if room in COMMANDS:
                raise AssertionError(f"{me} imports a command, {target}")
        elif me.startswith("folio.importers"):
            assert room not in COMMANDS and not target.startswith(
                ("folio.formats", "folio.check")), f"{me} imports {target}"
            if target.startswith("folio.importers") and me != "folio.importers":
                assert target != "folio.importers", f"{me} imports its own package's front"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_modules_stay_readable(path: Path) -> None:
    code = [line for line in path.read_text().splitlines()
            if line.strip() and not line.strip().startswith("#")]
    assert len(code) <= 600, f"{module_name(path)} has {len(code)} lines of code"


def test_every_package_says_what_goes_in_and_out() -> None:
    for init in PACKAGE.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text())) or ""
        assert "->" in doc.splitlines()[0], f"{init}: first line should say what -> what"
        assert "import" in doc.lower(), f"{init}: should say what it must not import"
