"""Catalogues: templates and Python -> folio.pot -> each language's folio.po -> folio.mo.

Run after changing an interface word: `python tools/catalogues.py`. It extracts every
message of the built-in templates ({% trans %}, _()) and of the Python code that writes
words (`_()`) into `folio/locales/folio.pot`, brings each `folio.po` up to date with it
(new messages empty, gone ones commented out) and compiles every `folio.mo`. Add a
language with `python tools/catalogues.py --add it`, then translate its `folio.po`.
`--check` changes nothing and exits 1 when a file is not up to date.
"""

from __future__ import annotations

import argparse
import datetime
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "folio" / "locales"
TEMPLATES = ROOT / "templates" / "default"
PYTHON = [ROOT / "folio" / "charts" / "words.py",
          ROOT / "folio" / "formats" / "email" / "text.py",
          ROOT / "folio" / "formats" / "pdf" / "document.py",
          ROOT / "folio" / "importers" / "write.py"]
HEADER = ("# Folio's interface words: every fixed word of the web page, the PDF and the email.\n"
          "# Written by tools/catalogues.py; translate the msgstr lines only.")
FIXED_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
"""The date written in every `.mo` header: the same catalogue gives the same bytes."""
JINJA = {"extensions": "jinja2.ext.i18n", "trimmed": "true"}


def extract() -> Catalog:
    """Return the catalogue template: every message, with where it is used."""
    catalog = Catalog(project="Folio", version="0.1", msgid_bugs_address="",
                      copyright_holder="Folio", charset="utf-8", header_comment=HEADER)
    sources = [(p, "jinja2.ext:babel_extract", JINJA) for p in sorted(TEMPLATES.rglob("*"))
               if p.suffix in (".html", ".mjml", ".css")]
    sources += [(p, "python", {}) for p in PYTHON]
    for path, method, options in sources:
        for line, message, comments, context in extract_from_file(
                method, str(path), options=options):
            catalog.add(message, None, [(str(path.relative_to(ROOT)), line)],
                        auto_comments=comments, context=context)
    return catalog


def po_bytes(catalog: Catalog) -> bytes:
    """Return a catalogue as `.po` text, without dates, so the same input gives the same file."""
    out = io.BytesIO()
    # File names without line numbers: an edit elsewhere in a file leaves the catalogues alone.
    write_po(out, catalog, width=88, omit_header=False, sort_output=False, include_lineno=False)
    lines = out.getvalue().split(b"\n")
    return b"\n".join(line for line in lines
                      if not line.startswith((b'"POT-Creation-Date', b'"PO-Revision-Date',
                                              b'"Generated-By')))


def mo_bytes(catalog: Catalog) -> bytes:
    """Return a catalogue compiled to `.mo` (fuzzy entries left out), with fixed dates."""
    catalog.creation_date = catalog.revision_date = FIXED_DATE
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def files(add: list[str]) -> dict[Path, bytes]:
    """Return every catalogue file as it should be."""
    template = extract()
    wanted = {LOCALES / "folio.pot": po_bytes(template)}
    languages = sorted({p.parent.parent.name for p in LOCALES.glob("*/LC_MESSAGES/folio.po")}
                       | set(add))
    for language in languages:
        po = LOCALES / language / "LC_MESSAGES" / "folio.po"
        if po.is_file():
            with po.open("rb") as file:
                catalog = read_po(file, locale=language)
        else:
            catalog = Catalog(locale=language, project="Folio", charset="utf-8",
                              header_comment=HEADER)
        catalog.update(template, update_header_comment=False)
        catalog.obsolete.clear()
        wanted[po] = po_bytes(catalog)
        wanted[po.with_suffix(".mo")] = mo_bytes(catalog)
    return wanted


def main() -> int:
    """Bring the catalogues up to date, or with `--check` say which are not."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--add", action="append", default=[], metavar="LANGUAGE",
                        help="start a catalogue for a new language (a BCP 47 tag: it, pt_BR)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    options = parser.parse_args()
    stale = []
    for path, content in files(options.add).items():
        if path.is_file() and path.read_bytes() == content:
            continue
        stale.append(path)
        if not options.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
    for path in stale:
        print(f"{'stale' if options.check else 'wrote'}: {path.relative_to(ROOT)}")
    return 1 if options.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
