"""A wheel install works on its own: themes inside the package, `folio` in an empty folder."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_of_folio_is_listed_for_the_wheel() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())
                 ["tool"]["setuptools"]["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts)
               for p in (ROOT / "folio").rglob("__init__.py")}
    assert listed == on_disk | {"folio.themes"}, "list the new package in pyproject.toml"


def test_a_project_theme_overrides_and_adds_to_the_built_in_ones(project: Path) -> None:
    from folio.sources import BUILTIN_THEMES, theme_folder

    assert theme_folder("default", project) == BUILTIN_THEMES / "default"
    for name in ("default", "house"):
        (project / "templates" / name).mkdir(parents=True)
        (project / "templates" / name / "theme.yaml").write_text("name: x\n")
        assert theme_folder(name, project) == project / "templates" / name


SOURCE_LEFT_OUT = ("build", ".git", "mutants", "site", ".setuptools-build", "*.egg-info",
                   "__pycache__", ".hypothesis", ".*_cache", ".mutation", "dist")
"""What a copy of the clone leaves out: outputs, caches, and what earlier builds made."""


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of this checkout's sources, as a fresh clone has them."""
    import shutil

    folder = tmp_path_factory.mktemp("clone") / "folio"
    shutil.copytree(ROOT, folder, ignore=shutil.ignore_patterns(*SOURCE_LEFT_OUT))
    return folder


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory, clone: Path) -> Path:
    """Build Folio's wheel from a copy of this checkout, as pip does, without the network."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--no-index", "-q", "-w", str(out), str(clone)],
                   check=True, capture_output=True, timeout=300)
    return next(out.glob("folio-*.whl"))


def test_installing_from_the_clone_leaves_nothing_in_its_build_folder(
        wheel: Path, clone: Path) -> None:
    """build/ is Folio's output folder: setuptools' build/lib and build/bdist.* go elsewhere."""
    assert wheel.is_file()
    assert not (clone / "build").exists(), sorted(p.name for p in (clone / "build").iterdir())


def test_the_wheel_holds_the_built_in_themes(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    themes = sorted((ROOT / "templates").rglob("*"))
    for path in (p for p in themes if p.is_file()):
        assert f"folio/themes/{path.relative_to(ROOT / 'templates')}" in names
    assert "folio/py.typed" in names and not any(n.startswith("templates/") for n in names)


@pytest.mark.slow
def test_wheel_install_builds_a_new_edition_in_an_empty_folder(
        wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python, folio = venv / "bin" / "python", venv / "bin" / "folio"
    # The new venv sees the dependencies installed where the tests run (a venv or not),
    # without their .pth files: Folio itself comes from the wheel alone.
    inside = subprocess.run([str(python), "-c", "import sysconfig; "
                             "print(sysconfig.get_paths()['purelib'])"],
                            capture_output=True, text=True, check=True).stdout.strip()
    outside = dict.fromkeys([*(sysconfig.get_paths()[k] for k in ("purelib", "platlib")),
                             *(p for p in sys.path if p.endswith("-packages"))])
    (Path(inside) / "outside.pth").write_text("\n".join(outside) + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    "--ignore-installed", str(wheel)], check=True, capture_output=True,
                   timeout=300)
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=empty, env=env, capture_output=True, text=True,
                              timeout=600)

    where = run(str(python), "-c", "import folio.sources as s; print(s.__file__, s.BUILTIN_THEMES)")
    assert where.stdout.startswith(str(venv)), where.stdout + where.stderr
    assert f"{venv}/lib/" in where.stdout.split()[1]
    made = run(str(folio), "new", "hi-2026")
    assert made.returncode == 0, made.stderr
    assert "run `folio build hi-2026`" in made.stdout  # the command the user ran
    built = run(str(folio), "build")
    assert built.returncode == 0, built.stderr
    assert "Traceback" not in built.stderr
    out = empty / "build" / "hi-2026"
    assert {"index.html", "hi-2026.pdf", "email.html", "email.eml"} <= {
        p.name for p in out.iterdir()}
    missing = run(str(folio), "check", "hi-2025")
    assert missing.returncode == 1
    assert "did you mean 'hi-2026'?" in missing.stderr
