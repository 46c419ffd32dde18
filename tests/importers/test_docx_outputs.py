"""Word drafts imported, built (web, PDF, email) and checked: their words reach every output.

One module-scoped build makes every fixture edition at once (a PDF each), so each test
reads outputs instead of building its own. The corpus test compares each output's words
with the words of the document's own XML.
"""

from __future__ import annotations

import html
import re
import time
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from folio.build import build
from folio.check import check_edition
from folio.errors import FolioError
from folio.importers import ImportReport, import_draft
from tests.importers.test_docx import make_docx, make_harbour_docx
from tests.importers.word_drafts import DRAFTS, password_protected

pytestmark = pytest.mark.slow

CORPUS = {**DRAFTS, "feature-tour": make_docx, "harbour": make_harbour_docx}
NO_PDF_FONT = {"japanese"}
"""Editions whose script no installed font may cover: their PDF names what it cannot show."""


@dataclass
class Built:
    """One fixture edition: its draft, report, expected words and the three outputs' text."""

    draft: Path
    folder: Path
    report: ImportReport
    expected: list[str]
    web_html: str
    web: str
    pdf: str
    email_html: str
    email: str
    errors: list[str]
    """The build's problems and warnings."""
    findings: list[str]
    """`check`'s errors, as `rule: message`."""


def _text_of_html(page: str) -> str:
    body = re.sub(r"<(script|style|head)\b.*?</\1>", " ", page, flags=re.S)
    body = re.sub(r"</?(?:sup|sub|s|a|em|strong|code)\b[^>]*>", "", body)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return " ".join(re.sub(r"(?<=\w)[-\u00ad‐]\s*\n\s*(?=\w)", "", text).split())  # hyphenation


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    root = tmp_path_factory.mktemp("word")
    content, out = root / "content", root / "build"
    made: dict[str, tuple[Path, ImportReport, list[str]]] = {}
    for name, make in CORPUS.items():
        draft = root / f"{name}.docx"
        expected = make(draft) or []
        report = import_draft(draft, content, name)
        made[name] = (draft, report, expected)
        for section in (content / name).glob("*.md"):  # as the report asks: describe pictures
            text = section.read_text(encoding="utf-8")
            section.write_text(text.replace("![](", "![A picture from the draft]("),
                               encoding="utf-8")
    errors = {r.edition: [str(problem) for problem in r.problems] + r.warnings
              for r in build(content=content, out=out)}
    editions = {}
    for name, (draft, report, expected) in made.items():
        target = out / name
        pdf = target / f"{name}.pdf"
        web_html = (target / "index.html").read_text(encoding="utf-8")
        email_html = (target / "email.html").read_text(encoding="utf-8")
        editions[name] = Built(draft, content / name, report, expected, web_html,
                               _text_of_html(web_html), _pdf_text(pdf) if pdf.exists() else "",
                               email_html, " ".join((target / "email.txt").read_text(
                                   encoding="utf-8").split()), errors.get(name, []),
                               [f"{f.rule}: {f.message}" for f in check_edition(content / name)
                                if f.severity == "error"])
    return editions


@pytest.mark.parametrize("name", sorted(DRAFTS))
def test_words_reach_every_output(built: dict[str, Built], name: str) -> None:
    edition = built[name]
    assert edition.expected
    for words in edition.expected:
        assert words in edition.web, f"{words!r} is not on the web page"
        assert words in edition.email, f"{words!r} is not in the email text"
        if name not in NO_PDF_FONT:
            assert words in edition.pdf, f"{words!r} is not in the PDF"


def test_typed_markup_stays_literal(built: dict[str, Built]) -> None:
    page = built["escaping"].web_html
    assert "&lt;summation&gt;" in page and "&lt;&lt;breaks&gt;&gt;" in page
    assert "<ol" not in page.split("<main")[-1] and ">ifconfig" not in page
    assert "<blockquote" not in page.split("<main")[-1]


def test_bold_spaces_keep_words_apart(built: dict[str, Built]) -> None:
    body = next(iter(_bodies(built["bold-spaces"].folder)))
    assert "nicht eingestehen, dass alles" in body


def test_tables_markdown_cannot_express_stay_html_tables(built: dict[str, Built]) -> None:
    edition = built["tables"]
    page = edition.web_html
    assert "| ---" not in page and "| ---" not in edition.email_html
    assert re.search(r'<td colspan="2"[^>]*>\s*Spanning heading', page)
    assert re.search(r'<td rowspan="2"[^>]*>\s*Tall cell', page)
    assert re.search(r"<td[^>]*>\s*<p>Our aims:</p>\s*<ul>\s*<li>Aimone first</li>", page)
    assert re.search(r'<th scope="col">\s*Outer alpha', page)
    assert re.search(r"<td>\s*Narrow first", page), "a header row labels every column"
    assert len(re.findall(r"<th\b", page.split("<main")[-1])) == 2, (
        "a row reaching down is no header row")
    assert "Innerone | Innertwo" in edition.web and "Innerone | Innertwo" in edition.pdf
    assert any("flattened" in note for note in edition.report.notes)
    assert re.search(r'colspan="2"', edition.email_html)


def test_header_rows_become_pipe_tables(built: dict[str, Built]) -> None:
    body = "\n".join(_bodies(built["harbour"].folder))
    assert "| Town | Groups | Young people |\n| --- | --- | --- |" in body
    assert "<th" in built["harbour"].web_html


def test_strikethrough_superscript_and_subscript_in_every_output(built: dict[str, Built]
                                                                  ) -> None:
    edition = built["inline-marks"]
    for page in (edition.web_html, edition.email_html):
        assert re.search(r"<s\b[^>]*>forty</s>", page)
        assert re.search(r"м<sup\b[^>]*>2</sup>", page)
        assert re.search(r"H<sub\b[^>]*>2</sub>O", page)
    assert "~~forty~~ thirty" in edition.email and "9 м²" in edition.email
    assert "10⁶" in edition.email and "H₂O" in edition.email
    assert "~~" not in edition.web and "~~" not in edition.pdf


def test_language_comes_from_the_document(built: dict[str, Built]) -> None:
    edition = built["russian"]
    assert "language: ru-RU" in (edition.folder / "edition.yaml").read_text()
    assert re.search(r'<html[^>]* lang="ru-RU"', edition.web_html)
    assert "language: en-US" in (built["tables"].folder / "edition.yaml").read_text()


def test_language_option_overrides_and_check_stays_fast(built: dict[str, Built],
                                                        tmp_path: Path) -> None:
    import_draft(built["russian"].draft, tmp_path, "forced", language="en-GB")
    assert "language: en-GB" in (tmp_path / "forced" / "edition.yaml").read_text()
    start = time.perf_counter()
    findings = check_edition(tmp_path / "forced")
    assert time.perf_counter() - start < 30
    assert not [f for f in findings if f.rule == "spelling"]
    with pytest.raises(FolioError, match="not a language tag"):
        import_draft(built["russian"].draft, tmp_path, "bad", language="Russian!")


def test_headings_keep_notes_links_pictures_and_breaks(built: dict[str, Built]) -> None:
    edition = built["headings"]
    page = edition.web_html
    assert 'href="https://example.org/annex"' in page and 'href="https://example.org/annex"' in (
        edition.email_html)
    assert re.search(r'<img[^>]*alt="Red logo square"', page)
    assert "Annual results" in edition.pdf and "Second line" in edition.pdf
    assert "Annualresults" not in edition.web and "Secondline" not in edition.web
    assert re.search(r"1,200<sup>\*</sup>", page), "a note cited in an HTML table has a mark"
    assert re.search(r"<sup>\*</sup> Paying members only", page)


def test_odd_parts_kept_or_reported(built: dict[str, Built]) -> None:
    edition = built["odd-parts"]
    notes = "\n".join(edition.report.notes)
    assert "linked picture (file:///C:/pictures/map.png)" in notes
    assert "chart (Members by region)" in notes and "equation" in notes
    assert "Notes:" in str(edition.report)
    japanese = _bodies(built["japanese"].folder)
    assert "会議は東京で開かれた。" in japanese[0] and "とうきょう" not in japanese[0]


def test_a_draft_of_only_an_equation_imports(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph()._p.append(parse_xml(
        '<m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"><m:rad>'
        "<m:radPr><m:degHide m:val=\"1\"/></m:radPr><m:deg/><m:e><m:r><m:t>x+1</m:t></m:r>"
        "</m:e></m:rad></m:oMath>"))
    document.save(str(tmp_path / "maths.docx"))
    import_draft(tmp_path / "maths.docx", tmp_path / "content", "maths")
    assert [body.strip() for body in _bodies(tmp_path / "content" / "maths")] == ["√(x+1)"]


def test_code_keeps_whitespace_and_word_contents_is_left_out(built: dict[str, Built]) -> None:
    edition = built["code-and-contents"]
    body = _bodies(edition.folder)[0]
    assert "    if ready:\n        launch(now)  # go" in body
    assert "Commands\t3" not in body and "Contents" not in body
    assert re.search(r"<pre><code>if ready:\n    launch\(now\)  # go", edition.web_html)
    assert "    launch(now)  # go" in (edition.folder.parent.parent / "build" / edition.folder.name
                                       / "email.txt").read_text(encoding="utf-8")
    assert any("table of contents" in note for note in edition.report.notes)


def test_broken_parts_import_with_notes(built: dict[str, Built]) -> None:
    import io

    import mammoth

    edition = built["refusals"]
    with pytest.raises(KeyError):  # the draft really holds what mammoth refuses
        mammoth.convert_to_html(io.BytesIO(edition.draft.read_bytes()))
    assert any("missing from the document" in note for note in edition.report.notes)


def test_uncovered_script_is_named_once_with_its_fix(built: dict[str, Built]) -> None:
    edition = built["japanese"]
    if "東" in edition.pdf:
        return  # a font covering Japanese is installed: nothing to name
    named = [w for w in edition.errors if "no font has" in w]
    assert len(named) == 1 and "東 (U+6771)" in named[0] and "fonts-noto-cjk" in named[0]
    assert not [w for w in edition.errors if ".notdef glyph rendered" in w]


def test_password_protected_and_old_word_files(tmp_path: Path) -> None:
    locked = tmp_path / "locked.docx"
    password_protected(locked)
    with pytest.raises(FolioError, match="password-protected") as caught:
        import_draft(locked, tmp_path / "content", "locked")
    assert "not a zip" not in str(caught.value)
    old = tmp_path / "old.docx"
    old.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(1024))
    with pytest.raises(FolioError, match=r"Word 97-2003 .*save it as"):
        import_draft(old, tmp_path / "content", "old")


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
WORD = re.compile(r"[^\W\d_]+|\d+")
"""A word: letters, or digits (a footnote mark glued to a word in PDF text is apart)."""


def _xml_words(draft: Path) -> Counter[str]:
    """Return the words of a .docx's own XML text: body, notes, equations; not deletions,
    not ruby readings (furigana)."""
    from xml.etree import ElementTree

    words: Counter[str] = Counter()
    with zipfile.ZipFile(draft) as package:
        for name in package.namelist():
            if name in ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml"):
                root = ElementTree.fromstring(package.read(name))
                for parent in list(root.iter()):  # ruby readings are left out on purpose
                    for reading in parent.findall(f"{{{W_NS}}}rt"):
                        parent.remove(reading)
                for paragraph in root.iter(f"{{{W_NS}}}p"):
                    text = "".join(
                        (e.text or "") if e.tag == f"{{{W_NS}}}t" else f" {e.text or ''} "
                        for e in paragraph.iter()
                        if e.tag in (f"{{{W_NS}}}t", f"{{{M_NS}}}t", f"{{{W_NS}}}br",
                                     f"{{{W_NS}}}tab"))
                    words.update(w.casefold() for w in WORD.findall(text))
    return words


def _share(expected: Counter[str], text: str) -> float:
    found = Counter(w.casefold() for w in WORD.findall(unicodedata.normalize("NFKC", text)))
    kept = sum(min(count, found[word]) for word, count in expected.items())
    return kept / max(1, sum(expected.values()))


def test_corpus_share_of_words_kept(built: dict[str, Built], capsys: pytest.CaptureFixture[str]
                                    ) -> None:
    lines = [f"{'draft':<18} {'words':>6} {'web':>7} {'pdf':>7} {'email':>7}"]
    for name, edition in sorted(built.items()):
        expected = _xml_words(edition.draft)
        if name == "code-and-contents":  # Word's table of contents is left out on purpose
            expected -= Counter({"contents": 1, "commands": 1, "3": 1})
        if name == "japanese":  # furigana readings are left out on purpose
            expected.pop("とうきょう", None)
        shares = [_share(expected, text) for text in (edition.web, edition.pdf, edition.email)]
        lines.append(f"{name:<18} {sum(expected.values()):>6} "
                     + " ".join(f"{share:>7.1%}" for share in shares))
        assert shares[0] >= 0.99 and shares[2] >= 0.99, lines[-1]
        if name not in NO_PDF_FONT:
            assert shares[1] >= 0.99, lines[-1]
        assert {f.split(":")[0] for f in edition.findings} <= {"placeholder", "image-alt"}, (
            edition.findings)
    with capsys.disabled():
        print("\nShare of each draft's XML words found in each output:\n" + "\n".join(lines))


def _bodies(folder: Path) -> list[str]:
    from folio.content import load_edition

    return [section.body for section in load_edition(folder).sections]
