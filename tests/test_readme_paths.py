"""Paths the README promises and no other test walks: a bug in Folio while the other formats
are written, oversized and fake pictures, `sections:` and cover settings, a missing font
package, a broken theme.yaml, and `new` refusing to overwrite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from folio.build import ARCHIVE, build
from folio.content import load_edition
from folio.errors import ContentError, FolioError, TemplateError
from folio.scaffold import new_edition
from folio.sources import BUILTIN_THEMES
from folio.theme import load_theme
from tests.conftest import ROOT


def editions(results) -> list:
    """Return the results of the editions, without the archive's."""
    return [r for r in results if r.edition != ARCHIVE]

def problems_of(folder: Path) -> list[str]:
    """Load an edition that must fail; return its problems as `file, line N: message`."""
    with pytest.raises(ContentError) as failure:
        load_edition(folder)
    return [str(p) for p in failure.value.problems]


def add_to_config(project: Path, text: str) -> None:
    config = project / "content" / "mini" / "edition.yaml"
    config.write_text(config.read_text() + text)


def test_a_bug_in_one_format_leaves_the_others_written(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import folio.formats.web

    def broken(edition, theme):
        return {"index.html": b"x", "oops": 1 / 0}

    monkeypatch.setattr(folio.formats.web, "render", broken)
    [result] = editions(build(content=project / "content", out=project / "build", jobs=1))
    assert sorted(result.built) == ["email", "pdf"]
    [problem] = result.problems
    assert problem.message.startswith("the web format failed unexpectedly "
                                      "(ZeroDivisionError: division by zero)")
    assert "this is a bug in Folio: run again with --debug" in problem.message
    assert "ZeroDivisionError" in result.tracebacks[-1] and "broken" in result.tracebacks[-1]
    folder = project / "build" / "mini"
    assert (folder / "mini.pdf").is_file() and (folder / "email.html").is_file()
    assert not (folder / "index.html").exists()


def test_a_picture_over_25_mb(project: Path) -> None:
    folder = project / "content" / "mini"
    with open(folder / "images" / "huge.png", "wb") as handle:
        handle.truncate(30_000_000)  # sparse: takes no room on the disk
    (folder / "07-huge.md").write_text("---\ntitle: Huge\nlayout: image\nimage: images/huge.png\n"
                                       "image_alt: A harbour at dawn\n---\nText.\n")
    [problem] = problems_of(folder)
    assert problem.endswith("07-huge.md, line 4: image 'images/huge.png' is 30 MB; make it "
                            "smaller than 25 MB (2400 px wide is plenty)")


def test_a_picture_just_under_25_mb_is_judged_as_a_picture(project: Path) -> None:
    folder = project / "content" / "mini"
    with open(folder / "images" / "big.png", "wb") as handle:
        handle.truncate(25_000_000)
    (folder / "07-big.md").write_text("---\ntitle: Big\nlayout: image\nimage: images/big.png\n"
                                      "image_alt: A harbour at dawn\n---\nText.\n")
    [problem] = problems_of(folder)
    assert "damaged or not really a picture" in problem


@pytest.mark.parametrize("name, data, message", [
    ("notes.png", b"these are my notes, not a picture\n",
     "image 'images/notes.png' is damaged or not really a picture; export it again as PNG "
     "or JPEG"),
    ("cut.png", None, "is damaged or not really"),
    ("scan.bmp", b"BM", "'images/scan.bmp' is not a picture Folio can use; use a .png, .jpg, "
                        ".gif, .webp or .svg file"),
])
def test_files_that_are_not_pictures(project: Path, name: str, data: bytes | None,
                                     message: str) -> None:
    folder = project / "content" / "mini"
    if data is None:  # a real PNG whose second half was lost in a copy
        import io

        from PIL import Image

        buffer = io.BytesIO()
        Image.effect_noise((64, 64), 40).save(buffer, "PNG")
        data = buffer.getvalue()[: len(buffer.getvalue()) // 2]
    (folder / "images" / name).write_bytes(data)
    (folder / "07-fake.md").write_text(f"---\ntitle: Fake\nlayout: image\nimage: images/{name}\n"
                                       "image_alt: A harbour at dawn\n---\nText.\n")
    [problem] = problems_of(folder)
    assert "07-fake.md, line 4: " in problem and message in problem


def test_an_unknown_slug_under_sections(project: Path) -> None:
    folder = project / "content" / "mini"
    slugs = sorted(p.stem[3:] for p in folder.glob("[0-9][0-9]-*.md"))
    wrong = ["introdution" if s == "introduction" else s for s in slugs]
    add_to_config(project, "sections:\n" + "".join(f"  - {s}\n" for s in wrong))
    config = folder / "edition.yaml"
    first = len(config.read_text().splitlines()) - len(wrong) + 1  # the first listed slug
    assert sorted(problems_of(folder)) == sorted([
        f"{config}, line {first + wrong.index('introdution')}: 'sections' lists 'introdution', "
        "which has no file; did you mean 'introduction'?",
        f"{config}, line {first - 1}: 'sections' does not list 'introduction'; add it or "
        "delete the file"])


def test_a_cover_image_needs_alt_text(project: Path) -> None:
    add_to_config(project, "cover_image: images/pic.png\n")
    [problem] = problems_of(project / "content" / "mini")
    assert problem.endswith("edition.yaml, line 16: 'cover_image_alt' is required with "
                            "'cover_image'")
    add_to_config(project, "cover_image_alt: Members at the spring meeting\n")
    assert load_edition(project / "content" / "mini").config.cover_image_alt


def theme_with(project: Path, name: str, text: str) -> Path:
    folder = project / "templates" / name
    folder.mkdir(parents=True)
    (folder / "theme.yaml").write_text(text)
    add_to_config(project, f"theme: {name}\n")
    return folder


def test_a_missing_font_package(project: Path) -> None:
    data = yaml.safe_load((BUILTIN_THEMES / "default" / "theme.yaml").read_text())
    data.update(name="brand")
    data["body_font"]["package"] = "font_nowhere_to_be_found"
    theme_with(project, "brand", yaml.safe_dump(data))
    [result] = editions(build(content=project / "content", out=project / "build", formats=["web"]))
    [problem] = result.problems
    assert problem.message == ("the font package 'font_nowhere_to_be_found' is not installed; "
                               "run `pip install font-nowhere-to-be-found`")


def test_a_broken_theme_yaml(project: Path) -> None:
    folder = theme_with(project, "brand", "name: brand\ncolours:\n  ink: [#111111\n")
    with pytest.raises(TemplateError) as failure:
        load_theme("brand", project, project / "content" / "mini")
    [problem] = failure.value.problems
    assert Path(problem.path) == folder / "theme.yaml" and problem.line
    assert "cannot be read" in problem.message
    [result] = editions(build(content=project / "content", out=project / "build", formats=["web"]))
    assert [Path(p.path).name for p in result.problems] == ["theme.yaml"]


def test_a_theme_yaml_with_a_wrong_key(project: Path) -> None:
    data = yaml.safe_load((BUILTIN_THEMES / "default" / "theme.yaml").read_text())
    data.update(name="brand", colors=data.pop("colours"))
    folder = theme_with(project, "brand", yaml.safe_dump(data))
    with pytest.raises(TemplateError) as failure:
        load_theme("brand", project)
    assert any(Path(p.path) == folder / "theme.yaml" and "'colors'" in p.message
               and "did you mean 'colours'?" in p.message for p in failure.value.problems)


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    content = tmp_path / "content"
    folder = new_edition(content, "spring-2026")
    section = sorted(folder.glob("*.md"))[0]
    section.write_text("---\ntitle: Mine\n---\nWritten by hand.\n")
    with pytest.raises(FolioError, match=r"spring-2026 already exists; choose another name"):
        new_edition(content, "spring-2026")
    assert section.read_text() == "---\ntitle: Mine\n---\nWritten by hand.\n"
    done = subprocess.run([sys.executable, str(ROOT / "generate.py"), "new", "spring-2026"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1 and "already exists" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert section.read_text() == "---\ntitle: Mine\n---\nWritten by hand.\n"
