"""Editions in English, French, German and Arabic: every output speaks the edition's language.

The English `mini`, the French `francais`, the German `jahresbericht-2025` and the Arabic
`arabic-review` fixtures are built in every format (the three translated ones a second time
as a full email, to show its notes): no English interface word is left in a translated
output, dates are in the locale's form, the German outputs say German words and are marked
`lang="de"`, the Arabic outputs run right to left, and every character of the PDFs is drawn
with an embedded font that has it.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from folio.build import build
from folio.i18n import Words, messages
from folio.schema import ThemeConfig
from folio.theme import font_folder, load_theme
from tests.nuchecker import pages

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "content"
EDITIONS = {"mini": "en-GB", "francais": "fr", "jahresbericht-2025": "de", "arabic-review": "ar"}
TRANSLATED = ["francais", "jahresbericht-2025", "arabic-review"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the four fixtures, and a full-mode email of the translated three."""
    project = tmp_path_factory.mktemp("languages")
    for name in EDITIONS:
        shutil.copytree(FIXTURES / name, project / "content" / name)
    for name in TRANSLATED:
        folder = project / "content" / f"{name}-full"
        shutil.copytree(FIXTURES / name, folder)
        config = (folder / "edition.yaml").read_text("utf-8").replace("  mode: digest\n", "")
        (folder / "edition.yaml").write_text(config + "email: {mode: full}\n"
                                             if "email:" not in config else
                                             config.replace("email:\n", "email:\n  mode: full\n"),
                                             "utf-8")
    results = list(build(content=project / "content", out=project / "build", keep_html=True))
    assert all(r.ok for r in results), [r.problems for r in results if not r.ok]
    return project / "build"


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def squeezed(text: str) -> str:
    """Return text without spaces, case-folded: PDF text comes letter-spaced (`D A T E`)."""
    return re.sub(r"\s+", "", text).casefold()


def page_text(path: Path) -> str:
    """Return an HTML output unescaped, without its class names (`edition-nav`) and its
    style sheets (`@media screen and ...`), which are no interface words."""
    text = re.sub(r"<style[^>]*>.*?</style>", "", path.read_text("utf-8"), flags=re.S)
    return html.unescape(re.sub(r'\sclass="[^"]*"', "", text))


def outputs(built: Path, name: str) -> dict[str, str]:
    """Return the text of every output of an edition: HTML unescaped, PDF extracted."""
    found = {
        "index.html": page_text(built / name / "index.html"),
        "email.html": page_text(built / name / "email.html"),
        "email.txt": (built / name / "email.txt").read_text("utf-8"),
        "pdf": pdf_text(built / name / f"{name}.pdf"),
    }
    full = built / f"{name}-full"
    if full.is_dir():
        found["full email.html"] = page_text(full / "email.html")
        found["full email.txt"] = (full / "email.txt").read_text("utf-8")
    return found


def english_pieces(language: str) -> list[str]:
    """Return the English words of every message that the language translates otherwise.

    A message is cut at its places (`%(url)s`) and tags; pieces of two letters or less
    and pieces the translation keeps (`PDF`) are left out.
    """
    words = Words(language)
    untranslated = set(words.missing())
    pieces = []
    for message in messages():
        translated = "" if message in untranslated else words.gettext(message)
        if translated == message:
            continue  # the same word in both languages (`Notes`, `Date` in French)
        for piece in re.split(r"%\(\w+\)s|<[^>]+>", message):
            piece = piece.strip(" .:[]“”")
            if len(re.sub(r"\W", "", piece)) > 2 and piece not in translated:
                pieces.append(piece)
    return pieces


@pytest.mark.parametrize("name", TRANSLATED)
def test_no_english_interface_word_is_left(built: Path, name: str) -> None:
    pieces = english_pieces(EDITIONS[name])
    assert len(pieces) > 25
    source = "\n".join(p.read_text("utf-8") for p in (built.parent / "content" / name).glob(
        "*.*") if p.suffix in (".md", ".yaml"))
    pieces = [piece for piece in pieces  # the edition's own English (a partners' summary)
              if not re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", source)]
    for output, text in outputs(built, name).items():
        if output == "pdf":  # words run together there: a short piece is found in any word
            left = [piece for piece in pieces
                    if len(piece) > 3 and squeezed(piece) in squeezed(text)]
        else:  # whole words: 'and' is in 'Demander'
            left = [piece for piece in pieces
                    if re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", text)]
        assert left == [], f"{name} {output} still says {left}"


def test_the_english_outputs_have_the_words_the_search_looks_for(built: Path) -> None:
    """The search above would find the English words if they were there."""
    texts = outputs(built, "mini")
    everything = "\n".join(texts.values())
    for piece in ("In this edition", "Contents", "Read more", "Skip to the content",
                  "published 1 December 2025"):
        assert piece in everything, piece
    for piece in ("Page 3 of", "Date", "Event", "Place", "Contents"):
        assert squeezed(piece) in squeezed(texts["pdf"]), piece


@pytest.mark.parametrize("name", ["mini", *TRANSLATED])
def test_dates_are_in_the_locale_form(built: Path, name: str) -> None:
    expected = {"mini": ("1 December 2025", "February 2026"),
                "francais": ("15 décembre 2025", "février 2026"),
                "jahresbericht-2025": ("15. Dezember 2025", "Februar 2026"),
                "arabic-review": ("15 ديسمبر 2025", "فبراير 2026")}[name]
    texts = outputs(built, name)
    for output in ("index.html", "email.html", "email.txt"):
        assert expected[0] in texts[output], output
    print_html = html.unescape((built / name / "print.html").read_text("utf-8"))
    assert expected[0] in print_html and expected[1] in print_html
    if name != "arabic-review":  # pypdf gives right-to-left runs in visual order
        assert squeezed(expected[0]) in squeezed(texts["pdf"])
        assert squeezed(expected[1]) in squeezed(texts["pdf"])


def test_key_figures_keep_one_digit_system(built: Path) -> None:
    """Typed `١٢` beside `3,400`: the figures are written in the interface's Western digits
    (issue 27: an Arabic edition uses one digit system), their values otherwise as written."""
    texts = outputs(built, "arabic-review")
    for output in ("index.html", "email.html", "email.txt"):
        assert "١٢" not in texts[output] and "3,400" in texts[output], output
        assert re.search(r"\b12\b", texts[output]), output


@pytest.mark.parametrize("name", ["arabic-review", "mini"])
def test_direction_is_set_on_every_output(built: Path, name: str) -> None:
    rtl = name == "arabic-review"
    page = (built / name / "index.html").read_text("utf-8")
    print_html = (built / name / "print.html").read_text("utf-8")
    email = (built / name / "email.html").read_text("utf-8")
    assert ('dir="rtl"' in page.split(">", 2)[1]) is rtl
    assert ('dir="rtl"' in print_html.split(">", 2)[1]) is rtl
    assert (re.search(r'<html[^>]*dir="rtl"', email) is not None) is rtl
    assert (re.search(r'<body[^>]*>\s*<div[^>]*dir="rtl"', email) is not None) is rtl


def test_a_paragraph_in_another_direction_keeps_its_dir(built: Path) -> None:
    for name in ("arabic-review/index.html", "arabic-review/print.html",
                 "arabic-review-full/email.html"):
        text = (built / name).read_text("utf-8")
        assert re.search(r'<p [^>]*dir="ltr"[^>]*>Our international partners', text), name


def test_the_print_stylesheet_mirrors_the_page(built: Path) -> None:
    arabic = (built / "arabic-review" / "print.html").read_text("utf-8")
    english = (built / "mini" / "print.html").read_text("utf-8")
    assert '@top-right {\n    content: string(edition);' in arabic
    assert '@top-left {\n    content: string(edition);' in english
    assert '@bottom-left {\n    content: "الصفحة " counter(page) " من " counter(pages);' in arabic
    assert 'content: "Page " counter(page) " of " counter(pages);' in english


# --- fonts ------------------------------------------------------------------------------


def _unicode_map(cmap: bytes) -> dict[int, str]:
    """Parse a PDF ToUnicode CMap: glyph id -> the text it stands for."""
    found: dict[int, str] = {}
    text = cmap.decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for glyph, value in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            found[int(glyph, 16)] = bytes.fromhex(value).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for first, last, value in re.findall(
                r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            start = int(value, 16)
            for offset, glyph in enumerate(range(int(first, 16), int(last, 16) + 1)):
                found[glyph] = chr(start + offset)
    return found


def _theme_fonts(config: ThemeConfig) -> dict[str, frozenset[int]]:
    """Return each font family of the theme (squeezed: `notonaskharabic`) and its cmap."""
    found = {}
    for font in (config.body_font, config.heading_font, *config.script_fonts):
        folder = font_folder(font)
        cmap: set[int] = set()
        for name in font.files.values():
            with TTFont(folder / name, lazy=True) as face:
                cmap |= set(face.getBestCmap())
        key = re.sub(r"\W", "", font.family).lower()
        found[key] = frozenset(cmap | found.get(key, frozenset()))
    return found


@pytest.mark.parametrize("name", ["arabic-review", "francais", "jahresbericht-2025", "mini"])
def test_every_character_of_the_pdf_is_drawn_with_an_embedded_font_that_has_it(
        built: Path, name: str) -> None:
    families = _theme_fonts(load_theme("default", built.parent).config)
    used: set[str] = set()
    with pikepdf.open(built / name / f"{name}.pdf") as pdf:
        for page in pdf.pages:
            for font in page.resources.get("/Font", {}).values():
                base = str(font.BaseFont).split("+")[-1]
                squeezed = re.sub(r"\W", "", base).lower()
                family = next((f for f in families if squeezed.startswith(f)), None)
                assert family, f"{base} is not one of the theme's fonts"
                descendant = font.DescendantFonts[0]
                assert "/FontFile2" in descendant.FontDescriptor, f"{base} is not embedded"
                glyphs = _unicode_map(font.ToUnicode.read_bytes())
                assert 0 not in glyphs, f"{base} draws a missing glyph for {glyphs[0]!r}"
                for text in glyphs.values():
                    for char in text:
                        assert ord(char) in families[family], f"{base} lacks {char!r}"
                used.update(text for text in glyphs.values())
    drawn = {c for text in used for c in text}
    text = pdf_text(built / name / f"{name}.pdf")
    missing = {c for c in text if not c.isspace() and c not in drawn and c != "\ufffd"}
    assert not missing, f"characters of the text drawn by no font: {sorted(missing)}"
    arabic = {c for c in text if "\u0600" <= c <= "\u06ff"}
    assert bool(arabic) is (name == "arabic-review")


def test_the_web_page_ships_the_script_font_and_names_it(built: Path) -> None:
    arabic = (built / "arabic-review" / "assets" / "style.css").read_text("utf-8")
    english = (built / "mini" / "assets" / "style.css").read_text("utf-8")
    assert "'Noto Naskh Arabic'" in arabic and "Noto Naskh Arabic" not in english
    font = re.search(r"url\('(\.\./\.\./assets/fonts/NotoNaskhArabic-Regular-\w+\.woff2)'\)",
                     arabic)
    assert font and (built / "arabic-review" / "assets" / font[1]).is_file()
    assert "NotoNaskhArabic" not in english
    email = (built / "arabic-review" / "email.html").read_text("utf-8")
    assert "font-family:'Noto Naskh Arabic'" in email
    assert "@font-face" not in email and ".woff" not in email  # a name, never a web font


def test_the_eml_carries_the_translated_parts(built: Path) -> None:
    from email import message_from_bytes, policy

    message = message_from_bytes((built / "francais" / "email.eml").read_bytes(),
                                 policy=policy.default)
    assert message["Content-Language"] == "fr"
    parts = {part.get_content_type(): part.get_content() for part in message.walk()
             if part.get_content_type() in ("text/plain", "text/html")}
    for content in parts.values():
        assert "Se désabonner" in html.unescape(content)
        assert "Unsubscribe" not in content and "View in your browser" not in content


def test_the_translated_web_pages_pass_the_nu_checker(built: Path, nu_checker) -> None:
    checked = [path for name in TRANSLATED for path in pages(built / name)]
    assert len(checked) == len(TRANSLATED)
    assert nu_checker(checked) == []


# --- German -----------------------------------------------------------------------------

GERMAN = "jahresbericht-2025"


def test_the_german_edition_speaks_german_in_every_output(built: Path) -> None:
    """The catalogue's words, not the English ones, in each output of the German fixture."""
    texts = outputs(built, GERMAN)
    expected = {
        "index.html": ["Zum Inhalt springen", "In dieser Ausgabe", "Jahresbericht lesen",
                       "PDF herunterladen", "veröffentlicht am 15. Dezember 2025."],
        "email.html": ["Diese E-Mail im Browser anzeigen", "Weiterlesen: Grußwort des Vorstands",
                       "Den ganzen Jahresbericht lesen", "Laden Sie das PDF herunter",
                       "Sie erhalten diese E-Mail", "Abmelden", "„Seit die Weidenufer"],
        "email.txt": ["Diese E-Mail im Browser anzeigen: <", "[Bild: Ein schlichtes blaues",
                      "Die ganze Ausgabe online lesen: <", "Abmelden: <https://example.org/de/"],
        "full email.html": ["Anmerkungen", "Gefördert aus Mitteln"],
        "full email.txt": ["Anmerkungen"],
        "pdf": ["Inhalt", "Jahresbericht", "Seite 3 von 7", "Datum", "Veranstaltung", "Ort",
                "Herausgeber: Stiftung Lebendige Weseraue, 15. Dezember 2025."],
    }
    for output, pieces in expected.items():
        text = squeezed(texts[output]) if output == "pdf" else texts[output]
        missing = [p for p in pieces if (squeezed(p) if output == "pdf" else p) not in text]
        assert missing == [], f"{output} lacks {missing}"


def test_the_german_outputs_say_they_are_german(built: Path) -> None:
    from email import message_from_bytes, policy

    folder = built / GERMAN
    for name in ("index.html", "print.html", "email.html"):
        text = (folder / name).read_text("utf-8")
        assert re.search(r'<html[^>]*\blang="de"', text), name
        assert 'dir="rtl"' not in text.split(">", 2)[1], name
    with pikepdf.open(folder / f"{GERMAN}.pdf") as pdf:
        assert str(pdf.Root.Lang) == "de"
    message = message_from_bytes((folder / "email.eml").read_bytes(), policy=policy.default)
    assert message["Content-Language"] == "de"


def test_check_finds_nothing_to_say_about_the_german_fixture() -> None:
    """No `interface-words` warning (nor any other): every fixed word has its German."""
    from folio.check import check_edition, enabled_rules
    from folio.content import load_edition

    edition = load_edition(FIXTURES / GERMAN)
    assert {"interface-words", "spelling"} <= enabled_rules(edition)
    assert check_edition(FIXTURES / GERMAN, edition=edition) == []


def test_a_german_archive_and_its_navigation_speak_german(tmp_path: Path) -> None:
    """The archive page takes the newest edition's language; the pages link in theirs."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / GERMAN, content / GERMAN)
    earlier = content / "jahresbericht-2024"
    shutil.copytree(FIXTURES / GERMAN, earlier)
    config = earlier / "edition.yaml"
    config.write_text(config.read_text("utf-8").replace("2025-12-15", "2024-12-16")
                      .replace("Jahresbericht 2025:", "Jahresbericht 2024:"), "utf-8")
    results = list(build(content=content, out=tmp_path / "build", formats=["web"]))
    assert all(r.ok for r in results), [r.problems for r in results if not r.ok]
    archive = page_text(tmp_path / "build" / "index.html")
    assert re.search(r'<html[^>]*\blang="de"', archive)
    for piece in ("Zu den Ausgaben springen", "2 Ausgaben", "Neueste Ausgabe lesen",
                  "Alle Ausgaben, die neueste zuerst", "Aktuell", "Online lesen",
                  "15. Dezember 2025", "16. Dezember 2024", "Jahresbericht"):
        assert piece in archive, piece
    newest = page_text(tmp_path / "build" / GERMAN / "index.html")
    older = page_text(tmp_path / "build" / "jahresbericht-2024" / "index.html")
    assert 'aria-label="Weitere Ausgaben"' in newest and "Alle Ausgaben" in newest
    assert "Vorherige Ausgabe" in newest and "Nächste Ausgabe" in older
    english = ["Skip to the editions", "edition", "Read the latest edition", "Every edition",
               "Latest", "Read online", "Archive", "All editions", "Other editions",
               "Previous edition", "Next edition", "Annual review"]
    for text in (archive, newest, older):
        assert [piece for piece in english if piece in text] == []
