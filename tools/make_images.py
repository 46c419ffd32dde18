"""Draw every picture the sample editions use.

Run from anywhere:

    python tools/make_images.py

It writes PNG files into ``content/<edition>/images/``. The drawings are made
from shapes and Lato text only (no photographs, no real logos), with a fixed
random seed, so running the script twice gives byte-identical files.

Pictures made:

- ``reflections-2025/images/cover.png``: abstract cover artwork (1600 x 1000).
- ``reflections-2025/images/research-timeline.png``: the 2025 research
  timeline chart (1600 x 900).
- ``reflections-2025/images/logo.png`` and ``february-2026/images/logo.png``:
  an invented mark and wordmark on a transparent background (600 x 160).
- ``february-2026/images/banner.png``: a slim abstract banner (1200 x 400).
- ``templates/default/assets/artwork.jpg`` and ``templates/plain/assets/artwork.jpg``:
  each theme's cover artwork, for editions without a cover picture (1500 x 1500), in the
  theme's colours; a JPEG, since its soft gradients would make a PNG three times larger.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import font_lato
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"

# The default theme's palette.
NAVY = (13, 47, 79)
BLUE = (10, 92, 138)
TEAL = (22, 138, 150)
SKY = (96, 164, 206)
AMBER = (242, 169, 0)
INK = (29, 36, 48)
GREY = (217, 222, 229)
MUTED = (86, 96, 112)
WHITE = (255, 255, 255)

SCALE = 2  # draw at twice the size, then shrink: smooth edges without blur


def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    """Return a Lato face ('Lato', 'LatoBold', 'LatoBlack', ...) at ``size`` pixels."""
    return ImageFont.truetype(font_lato.font_files[name], size)


def save_png(image: Image.Image, path: Path, colours: int | None = 256) -> None:
    """Save ``image`` as a small, reproducible PNG (no metadata).

    With ``colours`` the picture is reduced to a palette of that many colours, which
    suits flat drawings; ``None`` keeps full colour, for soft gradients and glows that
    a palette would band.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if colours is None:
        small = image.convert("RGB")
    elif image.mode == "RGBA":
        small = image.quantize(
            colors=colours, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
        )
    else:
        small = image.convert("RGB").quantize(
            colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    small.info.clear()
    small.save(path, format="PNG", optimize=True)
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)")


def vertical_gradient(size: tuple[int, int], top: tuple, bottom: tuple) -> Image.Image:
    """Return an RGB image fading from ``top`` to ``bottom``."""
    height = size[1]
    column = Image.new("RGB", (1, height))
    for y in range(height):
        t = y / max(1, height - 1)
        column.putpixel(
            (0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=False))
        )
    return column.resize(size, Image.Resampling.NEAREST)


def overlay(base: Image.Image, draw_fn) -> Image.Image:
    """Draw translucent shapes with ``draw_fn(draw)`` on a layer and blend it onto ``base``."""
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw_fn(ImageDraw.Draw(layer))
    return Image.alpha_composite(base.convert("RGBA"), layer)


# --- cover --------------------------------------------------------------------------


def network_nodes(
    rng: random.Random, width: int, height: int, count: int
) -> list[tuple]:
    """Scatter ``count`` nodes, denser towards the right-hand side of the picture."""
    nodes = []
    while len(nodes) < count:
        x = rng.uniform(0.05, 1.02) * width
        y = rng.uniform(0.04, 0.98) * height
        # Keep the left third calm, where a title may sit over the picture.
        if x < width * 0.42 and rng.random() < 0.75:
            continue
        if all(math.dist((x, y), (nx, ny)) > width * 0.045 for nx, ny, _ in nodes):
            nodes.append((x, y, rng.choice((3, 4, 4, 5, 6))))
    return nodes


def draw_cover(path: Path) -> None:
    """Abstract cover: soft overlapping circles and a network of linked nodes."""
    width, height = 1600 * SCALE, 1000 * SCALE
    rng = random.Random(2025)
    image = vertical_gradient((width, height), NAVY, (8, 34, 58)).convert("RGBA")

    def circles(draw: ImageDraw.ImageDraw) -> None:
        big = [
            (0.78, 0.42, 0.42, BLUE, 120),
            (0.98, 0.88, 0.36, TEAL, 90),
            (0.58, 0.92, 0.28, BLUE, 70),
            (0.92, 0.10, 0.22, SKY, 45),
        ]
        for cx, cy, r, colour, alpha in big:
            cx, cy, r = cx * width, cy * height, r * width
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(*colour, alpha))

    image = overlay(image, circles)

    def arcs(draw: ImageDraw.ImageDraw) -> None:
        cx, cy = width * 0.78, height * 0.42
        for i, radius in enumerate((0.22, 0.30, 0.38, 0.47)):
            r = radius * width
            start = 200 + i * 22
            draw.arc(
                (cx - r, cy - r, cx + r, cy + r),
                start,
                start + 140 - i * 12,
                fill=(*WHITE, 70 - i * 12),
                width=3 * SCALE,
            )

    image = overlay(image, arcs)

    nodes = network_nodes(rng, width, height, 46)

    def links(draw: ImageDraw.ImageDraw) -> None:
        for x, y, _ in nodes:
            ranked = sorted(
                range(len(nodes)), key=lambda j: math.dist((x, y), nodes[j][:2])
            )
            for j in ranked[1:3]:
                nx, ny, _ = nodes[j]
                if math.dist((x, y), (nx, ny)) < width * 0.16:
                    draw.line((x, y, nx, ny), fill=(*SKY, 95), width=2 * SCALE)

    image = overlay(image, links)

    # The one warm accent: a node with a glowing halo, linked into the network.
    accent_x, accent_y = width * 0.70, height * 0.36
    glow = Image.new("RGBA", image.size, (0, 0, 0, 0))
    ImageDraw.Draw(glow).ellipse(
        (
            accent_x - 90 * SCALE,
            accent_y - 90 * SCALE,
            accent_x + 90 * SCALE,
            accent_y + 90 * SCALE,
        ),
        fill=(*AMBER, 110),
    )
    image = Image.alpha_composite(
        image, glow.filter(ImageFilter.GaussianBlur(40 * SCALE))
    )

    def dots(draw: ImageDraw.ImageDraw) -> None:
        nearest = sorted(nodes, key=lambda n: math.dist((accent_x, accent_y), n[:2]))[
            :4
        ]
        for nx, ny, _ in nearest:
            draw.line(
                (accent_x, accent_y, nx, ny), fill=(*AMBER, 150), width=2 * SCALE
            )
        for x, y, r in nodes:
            r *= SCALE
            draw.ellipse(
                (x - r * 2.4, y - r * 2.4, x + r * 2.4, y + r * 2.4), fill=(*SKY, 50)
            )
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(*WHITE, 230))
        r = 15 * SCALE
        draw.ellipse(
            (accent_x - r, accent_y - r, accent_x + r, accent_y + r),
            fill=(*AMBER, 255),
        )
        r = 30 * SCALE
        draw.ellipse(
            (accent_x - r, accent_y - r, accent_x + r, accent_y + r),
            outline=(*AMBER, 200),
            width=3 * SCALE,
        )

    image = overlay(image, dots)
    image = image.convert("RGB").resize(
        (width // SCALE, height // SCALE), Image.Resampling.LANCZOS
    )
    save_png(image, path, colours=None)


# --- research timeline --------------------------------------------------------------

# (month, month name, title lines, note, card side, where the stem meets the card 0..1)
MILESTONES = [
    (
        5,
        "May",
        ("Wellbeing of", "frontline responders"),
        "Launched at IPPPRI 25",
        "above",
        0.5,
    ),
    (
        9,
        "September",
        ("Children and harmful", "sexual behaviours"),
        "Safe Futures Hub research",
        "below",
        0.92,
    ),
    (
        10,
        "October",
        ("Risks to children in", "online gaming"),
        "First findings, Riyadh",
        "above",
        0.5,
    ),
    (
        12,
        "December",
        ("Global Threat", "Assessment 2025"),
        "With a Prevention Framework",
        "below",
        0.8,
    ),
]


def draw_timeline(path: Path) -> None:
    """A flat timeline of the year's research, January to December."""
    s = SCALE
    width, height = 1600 * s, 900 * s
    image = Image.new("RGB", (width, height), WHITE)
    draw = ImageDraw.Draw(image)

    draw.text(
        (80 * s, 64 * s),
        "Research published in 2025",
        font=font("LatoBlack", 52 * s),
        fill=NAVY,
    )
    draw.text(
        (80 * s, 132 * s),
        "Four reports and findings from the Alliance, month by month",
        font=font("Lato", 28 * s),
        fill=MUTED,
    )

    left, right, axis_y = 120 * s, 1480 * s, 500 * s

    def month_x(month: int) -> float:
        return left + (right - left) * (month - 0.5) / 12

    draw.rounded_rectangle(
        (left, axis_y - 5 * s, right, axis_y + 5 * s), radius=5 * s, fill=GREY
    )
    draw.rounded_rectangle(
        (left, axis_y - 5 * s, month_x(12), axis_y + 5 * s), radius=5 * s, fill=BLUE
    )
    small = font("LatoBold", 20 * s)
    for month, name in enumerate("JFMAMJJASOND", start=1):
        x = month_x(month)
        draw.line((x, axis_y + 12 * s, x, axis_y + 22 * s), fill=GREY, width=2 * s)
        draw.text((x, axis_y + 40 * s), name, font=small, fill=MUTED, anchor="mm")

    title_font = font("LatoBold", 27 * s)
    month_font = font("LatoBlack", 22 * s)
    note_font = font("Lato", 22 * s)
    pad_left, pad_right, card_h = 34 * s, 28 * s, 168 * s
    dark_amber = (158, 105, 0)  # amber deep enough to read on the pale card
    placed: dict[str, list[tuple[float, float]]] = {"above": [], "below": []}
    for month, name, (line1, line2), note, side, anchor in MILESTONES:
        x = month_x(month)
        text_w = max(
            draw.textlength(t, font=f)
            for t, f in (
                (name.upper(), month_font),
                (line1, title_font),
                (line2, title_font),
                (note, note_font),
            )
        )
        card_w = pad_left + text_w + pad_right
        cx0 = min(max(x - card_w * anchor, left), right - card_w)
        for a, b in placed[side]:
            if cx0 < b + 16 * s and a < cx0 + card_w + 16 * s:
                raise ValueError(f"timeline card for {name} overlaps another")
        placed[side].append((cx0, cx0 + card_w))
        cy0 = axis_y - 90 * s - card_h if side == "above" else axis_y + 90 * s
        stem_end = cy0 + card_h if side == "above" else cy0
        accent = AMBER if month == 12 else BLUE
        # Below the axis, the stem starts under the month letters rather than through them.
        stem_start = axis_y if side == "above" else axis_y + 58 * s
        draw.line((x, stem_start, x, stem_end), fill=accent, width=3 * s)
        draw.rounded_rectangle(
            (cx0, cy0, cx0 + card_w, cy0 + card_h),
            radius=14 * s,
            fill=(244, 247, 250),
            outline=GREY,
            width=2 * s,
        )
        draw.rounded_rectangle(
            (cx0, cy0, cx0 + 10 * s, cy0 + card_h), radius=5 * s, fill=accent
        )
        tx = cx0 + pad_left
        draw.text(
            (tx, cy0 + 22 * s),
            name.upper(),
            font=month_font,
            fill=dark_amber if month == 12 else BLUE,
        )
        draw.text((tx, cy0 + 56 * s), line1, font=title_font, fill=NAVY)
        draw.text((tx, cy0 + 90 * s), line2, font=title_font, fill=NAVY)
        draw.text((tx, cy0 + 130 * s), note, font=note_font, fill=MUTED)
        r = 14 * s
        draw.ellipse(
            (x - r, axis_y - r, x + r, axis_y + r),
            fill=WHITE,
            outline=accent,
            width=5 * s,
        )
        r = 6 * s
        draw.ellipse((x - r, axis_y - r, x + r, axis_y + r), fill=accent)

    draw.line((80 * s, 830 * s, 1520 * s, 830 * s), fill=GREY, width=2 * s)
    draw.text(
        (80 * s, 848 * s),
        "Source: WeProtect Global Alliance publications, 2025 (sample edition)",
        font=font("Lato", 20 * s),
        fill=MUTED,
    )

    image = image.resize((width // s, height // s), Image.Resampling.LANCZOS)
    save_png(image, path, colours=128)


# --- logo ---------------------------------------------------------------------------


def shield_points(x: float, y: float, w: float, h: float) -> list[tuple[float, float]]:
    """Outline of a rounded shield whose box starts at (x, y), ``w`` by ``h``."""
    points = [(x, y + h * 0.12), (x + w / 2, y), (x + w, y + h * 0.12)]
    steps = 40
    for i in range(steps + 1):  # right flank curving down to the point
        t = i / steps
        points.append(
            (
                x + w - (w / 2) * t**1.8,
                y + h * 0.12 + (h * 0.88) * math.sin(t * math.pi / 2),
            )
        )
    for i in range(steps, -1, -1):  # back up the left flank
        t = i / steps
        points.append(
            (
                x + (w / 2) * t**1.8,
                y + h * 0.12 + (h * 0.88) * math.sin(t * math.pi / 2),
            )
        )
    return points


def draw_logo(path: Path) -> None:
    """An invented mark (shield holding a circle and an arc) beside a two-line wordmark."""
    s = 4
    width, height = 600 * s, 160 * s
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)

    x, y, w, h = 16 * s, 14 * s, 112 * s, 132 * s
    draw.polygon(shield_points(x, y, w, h), fill=NAVY)
    inner = 12 * s
    draw.polygon(
        shield_points(x + inner, y + inner, w - 2 * inner, h - 2 * inner), fill=BLUE
    )
    cx, cy = x + w / 2, y + h * 0.46
    r = 30 * s
    draw.arc((cx - r, cy - r, cx + r, cy + r), 150, 390, fill=WHITE, width=8 * s)
    r = 11 * s
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=AMBER)

    text_x = 150 * s
    draw.text((text_x, 22 * s), "WeProtect", font=font("LatoBold", 58 * s), fill=NAVY)
    draw.text(
        (text_x + 2 * s, 92 * s),
        "Global Alliance",
        font=font("LatoBold", 38 * s),
        fill=BLUE,
    )

    image = image.resize((600, 160), Image.Resampling.LANCZOS)
    save_png(image, path, colours=128)


# --- newsletter banner --------------------------------------------------------------


def draw_banner(path: Path) -> None:
    """A slim abstract banner: layered waves and one amber point."""
    s = SCALE
    width, height = 1200 * s, 400 * s
    image = vertical_gradient((width, height), BLUE, NAVY).convert("RGBA")

    def waves(draw: ImageDraw.ImageDraw) -> None:
        for band, (colour, alpha) in enumerate(((SKY, 60), (TEAL, 90), (NAVY, 150))):
            base = height * (0.52 + band * 0.14)
            points = [(0, height)]
            for i in range(121):
                px = width * i / 120
                py = base + math.sin(i / 120 * math.pi * 2 + band * 1.3) * 34 * s
                points.append((px, py))
            points.append((width, height))
            draw.polygon(points, fill=(*colour, alpha))
        for i, r in enumerate((150, 220, 290)):
            rr = r * s
            cx, cy = width * 0.84, height * 0.34
            draw.ellipse(
                (cx - rr, cy - rr, cx + rr, cy + rr),
                outline=(*WHITE, 60 - i * 15),
                width=2 * s,
            )

    image = overlay(image, waves)

    def accent(draw: ImageDraw.ImageDraw) -> None:
        cx, cy, r = width * 0.84, height * 0.34, 16 * s
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(*AMBER, 255))

    image = overlay(image, accent)
    image = image.convert("RGB").resize(
        (width // s, height // s), Image.Resampling.LANCZOS
    )
    save_png(image, path)


# --- theme artwork ------------------------------------------------------------------


DEFAULT_ART = ((13, 47, 79), (10, 92, 138), (242, 169, 0))
"""The default theme's `band`, `accent` and `highlight` colours."""
PLAIN_ART = ((17, 17, 17), (58, 58, 58), (179, 38, 30))
"""The plain theme's `band`, a grey and its `accent`."""


def draw_theme_artwork(path: Path, colours: tuple[tuple[int, int, int], ...] = DEFAULT_ART) -> None:
    """Currents: flowing lines over a theme's dark band colour, one point in its accent.

    Drawn at twice the size and reduced, for smooth lines. The lower third stays quiet:
    the cover sets its title there, under a shade.
    """
    size, scale = 1500, 2
    big = size * scale
    navy, blue, amber = colours
    base = Image.new("RGB", (big, big), navy)
    glow = Image.new("L", (big, big), 0)
    ImageDraw.Draw(glow).ellipse((big * 0.25, -big * 0.45, big * 1.45, big * 0.75), fill=255)
    base.paste(Image.new("RGB", (big, big), blue), mask=glow.filter(
        ImageFilter.GaussianBlur(big * 0.18)))
    focus = (big * 0.72, big * 0.34)

    def currents(draw: ImageDraw.ImageDraw) -> None:
        for index in range(18):
            offset = (index - 8) * big * 0.034 * (1 + abs(index - 8) * 0.08)
            alpha = max(26, 96 - abs(index - 8) * 8)
            points = []
            for step in range(241):
                x = big * (step / 240 * 1.2 - 0.1)
                pull = math.exp(-((x - focus[0]) / (big * 0.32)) ** 2)
                wave = (math.sin(x / big * 5.1 + index * 0.35) * big * 0.035
                        + math.sin(x / big * 11.3 + index * 0.9) * big * 0.008)
                y = big * 0.46 - x * 0.28 + offset * (1 - 0.72 * pull) + wave
                points.append((x, y))
            draw.line(points, fill=(255, 255, 255, alpha), width=scale * 2, joint="curve")

    def rings(draw: ImageDraw.ImageDraw) -> None:
        x, y = focus
        for radius, alpha in ((0.06, 90), (0.13, 52), (0.22, 30), (0.33, 18)):
            r = big * radius
            draw.ellipse((x - r, y - r, x + r, y + r), outline=(255, 255, 255, alpha),
                         width=scale * 2)

    def points(draw: ImageDraw.ImageDraw) -> None:
        x, y = focus
        halo = big * 0.03
        draw.ellipse((x - halo, y - halo, x + halo, y + halo), fill=(*amber, 70))
        dot = big * 0.011
        draw.ellipse((x - dot, y - dot, x + dot, y + dot), fill=(*amber, 255))
        for fx, fy, r in ((0.31, 0.52, 0.004), (0.52, 0.41, 0.005), (0.88, 0.22, 0.004)):
            draw.ellipse((big * (fx - r), big * (fy - r), big * (fx + r), big * (fy + r)),
                         fill=(*amber, 200))

    art = overlay(overlay(overlay(base, currents), rings), points).convert("RGB")
    path.parent.mkdir(parents=True, exist_ok=True)
    art.resize((size, size), Image.Resampling.LANCZOS).save(path, "JPEG", quality=86,
                                                            optimize=True)
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)")


def main() -> None:
    """Draw every picture."""
    reflections = CONTENT / "reflections-2025" / "images"
    february = CONTENT / "february-2026" / "images"
    draw_cover(reflections / "cover.png")
    draw_timeline(reflections / "research-timeline.png")
    draw_logo(reflections / "logo.png")
    draw_logo(february / "logo.png")
    draw_banner(february / "banner.png")
    draw_theme_artwork(ROOT / "templates" / "default" / "assets" / "artwork.jpg")
    draw_theme_artwork(ROOT / "templates" / "plain" / "assets" / "artwork.jpg", PLAIN_ART)


if __name__ == "__main__":
    main()
