"""Email images: edition pictures -> email-sized copies in `email-images/` and their addresses.

Email programs need absolute image addresses, and many show neither SVG nor WebP. Every
picture the email template asks for (`EmailImages.use`) is scaled to at most 1200 px wide,
saved as PNG or JPEG without metadata (same input, same bytes), and given the address it
will have once `email-images/` is uploaded to `asset_base_url`.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

log = logging.getLogger("folio")

MAX_WIDTH = 1200
"""The widest copy written: twice the 600 px email, sharp on high-density screens."""
FOLDER = "email-images"


@dataclass(frozen=True)
class EmailImage:
    """One picture as the email shows it."""

    name: str
    """The file name under `email-images/`."""
    src: str
    """Its address in `email.html`."""
    width: int
    """The width it is shown at, in CSS pixels."""
    height: int
    """The height it is shown at, in CSS pixels."""
    data: bytes = field(repr=False)
    mime: str = "image/png"


@dataclass
class EmailImages:
    """The pictures an email uses, resized once each, with their future addresses."""

    TEMPLATE_HELPERS: ClassVar[frozenset[str]] = frozenset(["use"])
    """Templates get `use` as `image(...)`; nothing else of this object."""

    base_url: str
    """`asset_base_url` (ending in `/`), or `email-images/` when images are not hosted."""
    sources: dict[str, Path]
    """Files by the name templates use: `images/x.png` for the edition, or a theme asset."""
    root: Path
    """The edition folder: nothing outside it (or `sources`) is read."""
    background: str = "#ffffff"
    """The colour transparent logos are flattened onto (readable in dark mode)."""
    used: dict[str, EmailImage] = field(default_factory=dict)
    """The pictures used so far, by file name."""
    drawn: dict[str, tuple[bytes, int, int]] = field(default_factory=dict)
    """Pictures Folio drew (charts), by the name templates use: PNG bytes, and the width and
    height they are shown at (the PNG has twice as many pixels)."""
    _copies: dict[tuple[str, bool, float | None], _Copy] = field(default_factory=dict, repr=False)

    def use(self, relative: str | None, width: int, *, flatten: bool = False,
            banner: float | None = None) -> EmailImage | None:
        """Return the email copy of a picture shown `width` px wide; None when it cannot be.

        `banner`: the widest height a picture may keep, as a fraction of its width; a
        taller one is cut to that, about its middle (the theme's square artwork becomes a
        strip across the top of the email).
        """
        if not relative:
            return None
        if relative in self.drawn:
            data, shown_width, shown_height = self.drawn[relative]
            image = EmailImage(_name(relative, "image/png"),
                               f"{self.base_url}{_name(relative, 'image/png')}",
                               min(width, shown_width), shown_height, data)
            self.used.setdefault(image.name, image)
            return image
        path = self._path(relative)
        if path is None:
            log.warning("email: picture '%s' is not in the edition folder; it was left out "
                        "of the email", relative)
            return None
        if path.suffix.lower() == ".svg":
            log.warning("email: '%s' is an SVG picture, which Outlook and Gmail do not show; "
                        "it was left out of the email (export it as PNG to include it)",
                        relative)
            return None
        key = (relative, flatten, banner)
        if key not in self._copies:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            copy = _resize_once(digest, path, relative, self.background if flatten else None,
                                banner)
            taken = {c.name for c in self._copies.values()}
            stem, dot, extension = copy.name.rpartition(".")
            number = 2
            while copy.name in taken:  # the same file, once flattened and once not
                copy = dataclasses.replace(copy, name=f"{stem}-{number}{dot}{extension}")
                number += 1
            self._copies[key] = copy
        copy = self._copies[key]
        shown = min(width, copy.width)
        height = max(1, round(copy.height * shown / copy.width))
        image = EmailImage(copy.name, f"{self.base_url}{copy.name}", shown, height, copy.data,
                           copy.mime)
        self.used.setdefault(copy.name, image)
        return image

    def keep_only(self, document: str) -> None:
        """Forget the pictures a finished email does not show (a digest leaves bodies out)."""
        self.used = {name: image for name, image in self.used.items()
                     if f'src="{image.src}"' in document}

    def files(self) -> dict[str, bytes]:
        """Return the copies to write under `build/<edition>/email-images/`."""
        return {f"{FOLDER}/{image.name}": image.data for image in self.used.values()}

    def _path(self, relative: str) -> Path | None:
        if relative in self.sources:
            return self.sources[relative]
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root.resolve()) or not path.is_file():
            return None
        return path


@dataclass(frozen=True)
class _Copy:
    name: str
    width: int
    height: int
    data: bytes = field(repr=False)
    mime: str


def _name(relative: str, mime: str) -> str:
    """Return a flat, safe file name for a picture: `images/a/b.png` -> `a-b.png`."""
    stem = re.sub(r"^images/", "", relative.rsplit(".", 1)[0])
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-.") or "image"
    return f"{stem}.{'jpg' if mime == 'image/jpeg' else 'gif' if mime == 'image/gif' else 'png'}"


@functools.lru_cache(maxsize=64)
def _resize_once(digest: str, path: Path, relative: str, background: str | None,
                 banner: float | None = None) -> _Copy:
    """Return `_resize`, remembered per file content: `watch` rebuilds skip the re-encoding."""
    return _resize(path, relative, background, banner)


def _resize(path: Path, relative: str, background: str | None,
            banner: float | None = None) -> _Copy:
    """Scale a picture to at most 1200 px wide (cut to a banner) and encode it without metadata."""
    from PIL import Image, ImageOps

    with Image.open(path) as original:
        kind = original.format or ""
        if kind == "GIF" and original.width <= MAX_WIDTH and background is None and not banner:
            # A GIF is copied as it is, to keep its animation.
            return _Copy(_name(relative, "image/gif"), original.width, original.height,
                         path.read_bytes(), "image/gif")
        picture = ImageOps.exif_transpose(original)
        jpeg = kind == "JPEG"
        if jpeg:
            picture = picture.convert("RGB")
        elif picture.mode not in ("RGB", "RGBA", "L", "LA"):
            has_alpha = "transparency" in picture.info or picture.mode in ("PA", "RGBa")
            picture = picture.convert("RGBA" if has_alpha else "RGB")
        if background is not None and picture.mode in ("RGBA", "LA"):
            flat = Image.new("RGB", picture.size, background)
            flat.paste(picture, mask=picture.getchannel("A"))
            picture = flat
        if banner and picture.height > picture.width * banner:
            height = round(picture.width * banner)
            top = (picture.height - height) // 2
            picture = picture.crop((0, top, picture.width, top + height))
        if picture.width > MAX_WIDTH:
            height = max(1, round(picture.height * MAX_WIDTH / picture.width))
            picture = picture.resize((MAX_WIDTH, height), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        if jpeg:
            picture.save(buffer, "JPEG", quality=85, optimize=True)
            mime = "image/jpeg"
        else:
            if picture.mode in ("RGB", "L") and kind in ("PNG", "GIF") and \
                    original.mode == "P":
                # Flat artwork drawn with a palette stays small as a palette PNG.
                picture = picture.quantize(256, method=Image.Quantize.MEDIANCUT,
                                           dither=Image.Dither.NONE)
            picture.save(buffer, "PNG", optimize=True)
            mime = "image/png"
        return _Copy(_name(relative, mime), picture.width, picture.height, buffer.getvalue(), mime)
