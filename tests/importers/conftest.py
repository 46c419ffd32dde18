"""Helpers shared by the import tests: the harbour draft, pictures, and reading an edition back."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from hypothesis import strategies as st

from folio.content import load_edition
from folio.importers import import_draft
from tests.conftest import FIXTURES

DRAFTS = FIXTURES / "drafts"
HARBOUR = DRAFTS / "harbour-2025.txt"


def bodies(folder: Path) -> dict[str, str]:
    """Return each section file's body (front matter cut off), by file name."""
    edition = load_edition(folder)
    return {s.path.name: s.body.strip() for s in edition.sections}


def titles(folder: Path) -> list[str]:
    return [s.meta.title for s in load_edition(folder).sections]


def _png(colour: tuple[int, int, int]) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (24, 12), colour).save(buffer, "PNG")
    return buffer.getvalue()


VOCABULARY = ["members", "partners", "young", "people", "research", "online", "safety",
              "alliance", "report", "summit", "policy", "webinar", "year", "work", "future",
              "children", "voices", "growth", "network", "review"]
word = st.sampled_from(VOCABULARY)
short_line = st.lists(word, min_size=1, max_size=6).map(lambda ws: " ".join(ws).capitalize())
sentence = st.tuples(st.lists(word, min_size=3, max_size=30),
                     st.sampled_from([".", "!", "?", ":", ";", "."])).map(
    lambda t: " ".join(t[0]).capitalize() + t[1])
paragraph = st.lists(sentence, min_size=1, max_size=3).map(" ".join)


def _import_text(text: str, suffix: str) -> Path:
    temp = Path(tempfile.mkdtemp())
    draft = temp / f"draft{suffix}"
    draft.write_text(text, encoding="utf-8")
    import_draft(draft, temp / "content", "prop")
    return temp / "content" / "prop"
