"""Check: an edition folder -> findings, the slips to fix before an edition goes out.

In: an edition folder, optionally its rendered email page and its theme. Out: `Finding`s,
sorted, and their text or JSON report. Imports no command module (cli, build, watch,
send, ...) and of the email format only its published limits `HEAD_STYLE_LIMIT,
SIZE_LIMIT, SIZE_WARNING, TABLE_COLUMNS` and its measure `sent_size`, from `folio.formats.email`.

Rules come in six families, one module each, every rule with a kebab-case name that
`edition.yaml` can switch off (`checks: {spelling: false}`):

- `editorial`: repeated words and phrases, reviewer marks, words run together, spelling,
  mixed British and American spellings, doubled spaces or punctuation, long sentences;
- `accessibility`: alt text, heading levels, link text, colour contrast, language;
- `links`: malformed addresses, `http://`, anchors, `mailto:`, and dead links (only with
  `online=True`: nothing else touches the network);
- `email`: the size, head styles, images and CSS of the rendered email, wide tables;
- `settings`: YAML values cut by a ` #`, and unknown names under `checks:`;
- `review`: reviewers' comments still open in review.yaml (from `import FILE --into`).

Beside them, `pdf` checks a built PDF against the standards it claims and reads it with
an accessibility checker, when asked (`check --pdf`).

They read a `texts.Context` (the masked prose, links and headings of the edition) and the
`lexicon`; importing a family module registers its rules (see `registry`).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from ..charts import read_charts
from ..content import Edition, load_edition
from ..errors import FolioError, display_path
from ..schema import ThemeConfig

# isort: off
# The families register their rules and checks when imported: this order is the order of
# RULES (and of the docs' rule tables) and the order the checks run. Keep it.
from . import editorial, accessibility, links, email, settings, review  # noqa: F401
# isort: on
from ..errors import CONTROL, printable
from .accessibility import contrast_ratio
from .lexicon import dictionary_for
from .links import mailto_problem, url_problem
from .pdf import pdf_findings
from .registry import CHECKS, RULES, Finding, Rule
from .texts import gather

__all__ = ["CHECKS", "PDF_CLAIM_RULES", "RULES", "Finding", "Rule", "check_edition",
           "claim_findings", "contrast_ratio", "enabled_rules", "exit_status", "format_findings",
           "mailto_problem", "problem_findings", "url_problem"]

ENGLISH_ONLY = {"run-together-words", "spelling-variants", "run-together-case"}
"""Rules that only make sense in English; `spelling` runs in every language with a dictionary."""


def enabled_rules(edition: Edition, online: bool = False) -> set[str]:
    """Return the names of the rules that run on `edition`."""
    switches = edition.config.checks
    names = {name for name, rule in RULES.items() if switches.get(name, rule.default)}
    if online and switches.get("dead-link", True):
        names.add("dead-link")
    language = dictionary_for(edition.config.language)
    if language != "en":
        names -= ENGLISH_ONLY
    if language is None:
        names.discard("spelling")
    return names


def check_edition(
    edition_dir: Path, *, email_html: str | None = None, theme: ThemeConfig | None = None,
    online: bool = False, edition: Edition | None = None, pdf: Path | None = None,
    severity: str | None = None,
) -> list[Finding]:
    """Check an edition; return its findings sorted by file, line and column.

    `email_html` is the rendered email page (None skips the size, head and CSS rules);
    `theme` the theme whose colours to check (None skips contrast); `online` lets the
    dead-link rule ask the web; `edition` is the edition already loaded from that folder;
    `pdf` the PDF built from it (None skips the PDF rules); `severity` (`error`) runs only
    the rules of that severity (a build's quick check never loads the spelling dictionary).
    A broken edition (a chart's data included) raises `ContentError`.
    """
    # A chart's data is read as the build reads it: its problems stop the check alike.
    edition = edition or read_charts(load_edition(edition_dir))
    ctx = gather(edition)
    ctx.email_html, ctx.theme, ctx.online = email_html, theme, online
    enabled = enabled_rules(edition, online)
    if severity is not None:
        enabled = {name for name in enabled if RULES[name].severity == severity}
    findings: set[Finding] = set()
    for check in CHECKS:
        if check.always:
            findings.update(check.run(ctx))
        elif enabled.intersection(check.rules):
            findings.update(f for f in check.run(ctx) if f.rule in enabled)
    if pdf is not None:
        findings.update(pdf_findings(edition, pdf))
    order = {ctx.edition_file: 0}
    return sorted(findings, key=lambda f: (order.get(f.file, 1), f.file, f.line, f.column,
                                           f.rule, f.message))


PDF_CLAIM_RULES = ("image-alt", "heading-levels")
"""The rules whose findings would make the PDF fail the standard it claims (PDF/UA-1,
PDF/A-3A): a picture with no description (the PDF is not written), a heading outline
with a gap (the PDF closes it, and the build says so)."""


def claim_findings(edition: Edition) -> list[Finding]:
    """Return what in a loaded edition breaks the PDF's claim, whatever `checks:` says."""
    ctx = gather(edition)
    found = {finding for check in CHECKS if set(check.rules) & set(PDF_CLAIM_RULES)
             for finding in check.run(ctx) if finding.rule in PDF_CLAIM_RULES}
    return sorted(found, key=lambda f: (f.file, f.line, f.column, f.rule, f.message))


def problem_findings(error: FolioError) -> list[Finding]:
    """Return the problems that stopped an edition from loading as error findings."""
    return [Finding(display_path(p.path) if str(p.path) else "", p.line or 1, p.column or 1,
                    "content", "error", p.message) for p in error.problems]


def format_findings(findings: list[Finding], fmt: str) -> str:
    """Render findings as `text` (one `file:line:column: severity rule: message` a line)
    or `json` (a list of objects with those six keys)."""
    if fmt == "json":
        text = json.dumps([asdict(f) for f in findings], indent=2, ensure_ascii=False)
        return CONTROL.sub(lambda m: m[0] if m[0] == "\n" else f"\\u{ord(m[0]):04x}", text)
    if fmt == "text":
        return "\n".join(printable(str(f)) for f in findings)
    raise ValueError(f"unknown format {fmt!r}; use 'text' or 'json'")


def exit_status(findings: list[Finding]) -> int:
    """Return 1 when any finding is an error, else 0."""
    return 1 if any(f.severity == "error" for f in findings) else 0
