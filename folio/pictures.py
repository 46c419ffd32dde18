"""Pictures: a picture file -> its kind, checked by content, or the reason it cannot be used.

A picture comes from an untrusted edition (or draft), so its name is not believed: the
first bytes say what it is, a raster picture must open and verify, and an SVG, which is a
document that browsers run scripts in, must hold drawing only (no scripts, event
handlers, foreign content or outside references).
"""

from __future__ import annotations

import re
import stat
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

MAX_IMAGE_BYTES = 25_000_000
MAX_IMAGE_PIXELS = 40_000_000

KINDS = {"png": (".png",), "jpeg": (".jpg", ".jpeg"), "gif": (".gif",), "webp": (".webp",),
         "svg": (".svg",)}
"""Each picture kind Folio uses, with the file name endings it may have."""

SVG_NS = "http://www.w3.org/2000/svg"
SVG_ELEMENTS = frozenset([
    "svg", "g", "defs", "desc", "title", "metadata", "symbol", "use", "switch", "image",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan",
    "textPath", "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask",
    "marker", "filter", "style", "feBlend", "feColorMatrix", "feComponentTransfer",
    "feComposite", "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap",
    "feDistantLight", "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR",
    "feGaussianBlur", "feImage", "feMerge", "feMergeNode", "feMorphology", "feOffset",
    "fePointLight", "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence",
])
"""SVG elements that only draw. Anything else (`script`, `foreignObject`, `animate`, `set`,
`a`, `iframe`) is refused: those run code, embed HTML, or change a link when animated."""

EDITOR_NAMESPACES = frozenset([
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://creativecommons.org/ns#",
    "http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/",
    "http://ns.adobe.com/AdobeIllustrator/10.0/", "http://ns.adobe.com/Extensibility/1.0/",
    "http://ns.adobe.com/Graphs/1.0/", "http://ns.adobe.com/SaveForWeb/1.0/",
    "http://ns.adobe.com/Variables/1.0/", "http://ns.adobe.com/AdobeSVGViewerExtensions/3.0/",
])
"""Namespaces drawing programs add for their own notes (Inkscape, Illustrator, metadata):
browsers neither draw nor run what is in them, so their elements are let through."""

SAFE_REFERENCE = re.compile(r"^\s*(#[\w.:-]*|data:image/(png|jpeg|gif|webp);base64,[\w+/=\s]*)\s*$",
                            re.I)
CSS_REFERENCE = re.compile(r"@import|url\(\s*['\"]?\s*(?!#)|expression\s*\(|javascript:", re.I)


def kind_of(data: bytes) -> str | None:
    """Return the kind of picture `data` holds, from its first bytes, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in head:
        return "svg"
    return None


def problem(path: Path, relative: str) -> str | None:
    """Return why the picture at `path` (written `relative` by its author) cannot be used.

    `path` must already be known to lie inside the folder it is read from.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        return f"picture '{relative}' does not exist; put the file in images/ or fix the name"
    if not stat.S_ISREG(mode):
        return f"'{relative}' is not a picture file; use a .png, .jpg, .gif, .webp or .svg file"
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return (f"image '{relative}' is {size / 1e6:.0f} MB; make it smaller than 25 MB "
                "(2400 px wide is plenty)")
    with path.open("rb") as file:
        data = file.read()
    return content_problem(data, path.suffix, relative)


def content_problem(data: bytes, suffix: str, relative: str) -> str | None:
    """Return why picture bytes, named with `suffix`, cannot be used; None when they can."""
    kind = kind_of(data)
    if kind is None:
        return (f"image '{relative}' is damaged or not really a picture; export it again as "
                "PNG or JPEG")
    if suffix.lower() not in KINDS[kind]:
        return (f"image '{relative}' is really a {kind.upper()} picture; rename it to end in "
                f"{KINDS[kind][0]}")
    if kind == "svg":
        return svg_problem(data, relative)
    return raster_problem(data, relative)


RASTER_VERDICTS: dict[tuple[bytes, str], str | None] = {}
"""`raster_problem`'s answers by a digest of the picture's bytes and its name: decoding
the sample's pictures took a fifth of each rebuild in `watch`. The oldest answer goes
when `RASTER_VERDICTS_KEPT` are kept."""
RASTER_VERDICTS_KEPT = 1024


def raster_problem(data: bytes, relative: str) -> str | None:
    """Return why a PNG, JPEG, GIF or WebP picture cannot be used: too big or damaged.

    A process decodes each picture once: the answer is remembered by its bytes.
    """
    import hashlib

    key = (hashlib.blake2b(data, digest_size=20).digest(), relative)
    if key in RASTER_VERDICTS:
        return RASTER_VERDICTS[key]
    verdict = _raster_problem(data, relative)
    if len(RASTER_VERDICTS) >= RASTER_VERDICTS_KEPT:
        RASTER_VERDICTS.pop(next(iter(RASTER_VERDICTS)), None)
    RASTER_VERDICTS[key] = verdict
    return verdict


def _raster_problem(data: bytes, relative: str) -> str | None:
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as picture:
            if picture.width * picture.height > MAX_IMAGE_PIXELS:
                return (f"image '{relative}' is {picture.width}x{picture.height} pixels; scale "
                        "it below 40 megapixels")
            picture.verify()
        with Image.open(io.BytesIO(data)) as picture:
            picture.load()  # verify() reads the structure; decoding finds a cut-off file
    except Exception:
        return (f"image '{relative}' is damaged or not really a picture; export it again as "
                "PNG or JPEG")
    return None


def svg_problem(data: bytes, relative: str) -> str | None:
    """Return why an SVG cannot be shown safely: scripts, handlers, outside references."""
    refuse = (f"the SVG '{relative}' contains {{}}, which could run or fetch something when "
              "the picture is shown; export it again as a plain drawing (or as PNG)")
    if re.search(rb"<!ENTITY|<!DOCTYPE[^>\[]*\[", data, re.I):
        return refuse.format("entity declarations")  # a plain <!DOCTYPE svg PUBLIC ...> is fine
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return (f"image '{relative}' is damaged or not really a picture; export it again as "
                "SVG or PNG")
    except ValueError:
        return refuse.format("characters XML does not allow")
    if root.tag != f"{{{SVG_NS}}}svg":
        return (f"image '{relative}' is not an SVG drawing (its first element is not <svg> "
                "in the SVG namespace); export it again")
    elements = list(root.iter())
    if len(elements) > MAX_SVG_ELEMENTS:
        return (f"the SVG '{relative}' has {len(elements):,} elements, more than the "
                f"{MAX_SVG_ELEMENTS:,} a picture may have; simplify it or export it as PNG")
    for element in elements:
        namespace, _, name = str(element.tag).rpartition("}")
        namespace = namespace.lstrip("{")
        if namespace not in EDITOR_NAMESPACES and (namespace != SVG_NS
                                                   or name not in SVG_ELEMENTS):
            return refuse.format(f"a <{name}> element")
        for attribute, value in element.attrib.items():
            local = attribute.rpartition("}")[2]
            if local.lower().startswith("on"):
                return refuse.format(f"an event handler ({local}=)")
            if local == "href" and not SAFE_REFERENCE.match(value):
                return refuse.format(f"a reference to {value[:60]!r}")
            if local == "href" and (inside := _embedded_problem(value, relative)):
                return inside
            if CSS_REFERENCE.search(value) or (local != "href" and css_problem(value, False)):
                return refuse.format(f"a style that loads something ({local}=)")
        if name == "style":
            css = "".join(element.itertext())
            found = css_problem(css, True) or (CSS_REFERENCE.search(css) and "url()")
            if found:
                return refuse.format(f"a style that loads something ({found})")
    return _drawing_problem(root, relative)


MAX_SVG_ELEMENTS = 50_000
"""The most elements an SVG picture may have (a detailed map from Inkscape has ~10,000)."""
MAX_SVG_DRAWN = 200_000
"""The most elements an SVG may draw once `<use>` and `url(#...)` references are followed:
nine levels of ten `<use>` each would make a renderer draw a billion."""
LOADING_FUNCTIONS = frozenset(["url", "src", "image", "image-set", "-webkit-image-set",
                               "cross-fade", "-webkit-cross-fade", "element", "-moz-element",
                               "expression", "paint"])
"""CSS functions that can load or build a picture; only `url(#id)` is allowed of them."""


def css_problem(css: str, sheet: bool) -> str | None:
    """Return what in CSS (a style sheet, or a value when not `sheet`) loads something.

    The CSS is parsed as a browser does (tinycss2), so escapes are read: `u\\72l(...)`
    is `url(...)`, `@\\69mport` is `@import`.
    """
    import tinycss2

    nodes: list[Any] = (tinycss2.parse_stylesheet(css) if sheet
                        else tinycss2.parse_component_value_list(css))
    while nodes:
        node = nodes.pop()
        kind = getattr(node, "type", "")
        if kind == "at-rule" and node.lower_at_keyword in ("import", "namespace", "font-face"):
            return f"@{node.lower_at_keyword}"
        if kind == "url" and not node.value.strip().startswith("#"):
            return f"url({node.value[:60]})"
        if kind == "error":
            return "CSS that cannot be read"
        if kind == "function" and node.lower_name in LOADING_FUNCTIONS:
            words = [t for t in node.arguments if t.type not in ("whitespace", "comment")]
            local = (node.lower_name in ("url", "src") and len(words) == 1
                     and words[0].type == "string" and words[0].value.strip().startswith("#"))
            if not local:
                return f"{node.lower_name}(...)"
        for part in ("prelude", "content", "arguments", "value"):
            children = getattr(node, part, None)
            if isinstance(children, list):
                nodes.extend(children)
        if kind in ("qualified-rule", "at-rule") and node.content is not None:
            nodes.extend(tinycss2.parse_blocks_contents(node.content))
    return None


def _embedded_problem(address: str, relative: str) -> str | None:
    """Return why a picture embedded in an SVG as a `data:` address cannot be used."""
    import base64
    import binascii

    head, comma, payload = address.strip().partition(",")
    if not comma or not head.lower().startswith("data:image/"):
        return None
    if len(payload) > MAX_IMAGE_BYTES * 4 // 3 + 4:
        return (f"a picture inside the SVG '{relative}' is over 25 MB; make it smaller")
    try:
        data = base64.b64decode("".join(payload.split()), validate=True)
    except (binascii.Error, ValueError):
        return (f"a picture inside the SVG '{relative}' is damaged; export the SVG again")
    return raster_problem(data, f"{relative} (a picture inside it)")


def _drawing_problem(root: ElementTree.Element, relative: str) -> str | None:
    """Return why an SVG would take a renderer too long: references that loop or explode.

    Each element costs itself, its children and what it refers to (`<use href="#a">`,
    `fill="url(#p)"`), counted once per place it is drawn, without drawing anything.
    """
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}

    def depends(element: ElementTree.Element) -> list[ElementTree.Element]:
        found = list(element)
        for value in element.attrib.values():
            for name in re.findall(r"^\s*#([^\s)'\"]+)\s*$|url\(\s*['\"]?#([^\s)'\"]+)", value):
                target = by_id.get(name[0] or name[1])
                if target is not None:
                    found.append(target)
        return found

    drawn: dict[int, int] = {}
    started: set[int] = set()
    stack: list[tuple[ElementTree.Element, bool]] = [(root, False)]
    while stack:
        element, finished = stack.pop()
        key = id(element)
        if finished:
            drawn[key] = min(1 + sum(drawn[id(d)] for d in depends(element)), MAX_SVG_DRAWN + 1)
            continue
        if key in drawn:
            continue
        if key in started:
            return (f"the SVG '{relative}' has an element that uses itself (through <use> or "
                    "url(#...)), which never finishes drawing; export it again")
        started.add(key)
        stack.append((element, True))
        stack.extend((d, False) for d in depends(element) if id(d) not in drawn)
    if drawn[id(root)] > MAX_SVG_DRAWN:
        return (f"the SVG '{relative}' draws more than {MAX_SVG_DRAWN:,} elements once its "
                "<use> copies are counted (copies of copies, nested deep); simplify it or "
                "export it as PNG")
    return None
