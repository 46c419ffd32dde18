"""Inline Markdown <-> spans: what the import writes reads back as what the reviewer saw."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from folio.review.inline import Span, fingerprint, spans_of, to_markdown

WORDS = st.sampled_from(["the", "year", "2025", "1,000+", "#1", "a*b", "x_y", "_lead",
                         "[see]", "(here)", "<b>", "back\\slash", "`tick`", "!", "-", "3.",
                         "café", "تقرير", "&amp;", "50%", "*", "**"])
TEXT = st.lists(WORDS, min_size=1, max_size=4).map(" ".join)
SPAN = st.builds(Span, TEXT, st.booleans(), st.booleans(), st.just(False),
                 st.sampled_from(["", "", "https://example.org/a", "https://example.org/b_c"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(SPAN, min_size=1, max_size=5).map(lambda spans: [
    Span(f" {s.text} ", s.bold, s.italic, s.code, s.link) for s in spans]))
def test_markdown_written_from_spans_reads_back_as_them(spans: list[Span]) -> None:
    written = to_markdown(spans)
    assert fingerprint(spans_of(written, {})) == fingerprint(spans), written


def test_notes_and_code() -> None:
    spans = [Span("Done"), Span("1", note="gta"), Span(" with "), Span("a|b", code=True)]
    assert to_markdown(spans) == "Done[^gta] with `a|b`"


def test_every_paragraph_of_the_samples_and_fixtures_reads_back_when_rewritten() -> None:
    from pathlib import Path

    from folio.review.blocks import units

    root = Path(__file__).resolve().parents[2]
    files = [*root.glob("content/*/*.md"), *root.glob("tests/fixtures/content/*/*.md")]
    count = 0
    for path in files:
        for unit in units(path.read_text(encoding="utf-8")):
            if unit.editable:
                spans = spans_of(unit.inline, {})
                assert fingerprint(spans_of(to_markdown(spans), {})) == fingerprint(spans), (
                    path, unit.inline)
                count += 1
    assert count > 200
