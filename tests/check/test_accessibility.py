"""Tests of the accessibility rules that read settings: contrast, language, front-matter
pictures and links."""

from __future__ import annotations

from pathlib import Path

import pytest

from folio.check import check_edition, contrast_ratio
from folio.schema import Colours, FontSpec, ThemeConfig
from tests.check.conftest import CONFIG, check_body, write_edition
from tests.conftest import ROOT

# --- accessibility rules on settings ----------------------------------------------------


def _theme(**colours: str) -> ThemeConfig:
    font = FontSpec(family="Lato")
    return ThemeConfig(name="t", colours=Colours(**colours), body_font=font, heading_font=font)


def test_contrast(tmp_path: Path) -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    folder = write_edition(tmp_path, {"01-a.md": "Fine."})
    assert check_edition(folder, theme=_theme()) == []
    [finding] = check_edition(folder, theme=_theme(ink="#999999"))
    assert finding.rule == "contrast" and "'ink: #999999'" in finding.message
    assert "2.8:1" in finding.message


@pytest.mark.parametrize("foreground, background, ratio", [
    ("#FFF", "#000", 21.0),           # three digits, upper case, either order
    (" abc ", "#aabbcc", 1.0),        # no #, spaces around: the same colour
    ("#0a0a0a", "#ffffff", 19.798),   # a channel in the linear part of the sRGB curve
    ("#0b0b0b", "#ffffff", 19.683),   # ... and just above it
])
def test_contrast_ratio_exactly(foreground: str, background: str, ratio: float) -> None:
    assert contrast_ratio(foreground, background) == pytest.approx(ratio, abs=0.001)


@pytest.mark.parametrize("foreground, background", [
    ("#ffffff", "red"), ("blue", "#000000"), ("#ffff", "#000"), ("#ggg", "#000"), ("", "#000"),
])
def test_contrast_ratio_of_an_unreadable_colour(foreground: str, background: str) -> None:
    assert contrast_ratio(foreground, background) is None


def test_contrast_of_the_print_palette(tmp_path: Path) -> None:
    """The PDF's section numbers are large text: 3:1 on paper, not 4.5:1."""
    folder = write_edition(tmp_path, {"01-a.md": "Fine."})
    [finding] = check_edition(folder, theme=_theme(highlight_text="#f2a900"))
    assert "'highlight_text: #f2a900' on 'paper: #ffffff'" in finding.message
    assert "2.0:1" in finding.message and "needs 3:1" in finding.message
    assert check_edition(folder, theme=_theme(highlight_text="#b97c00")) == []  # 3.5:1


def test_default_theme_passes_contrast(tmp_path: Path) -> None:
    import yaml

    data = yaml.safe_load((ROOT / "templates" / "default" / "theme.yaml").read_text())
    folder = write_edition(tmp_path, {"01-a.md": "Fine."})
    assert check_edition(folder, theme=ThemeConfig.model_validate(data)) == []


def test_language_must_be_set(tmp_path: Path) -> None:
    config = CONFIG.replace("language: en-GB\n", "")
    [finding] = check_body(tmp_path, "Fine.", config)
    assert (finding.rule, Path(finding.file).name) == ("language", "edition.yaml")


def test_front_matter_image_alt_and_cta(tmp_path: Path) -> None:
    from PIL import Image

    folder = write_edition(tmp_path, {
        "01-pic.md": "---\ntitle: Picture\nlayout: image\nimage: images/p.png\n"
                     "image_alt: p.png\n---\nText.\n",
        "02-cta.md": "---\ntitle: Join\nlayout: cta\ncta: {label: Click here, url: "
                     "\"http://example.org/join\"}\n---\n"})
    (folder / "images").mkdir()
    Image.new("RGB", (4, 4)).save(folder / "images" / "p.png")
    findings = check_edition(folder)
    assert [(Path(f.file).name, f.rule, f.line) for f in findings] == [
        ("01-pic.md", "image-alt", 4), ("02-cta.md", "http-link", 4),
        ("02-cta.md", "link-text", 4)]
