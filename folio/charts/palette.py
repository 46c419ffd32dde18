"""Palette: a theme's colours -> the categorical colours of chart series, readable on its paper.

The theme's accent and highlight come first, then a fixed set of hues that stay apart for
the common colour-vision deficiencies (after Okabe and Ito). Each colour is darkened (or
lightened, on dark paper) until it has a contrast of at least 3:1 with the paper, the
WCAG 2.1 level for graphics (1.4.11), and one too close to a colour already chosen is
skipped. Colour is never the only cue: `spec` adds direct labels, dashes and shapes.
"""

from __future__ import annotations

from ..schema import ThemeConfig

GRAPHIC_CONTRAST = 3.0
EXTRA = ("#d55e00", "#009e73", "#cc79a7", "#56b4e9", "#e69f00", "#0072b2", "#7f7f7f")
"""Okabe and Ito's colours that stay distinct with protanopia, deuteranopia and tritanopia."""
SERIES = 6
"""The most series a chart tells apart by more than colour (shapes, dashes, labels)."""


def _channel(value: float) -> float:
    value /= 255
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def rgb(colour: str) -> tuple[int, int, int]:
    """Return a `#rrggbb` (or `#rgb`) colour's red, green and blue."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def luminance(colour: str) -> float:
    """Return a colour's relative luminance (WCAG 2.1)."""
    red, green, blue = (_channel(c) for c in rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    """Return the WCAG contrast ratio of two colours, from 1 to 21."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _toward(colour: str, target: int, step: float) -> str:
    return "#" + "".join(f"{round(c + (target - c) * step):02x}" for c in rgb(colour))


def readable(colour: str, paper: str) -> str:
    """Return `colour`, darkened or lightened just enough for 3:1 against `paper`."""
    target = 0 if luminance(paper) > 0.18 else 255
    shade, step = colour, 0.0
    while contrast(shade, paper) < GRAPHIC_CONTRAST and step < 1:
        step += 0.04
        shade = _toward(colour, target, step)
    return shade


def _distance(first: str, second: str) -> float:
    return sum((a - b) ** 2 for a, b in zip(rgb(first), rgb(second), strict=True)) ** 0.5


def palette(theme: ThemeConfig, count: int = SERIES) -> list[str]:
    """Return `count` series colours for a theme, each readable on its paper."""
    paper = theme.colours.paper
    chosen: list[str] = []
    for colour in (theme.colours.accent, theme.colours.highlight, *EXTRA):
        shade = readable(colour, paper)
        if all(_distance(shade, other) > 60 for other in chosen):
            chosen.append(shade)
        if len(chosen) == count:
            break
    distinct = len(chosen)
    while len(chosen) < count:  # more series than hues: the shapes and dashes tell them apart
        chosen.append(chosen[len(chosen) % distinct])
    return chosen
