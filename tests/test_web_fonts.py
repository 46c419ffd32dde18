"""The web fonts are written once for the whole build folder, in `build/assets/fonts/`,
and every page (each edition's and the archive's) finds them there, on disk and online."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from folio.archive import WEB_FONTS
from folio.build import build, read_manifest
from folio.publish import publish
from folio.theme import load_theme, web_font_name
from tests.conftest import SAMPLES

FONT_URL = re.compile(r"url\('([^']+\.woff2)'\)")


def build_web(project: Path) -> list:
    results = list(build(content=project / "content", out=project / "build", formats=["web"]))
    assert all(r.ok for r in results), [r.problems for r in results]
    return results


def font_urls(root: Path) -> dict[Path, list[str]]:
    """Return, for every stylesheet under `root`, the font addresses of its @font-face rules."""
    return {sheet: FONT_URL.findall(sheet.read_text("utf-8"))
            for sheet in sorted(root.rglob("style.css"))}


def assert_fonts_resolve(root: Path) -> set[str]:
    """Check that every font address of every stylesheet is a file; return the files' names."""
    used = set()
    sheets = font_urls(root)
    assert root / "assets" / "style.css" in sheets  # the archive's
    for sheet, urls in sheets.items():
        assert urls, f"{sheet} has no @font-face"
        for url in urls:
            target = (sheet.parent / url).resolve()
            assert target.is_file(), f"{sheet}: {url} is missing"
            assert target.parent == (root / WEB_FONTS).resolve(), url
            used.add(target.name)
    return used


def set_theme(project: Path, theme: str, *editions: str, site: bool = False) -> None:
    for name in editions:
        path = project / "content" / name / "edition.yaml"
        text = re.sub(r"(?m)^theme:.*\n", "", path.read_text("utf-8"))
        path.write_text(f"{text.rstrip()}\ntheme: {theme}\n", "utf-8")
    if site:
        (project / "folio.yaml").write_text(f"site:\n  theme: {theme}\n", "utf-8")


def test_three_editions_share_one_copy_of_each_font(samples: Path) -> None:
    build_web(samples)
    out = samples / "build"
    everywhere = sorted(p.relative_to(out) for p in out.rglob("*.woff2"))
    shared = sorted((out / WEB_FONTS).iterdir())
    assert everywhere == [p.relative_to(out) for p in shared]  # nowhere else
    theme = load_theme("default", samples)
    assert [p.name for p in shared] == sorted(web_font_name(p) for _f, _s, p in
                                              theme.font_files())
    assert assert_fonts_resolve(out) == {p.name for p in shared}
    for name in SAMPLES:  # each page names the shared folder, relative to its stylesheet
        css = (out / name / "assets" / "style.css").read_text("utf-8")
        assert f"url('../../{WEB_FONTS}/" in css


def test_a_build_with_nothing_changed_writes_nothing(samples: Path) -> None:
    build_web(samples)
    out = samples / "build"
    def written() -> dict[Path, int]:  # hidden files are Folio's notes, not outputs
        return {p: p.stat().st_mtime_ns for p in out.rglob("*")
                if p.is_file() and not p.relative_to(out).parts[0].startswith(".")}

    before = written()
    results = build_web(samples)
    assert all(not r.built for r in results), [(r.edition, r.built) for r in results]
    assert written() == before


def test_a_theme_change_replaces_the_fonts_and_keeps_those_still_used(samples: Path) -> None:
    """The archive and the editions may change theme apart; a font goes when nobody uses it."""
    out = samples / "build"
    build_web(samples)
    default = {web_font_name(p) for _f, _s, p in load_theme("default", samples).font_files()}
    plain = {web_font_name(p) for _f, _s, p in load_theme("plain", samples).font_files()}
    assert plain < default  # the plain theme has Lato only
    set_theme(samples, "plain", site=True)  # the archive changes, the editions do not
    build_web(samples)
    assert {p.name for p in (out / WEB_FONTS).iterdir()} == default
    assert assert_fonts_resolve(out) == default
    set_theme(samples, "plain", *SAMPLES[:2])  # one edition still uses Source Serif Pro
    build_web(samples)
    assert {p.name for p in (out / WEB_FONTS).iterdir()} == default
    set_theme(samples, "plain", SAMPLES[2])
    build_web(samples)
    assert {p.name for p in (out / WEB_FONTS).iterdir()} == plain
    assert assert_fonts_resolve(out) == plain


def test_removing_an_edition_leaves_the_fonts_the_others_use(samples: Path) -> None:
    out = samples / "build"
    build_web(samples)
    fonts = {p.name for p in (out / WEB_FONTS).iterdir()}
    for name in SAMPLES[1:]:
        shutil.rmtree(samples / "content" / name)
        shutil.rmtree(out / name)
    build_web(samples)
    assert {p.name for p in (out / WEB_FONTS).iterdir()} == fonts
    assert assert_fonts_resolve(out) == fonts


def test_a_new_version_of_a_font_gets_a_new_name(tmp_path: Path) -> None:
    """Content-addressed: a browser never keeps an old font for a new page."""
    from fontTools.ttLib import TTFont

    _f, _s, original = load_theme("default", tmp_path).font_files()[0]
    changed = tmp_path / original.name
    with TTFont(original) as font:
        font["head"].fontRevision += 1
        font.save(changed)
    assert web_font_name(changed) != web_font_name(original)
    assert web_font_name(changed).startswith(f"{original.stem}-")
    assert web_font_name(original) == web_font_name(original)


def test_publishing_puts_the_shared_fonts_online_once(samples: Path, tmp_path: Path) -> None:
    build_web(samples)
    site = tmp_path / "site"
    publish(str(site), content=samples / "content", out=samples / "build", allow_errors=True)
    assert not list(site.glob("*/assets/fonts"))
    assert assert_fonts_resolve(site) == {p.name for p in (site / WEB_FONTS).iterdir()}


def test_the_manifest_lists_each_pages_fonts_so_a_missing_one_is_rebuilt(samples: Path) -> None:
    out = samples / "build"
    build_web(samples)
    listed = read_manifest(out)[f"{SAMPLES[0]}/web"]["files"]
    assert any(name.startswith(f"../{WEB_FONTS}/") for name in listed)
    shutil.rmtree(out / WEB_FONTS)
    results = build_web(samples)
    assert [r.edition for r in results if r.built] == [SAMPLES[0]]  # it wrote them for all
    assert_fonts_resolve(out)


def test_nothing_of_the_email_points_to_a_web_font(samples: Path) -> None:
    """Email clients load no fonts from the build folder: the email names no font file."""
    results = list(build([SAMPLES[0]], content=samples / "content", out=samples / "build",
                         formats=["email"]))
    assert all(r.ok for r in results)
    for name in ("email.html", "email.eml"):
        text = (samples / "build" / SAMPLES[0] / name).read_text("utf-8")
        assert "@font-face" not in text and ".woff" not in text and "fonts/" not in text
