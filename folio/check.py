"""Check: an edition folder -> findings, the slips to fix before an edition goes out.

Rules come in four families, each rule with a kebab-case name that `edition.yaml` can
switch off (`checks: {spelling: false}`):

- editorial: repeated words and phrases, reviewer marks, words run together, spelling,
  mixed British and American spellings, doubled spaces or punctuation, long sentences;
- accessibility: alt text, heading levels, link text, colour contrast, language;
- links: malformed addresses, `http://`, anchors, `mailto:`, and dead links (only
  with `online=True`: nothing else touches the network);
- email readiness: the size, head styles, images and CSS of the rendered email.

Words are checked in the prose only. Code, URLs, link targets, HTML tags, e-mail
addresses, hashtags and @handles are masked first, character for character, so every
finding points at the real line and column of the file it came from.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import html.parser
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .content import Edition, Section, load_edition, parse_yaml, split_front_matter
from .errors import display_path
from .formats.email import HEAD_STYLE_LIMIT, SIZE_LIMIT, SIZE_WARNING
from .markup import slugify
from .schema import ThemeConfig

WORDLISTS = Path(__file__).parent / "wordlists"
MASK = "\x00"
"""Stands in for every masked character: neither a letter nor a space."""

KB = 1024
EMAIL_CLIP, EMAIL_WARN, HEAD_STYLES_LIMIT = SIZE_LIMIT, SIZE_WARNING, HEAD_STYLE_LIMIT
"""Gmail's limits, as the email format applies them when it builds."""
LONG_SENTENCE = 40
MIN_CONTRAST = 4.5


# --- findings and rules -------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Finding:
    """One slip found by `check`: where it is, which rule found it and what to do."""

    file: str
    line: int
    column: int
    rule: str
    severity: str
    """`error` (check exits 1) or `warning`."""
    message: str
    """What is wrong, quoting the offending text, and how to fix it."""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity} {self.rule}: {self.message}"


@dataclass(frozen=True)
class Rule:
    """A rule of `check`: its name, family, default severity, what it finds, an example."""

    name: str
    family: str
    severity: str
    description: str
    example: str
    """Text the rule flags."""
    default: bool = True
    """Whether the rule runs when `edition.yaml` does not mention it."""


RULES: dict[str, Rule] = {rule.name: rule for rule in [
    Rule("repeated-word", "editorial", "error",
         "The same word twice in a row, in any case, also across a line break.",
         "We thank the\nthe members."),
    Rule("repeated-phrase", "editorial", "warning",
         "A phrase of 2 to 6 words written twice in a row.",
         "at the start at the start of the year"),
    Rule("placeholder", "editorial", "error",
         "Reviewer marks and placeholders left in: comment anchors such as [AB1], TODO, "
         "FIXME, TK, XXX, lorem ipsum, [insert ...], and the importer's 'Your organisation'.",
         "We reached XX young people [AB1]."),
    Rule("run-together-case", "editorial", "error",
         "A lower-case word running straight into a capitalised one; names such as "
         "iPhone or macOS, and words in the edition's list, are allowed.",
         "in partnership withUNICEF"),
    Rule("run-together-words", "editorial", "warning",
         "An unknown word that splits into two common words.",
         "a report on childprotection"),
    Rule("spelling", "editorial", "warning",
         "A lower-case word that is in neither the dictionary (British and American "
         "spellings) nor the edition's `words:` list, and a name spelt two ways.",
         "We will acheive more."),
    Rule("spelling-variants", "editorial", "warning",
         "British and American spellings mixed in one edition: -ise/-ize, -yse/-yze, "
         "colour/color and the like. The spelling used less often is flagged.",
         "We organise events. They organize webinars."),
    Rule("spacing", "editorial", "warning",
         "Two spaces between words, or doubled punctuation (,, .. ;; !! ??).",
         "The report,, published  in May"),
    Rule("long-sentence", "editorial", "warning",
         f"A sentence of more than {LONG_SENTENCE} words; quotations are left alone.",
         "(any sentence of 41 words or more)"),
    Rule("image-alt", "accessibility", "error",
         "A picture without alt text, or with a file name as alt text.",
         "![](images/chart.png)"),
    Rule("heading-levels", "accessibility", "warning",
         "A heading that skips a level (the first level in a section body is `#`).",
         "# Research\n\n### Findings"),
    Rule("link-text", "accessibility", "warning",
         "Link text that says nothing out of context (click here, read more) or a bare URL.",
         "[click here](https://example.org/report)"),
    Rule("contrast", "accessibility", "error",
         f"Theme text colours below {MIN_CONTRAST}:1 contrast on their background (WCAG 2.2 AA).",
         "ink: '#999999' on paper: '#ffffff' (2.8:1)"),
    Rule("language", "accessibility", "error",
         "edition.yaml does not say which language the text is in.",
         "(no `language:` line)"),
    Rule("url", "links", "error",
         "A malformed web address: a space, a missing https://, no site name, a misspelt scheme.",
         "[our report](htps://example.org/report)"),
    Rule("http-link", "links", "warning",
         "A link with http:// where https:// is expected.",
         "[our site](http://example.org)"),
    Rule("anchor", "links", "error",
         "A #link that matches no section or heading of the edition.",
         "[see below](#reserach)"),
    Rule("mailto", "links", "error",
         "A malformed mailto: link, or an e-mail address linked without mailto:.",
         "[write to us](mailto:info@example)"),
    Rule("dead-link", "links", "error",
         "An external link that does not answer or answers 404 (only with --online).",
         "[old page](https://example.org/gone)", default=False),
    Rule("email-size", "email", "error",
         f"email.html at or over {EMAIL_CLIP // KB} KB, where Gmail clips it (a warning "
         f"over {EMAIL_WARN // KB} KB).",
         "(a 105 KB email.html)"),
    Rule("email-head-styles", "email", "warning",
         f"Styles in the email's <head> over {HEAD_STYLES_LIMIT // KB} KB, which Gmail drops.",
         "(20 KB of <style>)"),
    Rule("email-images", "email", "error",
         "Email images without `asset_base_url`, SVG images, or data: images, which "
         "email clients do not show.",
         "<img src=\"images/chart.svg\">"),
    Rule("email-css", "email", "warning",
         "CSS that Outlook or Gmail ignore (flex, grid, position, transform, ...) outside "
         "@media queries.",
         "<div style=\"display:flex\">"),
    Rule("yaml-comment", "settings", "warning",
         "An unquoted value with ' #' in it: YAML reads the rest of the line as a comment "
         "and drops it, so a hashtag silently cuts the text.",
         "summary: Our work through #MyVoiceMyFuture and more"),
    Rule("unknown-check", "settings", "error",
         "A name under `checks:` in edition.yaml that is no rule of check.",
         "checks: {speling: false}"),
]}
"""Every rule of `check`, by name; the README documents each from this table."""


# --- the dictionary ----------------------------------------------------------------


def _read_list(name: str) -> list[str]:
    """Read a word list from folio/wordlists: one entry a line, # comments."""
    text = (WORDLISTS / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


PREFIXES = ("anti", "co", "counter", "cross", "cyber", "de", "dis", "e", "eco", "ex", "extra",
            "hyper", "inter", "micro", "mid", "mis", "multi", "neo", "non", "out", "over",
            "post", "pre", "pro", "re", "self", "semi", "socio", "sub", "super", "trans",
            "tri", "un", "under", "well")
"""Prefixes that make words with a hyphen or without one (co-chair, cyberflashing)."""

SHORT_WORDS = {"a", "an", "as", "at", "be", "by", "do", "go", "he", "if", "in", "is", "it",
               "me", "my", "no", "of", "on", "or", "so", "to", "up", "us", "we"}
"""The only words of one or two letters that count as halves of a run-together word."""

_BRITISH_RULES = [
    (re.compile(r"(?<=[a-z]{2})our"), "or"),  # colour, behaviour
    (re.compile(r"(?<=[a-z]{3})is(?=(?:e[sdr]?|ers|ing|ations?|ational|able|ably)$)"), "iz"),
    (re.compile(r"(?<=l)ys(?=(?:e[sdr]?|ers|ing)$)"), "yz"),  # analyse, paralysed
    (re.compile(r"(?<=[^aeiou\W])tre(?=s?$)"), "ter"),  # centre, theatres
    (re.compile(r"(?<=[^aeiou\W])tred$"), "tered"),
    (re.compile(r"ogue(?=s?$)"), "og"),  # catalogue
    (re.compile(r"gramme(?=s?$)"), "gram"),
    (re.compile(r"(?<=[aeiou])ll(?=(?:ed|ing|er|ers|or|ors|ous)$)"), "l"),  # travelled
    (re.compile(r"(?<=[aeiou])l(?=(?:s|ment|ments|ful|fully)?$)(?<=[a-z]{4}l)"), "ll"),  # fulfil
    (re.compile(r"(?<=[a-z])ae(?=[a-z]{2})"), "e"),  # paediatric
    (re.compile(r"(?:(?<=^)|(?<=[a-z]))oe(?=[a-z]{3})"), "e"),  # oestrogen
    (re.compile(r"(?<=dg)ement"), "ment"),  # acknowledgement
]
"""British spellings rewritten into the American forms the dictionary knows."""


def _american_forms(word: str, depth: int = 2) -> set[str]:
    """Return the American spellings a British word may correspond to."""
    found: set[str] = set()
    frontier = {word}
    for _ in range(depth):
        new: set[str] = set()
        for form in frontier:
            for pattern, replacement in _BRITISH_RULES:
                for match in pattern.finditer(form):
                    new.add(form[: match.start()] + replacement + form[match.end():])
        found |= new
        frontier = new
    found.discard(word)
    return found


class Lexicon:
    """The English dictionary of pyspellchecker, Folio's own list and British forms."""

    def __init__(self) -> None:
        from spellchecker import SpellChecker

        self._checker = SpellChecker(language="en", distance=1)
        self.frequency: dict[str, int] = self._checker.word_frequency.dictionary
        self.extra = {w.lower() for w in _read_list("en-extra.txt")}
        self.variants = _variant_pairs()
        self._verdicts: dict[str, bool] = {}

    def listed(self, word: str) -> bool:
        """Return whether the word itself is in the dictionary or Folio's list."""
        return word in self.frequency or word in self.extra or word in self.variants

    def common(self, word: str, least: int = 1000) -> bool:
        """Return whether the word is frequent enough to be half of a run-together pair."""
        if len(word) < 3:
            return word in SHORT_WORDS
        return self.frequency.get(word, 0) >= least or word in self.extra

    def known(self, word: str) -> bool:
        """Return whether a lower-case word is spelt right (British or American)."""
        if word not in self._verdicts:
            self._verdicts[word] = self._judge(word)
        return self._verdicts[word]

    def _judge(self, word: str) -> bool:
        if self.listed(word) or len(word) < 2:
            return True
        if word.endswith("'s") or word.endswith("'"):
            return self.known(word.rsplit("'", 1)[0])
        if "'" in word:
            head, _, tail = word.partition("'")
            return tail in {"t", "re", "ve", "ll", "d", "m"} and self.known(head.removesuffix("n"))
        if any(self.listed(form) for form in _american_forms(word)):
            return True
        for base, plural in _bases(word):
            if base in self.extra or 0 < self.frequency.get(base, 0) < 3000 or (
                    plural and base in self.frequency):
                return True
            if any(self.listed(form) for form in _american_forms(base, depth=1)):
                return True
        for prefix in PREFIXES:
            rest = word[len(prefix):]
            if word.startswith(prefix) and len(rest) >= 4 and len(word) >= 7 and (
                    rest in self.extra or self.frequency.get(rest, 0) >= 100):
                return True
        return False

    def suggest(self, word: str, british: bool) -> str | None:
        """Return the likeliest correction of a misspelt lower-case word, if any."""
        if len(word) > 20:
            return None
        candidates = self._checker.candidates(word)
        if not candidates and len(word) <= 12:
            self._checker.distance = 2
            try:
                candidates = self._checker.candidates(word)
            finally:
                self._checker.distance = 1
        if not candidates:
            return None
        best = max(sorted(candidates), key=lambda c: self.frequency.get(c, 0))
        if british:
            best = self.british(best)
        return best

    def british(self, word: str) -> str:
        """Return the British form of an American spelling the lists know."""
        for british, american in self.variants.items():
            if american == word:
                return british
        match = re.search(r"iz(e[sdr]?|ers|ing|ations?)$", word)
        if match and word not in IZE_ONLY:
            return word[: match.start()] + "is" + match[1]
        return word


def _bases(word: str) -> list[tuple[str, bool]]:
    """Return the stems an inflected word may come from (toolkits -> toolkit), each with
    whether the ending is a plural -s (safe on any noun, unlike -ed or -ing)."""
    found = []
    for ending, replacements in (("ies", ("y",)), ("es", ("",)), ("s", ("",)),
                                 ("ied", ("y",)), ("ed", ("", "e")), ("ing", ("", "e")),
                                 ("ers", ("", "e")), ("er", ("", "e")), ("ly", ("",)),
                                 ("ness", ("",)), ("ments", ("",)), ("ment", ("",)),
                                 ("ful", ("",)), ("less", ("",))):
        if word.endswith(ending) and not word.endswith("ss"):
            stem = word[: -len(ending)]
            found += [(stem + r, ending in ("s", "es", "ies")) for r in replacements
                      if len(stem + r) >= 3]
    return found


IZE_ONLY = {"capsize", "downsize", "upsize", "oversize", "resize", "supersize", "outsize",
            "assize", "seize", "size", "prize", "baize", "maize"}
"""Words spelt with -ize in British English too."""


def _variant_pairs() -> dict[str, str]:
    """Return British -> American spellings from en-variants.txt, with their endings."""
    pairs: dict[str, str] = {}
    for line in _read_list("en-variants.txt"):
        british, american = line.split()
        pairs[british] = american
        if british[:4] == american[:4] and not british.endswith(("e", "l")):
            for ending in ("s", "ed", "ing", "er", "ers", "ful", "fully", "less", "able",
                           "ably", "ite", "ites", "ist", "ists", "al", "ally", "ous"):
                pairs.setdefault(british + ending, american + ending)
        elif british.endswith("e") and american.endswith("r"):
            pairs.setdefault(british + "s", american + "s")
    return pairs


@functools.cache
def lexicon() -> Lexicon:
    """Return the shared lexicon, loaded once per process."""
    return Lexicon()


# --- texts: what the rules read -----------------------------------------------------


@dataclass
class Where:
    """Maps offsets in a text to (line, column) of the file it came from."""

    starts: list[int]
    """File offset of the start of every line."""
    base: int = 0
    offsets: list[int] | None = None
    """File offset of every character of the text, when it is not a plain slice."""
    line: int | None = None
    """The one line to report when the text could not be placed in the file."""

    def __call__(self, offset: int) -> tuple[int, int]:
        if self.line is not None:
            return self.line, 1
        if self.offsets is not None:
            at = self.offsets[min(offset, len(self.offsets) - 1)] if self.offsets else 0
        else:
            at = self.base + offset
        index = bisect.bisect_right(self.starts, at) - 1
        return index + 1, at - self.starts[index] + 1


@dataclass
class Text:
    """A piece of prose: a section body or a front-matter value, masked for the rules."""

    file: str
    raw: str
    where: Where
    part: str = "body"
    """`body`, or the front-matter key the text comes from (`title`, `summary`, ...)."""
    quotation: bool = False
    codeless: str = ""
    """`raw` with code and HTML comments masked."""
    linkless: str = ""
    """`codeless` with link targets, tags and reference definitions masked too."""
    prose: str = ""
    """`linkless` with URLs, addresses, hashtags, handles and entities masked too."""
    blocks: list[int] = field(default_factory=list)
    """The block (paragraph, heading, list item, table row) of every line."""
    line_starts: list[int] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.codeless = _mask_code(self.raw)
        self.linkless = _mask_links(self.codeless)
        self.prose = _mask_addresses(self.linkless)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.raw)]
        self.blocks = _blocks(self.prose)
        self.tokens = [Token(m.start(), m.end(), m[0], self.block_at(m.start()))
                       for m in WORD.finditer(self.prose)]

    def line_at(self, offset: int) -> int:
        """Return the 0-based line of the text that holds `offset`."""
        return bisect.bisect_right(self.line_starts, offset) - 1

    def block_at(self, offset: int) -> int:
        return self.blocks[self.line_at(offset)]

    def finding(self, offset: int, rule: str, message: str, severity: str | None = None
                ) -> Finding:
        line, column = self.where(offset)
        return Finding(self.file, line, column, rule, severity or RULES[rule].severity, message)


@dataclass(frozen=True)
class Token:
    """A word of a text's prose: letters and digits, inner hyphens and apostrophes."""

    start: int
    end: int
    word: str
    block: int


WORD = re.compile(r"[^\W_](?:[^\W_]|['’\-](?=[^\W_]))*(?:['’](?=s\b)s)?")


def _blank(text: str) -> str:
    """Mask every character but line breaks."""
    return "".join("\n" if c == "\n" else MASK for c in text)


def _sub_blank(pattern: re.Pattern[str], text: str) -> str:
    """Mask what `pattern` matches, keeping the length."""
    return pattern.sub(lambda match: _blank(match[0]), text)


FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)")
INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.S)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _mask_code(text: str) -> str:
    """Mask fenced and indented code blocks, code spans and HTML comments."""
    lines = text.split("\n")
    fence: str | None = None
    in_list = False
    previous_blank = True
    in_indented = False
    for index, line in enumerate(lines):
        stripped = line.strip()
        if fence:
            closing = FENCE.match(line)
            if closing and closing[1][0] == fence[0] and len(closing[1]) >= len(fence):
                fence = None
            lines[index] = _blank(line)
            continue
        opening = FENCE.match(line)
        if opening:
            fence = opening[1]
            lines[index] = _blank(line)
            continue
        indented = line.startswith("    ") or line.startswith("\t")
        if stripped and indented and (in_indented or (previous_blank and not in_list)):
            in_indented = True
            lines[index] = _blank(line)
            continue
        if stripped:
            in_indented = False
            if not indented:
                in_list = bool(LIST_ITEM.match(line) or line.startswith("[^"))
        previous_blank = not stripped
    masked = "\n".join(lines)
    masked = _sub_blank(HTML_COMMENT, masked)
    return _sub_blank(INLINE_CODE, masked)


LINK_TARGET = (r"(?:<[^<>\n]*>|\{\{[^{}\n]*\}\}|\*\|[^|\n]*\|\*|(?:[^()\s]|\([^()\s]*\))*)"
               r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?")
INLINE_LINK = re.compile(
    r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*(" + LINK_TARGET + r")\s*\)")
REFERENCE_DEF = re.compile(r"^ {0,3}\[(?!\^)([^\]\n]+)\]:[ \t]*<?([^\s>]+)>?.*$", re.M)
REFERENCE_LINK = re.compile(r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\[([^\]\n]*)\]")
FOOTNOTE_LABEL = re.compile(r"\[\^[^\]\s]+\]:?")
AUTOLINK = re.compile(r"<((?:[A-Za-z][\w+.-]*:[^<>\s]*)|(?:[^<>\s@]+@[^<>\s]+))>")
HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
MERGE_TAGS = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\*\|[A-Z0-9_:]+\|\*")
ATTR_LIST = re.compile(r"\{:?[ \t]*[#.][^}\n]*\}")
BARE_URL = re.compile(r"(?<![\w/@.])(?:(?:https?|ftp)://|www\.)[^\s<>\"'`\x00]+", re.I)
EMAIL = re.compile(r"(?<![\w.+-])(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I)
TLDS = ("com|org|net|int|gov|edu|io|info|ngo|eu|uk|us|ca|au|nz|ie|de|fr|es|it|nl|be|ch|in|"
        "za|ke|ng|br|mx|jp|cn|sg|my|ph|co|ac|app|dev|ai|tv|me|global|online|news")
DOMAIN = re.compile(r"(?<![\w@./-])[A-Za-z0-9][\w-]*(?:\.[\w-]+)*\.(?:" + TLDS +
                    r")(?![\w-])(?:/[^\s<>\"'`\x00]*)?", re.I)
HASHTAG = re.compile(r"(?<![\w&#/])[#@][^\W\d][\w]*")
FILE_REF = re.compile(r"(?<![\w.])[\w-]+\.(?:png|jpe?g|gif|webp|svg|pdf|docx?|xlsx?|pptx?|csv|"
                      r"txt|zip|md|html?)\b", re.I)
ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#\d+|#x[0-9A-Fa-f]+);")
TRAILING = ".,;:!?'\")]}’”"


def _mask_links(text: str) -> str:
    """Mask link targets, reference definitions, footnote labels, autolinks and tags."""
    text = _sub_blank(REFERENCE_DEF, text)
    text = _sub_blank(FOOTNOTE_LABEL, text)
    text = _sub_blank(AUTOLINK, text)
    text = _sub_blank(HTML_TAG, text)
    text = INLINE_LINK.sub(_keep_label, text)
    text = REFERENCE_LINK.sub(lambda m: m[0][: m.end(2) - m.start()]
                              + _blank(m[0][m.end(2) - m.start():]), text)
    text = _sub_blank(MERGE_TAGS, text)
    return _sub_blank(ATTR_LIST, text)


def _keep_label(match: re.Match[str]) -> str:
    """Keep a link's text (masking the targets of links inside it) and mask its target."""
    head = match[0][: match.start(2) - match.start()]
    return head + INLINE_LINK.sub(_keep_label, match[2]) + _blank(
        match[0][match.end(2) - match.start():])


def _trim_url(url: str) -> str:
    """Drop punctuation that ends the sentence rather than the address."""
    while url and url[-1] in TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def _mask_addresses(text: str) -> str:
    """Mask URLs, e-mail addresses, domain names, hashtags, handles and entities."""
    def url(match: re.Match[str]) -> str:
        kept = _trim_url(match[0])
        return _blank(kept) + match[0][len(kept):]
    text = BARE_URL.sub(url, text)
    text = _sub_blank(EMAIL, text)
    text = DOMAIN.sub(url, text)
    text = _sub_blank(HASHTAG, text)
    text = _sub_blank(FILE_REF, text)
    return _sub_blank(ENTITY, text)


TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$|^[^|\n]*\S\s*\|\s*\S[^\n]*$")
SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")


def _blocks(prose: str) -> list[int]:
    """Number the blocks of a text line by line; a blank line, heading, list item,
    table row or block quote starts a new block."""
    numbers = []
    block = 0
    previous = ""
    for line in prose.split("\n"):
        stripped = line.strip()
        starts = (not stripped or not previous.strip() or HEADING.match(line)
                  or HEADING.match(previous) or LIST_ITEM.match(line) or TABLE_ROW.match(line)
                  or TABLE_ROW.match(previous) or SETEXT.match(line)
                  or (stripped.startswith(">") and not previous.strip().startswith(">")))
        if starts:
            block += 1
        numbers.append(block)
        previous = line
    return numbers


# --- reading the edition ------------------------------------------------------------


PROSE_FIELDS = ("title", "summary", "caption", "image_alt", "quote", "attribution")
EDITION_PROSE = (("title",), ("subtitle",), ("description",), ("email", "subject"),
                 ("email", "preheader"))


@dataclass
class Link:
    """A link or image of a text: where it is, what it says and where it points."""

    text: Text
    offset: int
    target: str
    label: str | None
    """The link text; None for a bare address or a front-matter field."""
    kind: str
    """`link`, `image`, `autolink`, `bare`, `html`, `definition`, `field`, ..."""
    end: int | None = None
    """Where the link ends in the text; None for a front-matter field."""

    def quote(self) -> str:
        """Return the link as written, for a message."""
        if self.end is None:
            return self.target
        return _quote(self.text, self.offset, self.end, limit=120)


@dataclass
class Heading:
    """A heading inside a section body."""

    text: Text
    offset: int
    level: int
    title: str


@dataclass
class Context:
    """Everything the rules read, gathered once from the edition."""

    edition: Edition
    texts: list[Text]
    links: list[Link]
    headings: list[Heading]
    words: set[str]
    """The edition's word list, case-folded, each word of a multi-word entry too."""
    phrases: set[str]
    edition_file: str
    email_html: str | None = None
    theme: ThemeConfig | None = None
    online: bool = False

    @property
    def british(self) -> bool:
        return not self.edition.config.language.lower().startswith("en-us")


def _file_text(path: Path) -> str:
    """Read a file as `load_edition` does: no newline translation, so offsets agree."""
    return path.read_bytes().decode("utf-8-sig")


def _starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def _align(value: str, source: str, start: int) -> list[int] | None:
    """Map each character of a YAML value to its offset in the file, from `start`."""
    offsets = []
    at = start
    for char in value:
        if char.isspace():
            offsets.append(at)
            continue
        found = source.find(char, at, at + 200)
        if found < 0:
            return None
        offsets.append(found)
        at = found + 1
    return offsets


def _value_text(file: str, source: str, starts: list[int], line: int | None, value: str,
                name: str) -> Text:
    """Place a YAML string value in its file, character by character where possible."""
    line = line or 1
    start = starts[min(line, len(starts)) - 1]
    colon = source.find(":", start)
    offsets = _align(value, source, colon + 1 if colon >= 0 else start)
    where = Where(starts, offsets=offsets) if offsets else Where(starts, line=line)
    return Text(file, value, where, part=name, quotation=name == "quote")


def _section_texts(section: Section) -> tuple[list[Text], list[Link]]:
    """Return a section's body and front-matter prose, and its front-matter links."""
    file = display_path(section.path)
    source = _file_text(section.path)
    starts = _starts(source)
    texts = [Text(file, section.body, Where(starts, base=starts[section.body_line - 1]))]
    links: list[Link] = []
    front, _, _ = split_front_matter(source)
    _, lines = parse_yaml(front or "", section.path, [], first_line=2)
    meta = section.meta
    for name in PROSE_FIELDS:
        value = getattr(meta, name)
        if value:
            texts.append(_value_text(file, source, starts, lines.get((name,)), value, name))
    for index, figure in enumerate(meta.figures):
        texts.append(_value_text(file, source, starts, lines.get(("figures", index, "label")),
                                 figure.label, "figure"))
    if meta.cta:
        label = _value_text(file, source, starts, lines.get(("cta", "label")), meta.cta.label,
                            "cta")
        texts.append(label)
        url = _value_text(file, source, starts, lines.get(("cta", "url")), meta.cta.url, "url")
        links.append(Link(url, 0, meta.cta.url, meta.cta.label, "field"))
    for index, event in enumerate(meta.events):
        for name in ("title", "place"):
            value = getattr(event, name)
            if value:
                texts.append(_value_text(file, source, starts,
                                         lines.get(("events", index, name)), value, "event"))
        if event.url:
            url = _value_text(file, source, starts, lines.get(("events", index, "url")),
                              event.url, "url")
            links.append(Link(url, 0, event.url, None, "field"))
    if meta.image:
        image = _value_text(file, source, starts, lines.get(("image",)), meta.image, "url")
        links.append(Link(image, 0, meta.image, meta.image_alt, "field-image"))
    return texts, links


def _edition_texts(edition: Edition) -> tuple[list[Text], list[Link], str]:
    """Return the prose and links of edition.yaml."""
    path = edition.root / "edition.yaml"
    file = display_path(path)
    source = _file_text(path)
    starts = _starts(source)
    config = edition.config
    texts = []
    for key in EDITION_PROSE:
        value: Any = config
        for part in key:
            value = getattr(value, part)
        if value:
            texts.append(_value_text(file, source, starts, edition.lines.get(key), value,
                                     key[-1]))
    links = []
    for key in (("website",), ("email", "web_url"), ("email", "pdf_url"),
                ("email", "asset_base_url")):
        value = getattr(config.email, key[1]) if len(key) == 2 else getattr(config, key[0])
        if value:
            text = _value_text(file, source, starts, edition.lines.get(key), value, "url")
            kind = "field-folder" if key[-1] == "asset_base_url" else "field"
            links.append(Link(text, 0, value, None, kind))
    if config.cover_image_alt:
        texts.append(_value_text(file, source, starts, edition.lines.get(("cover_image_alt",)),
                                 config.cover_image_alt, "image_alt"))
    return texts, links, file


def _body_links(text: Text) -> list[Link]:
    """Find the links and images of a Markdown body."""
    links = []
    source = text.codeless
    definitions = {m[1].strip().casefold(): m[2] for m in REFERENCE_DEF.finditer(source)}
    labels: list[tuple[int, int]] = []
    for match in REFERENCE_DEF.finditer(source):
        links.append(Link(text, match.start(2), match[2], None, "definition", match.end(2)))
    for match in INLINE_LINK.finditer(source):
        target = match[3].strip()
        if target.startswith("<"):
            target = target[1:].split(">", 1)[0]
        else:
            target = re.split(r"\s+", target, maxsplit=1)[0] if target else ""
        kind = "image" if match[1] else "link"
        links.append(Link(text, match.start(), target, match[2], kind, match.end()))
        labels.append((match.start(2), match.end(2)))
        for image in INLINE_LINK.finditer(match[2]):
            if image[1]:
                links.append(Link(text, match.start(2) + image.start(),
                                  image[3].strip().split()[0] if image[3].strip() else "",
                                  image[2], "image", match.start(2) + image.end()))
    for match in REFERENCE_LINK.finditer(source):
        ref = (match[3] or match[2]).strip().casefold()
        if ref in definitions:
            kind = "image" if match[1] else "link"
            links.append(Link(text, match.start(), "", match[2], kind + "-ref", match.end()))
    for match in AUTOLINK.finditer(source):
        links.append(Link(text, match.start(), match[1], None, "autolink", match.end()))
    for match in re.finditer(r"<a\s[^>]*?href\s*=\s*([\"'])(.*?)\1[^>]*>(.*?)</a>", source,
                             re.I | re.S):
        label = re.sub(r"<[^>]+>", "", match[3])
        links.append(Link(text, match.start(), match[2], label, "html", match.end()))
    for match in re.finditer(r"<img\b[^>]*>", source, re.I):
        src = re.search(r"\bsrc\s*=\s*([\"'])(.*?)\1", match[0], re.I | re.S)
        alt = re.search(r"\balt\s*=\s*([\"'])(.*?)\1", match[0], re.I | re.S)
        links.append(Link(text, match.start(), src[2] if src else "",
                          alt[2] if alt else None, "html-image", match.end()))
    for match in BARE_URL.finditer(text.linkless):
        if not any(start <= match.start() < end for start, end in labels):
            url = _trim_url(match[0])
            links.append(Link(text, match.start(), url, None, "bare", match.start() + len(url)))
    return links


def _body_headings(text: Text) -> list[Heading]:
    """Find the ATX and setext headings of a Markdown body."""
    headings = []
    lines = text.codeless.split("\n")
    for index, line in enumerate(lines):
        offset = text.line_starts[index]
        match = HEADING.match(line)
        if match and MASK not in line[: match.end(1)]:
            title = re.sub(r"[ \t]+#+[ \t]*$", "", line[match.end():]).strip()
            headings.append(Heading(text, offset + match.start(1), len(match[1]), title))
            continue
        underline = SETEXT.match(line)
        if underline and index and lines[index - 1].strip():
            above = lines[index - 1]
            if not (HEADING.match(above) or LIST_ITEM.match(above) or TABLE_ROW.match(above)
                    or SETEXT.match(above)):
                level = 1 if underline[1][0] == "=" else 2
                headings.append(Heading(text, text.line_starts[index - 1], level,
                                        above.strip()))
    return headings


def _gather(edition: Edition) -> Context:
    texts, links, edition_file = _edition_texts(edition)
    headings: list[Heading] = []
    for section in edition.sections:
        section_texts, section_links = _section_texts(section)
        body = section_texts[0]
        texts += section_texts
        links += section_links + _body_links(body)
        headings += _body_headings(body)
    for text in texts[:]:
        if text.part not in ("body", "url"):
            links += [link for link in _body_links(text) if link.kind != "definition"]
    words: set[str] = set()
    phrases: set[str] = set()
    for entry in edition.config.words:
        phrases.add(" ".join(entry.split()).casefold())
        words.update(w.casefold() for w in WORD.findall(entry.replace("’", "'")))
        words.add(entry.strip().casefold())
    return Context(edition, [t for t in texts if t.part != "url"], links, headings, words,
                   phrases, edition_file)


# --- editorial rules ----------------------------------------------------------------


GAP = re.compile(r"[ \t*_~]*\n?[ \t*_~>]*")
REPEAT_ALLOWED = {"had", "that"}
"""Words that are grammatical twice in a row: "what it had had", "that that"."""


def _gap_ok(text: Text, a: Token, b: Token) -> bool:
    gap = text.prose[a.end: b.start]
    return a.block == b.block and bool(gap) and GAP.fullmatch(gap) is not None and (
        " " in gap or "\t" in gap or "\n" in gap)


def _quote(text: Text, start: int, end: int, limit: int = 80, collapse: bool = True) -> str:
    """Return the raw text between two offsets, on one line and shortened, for a message."""
    snippet = text.raw[max(start, 0):end]
    snippet = re.sub(r"\s+", " ", snippet) if collapse else snippet.replace("\n", " ")
    snippet = snippet.strip()
    if len(snippet) > limit:
        snippet = snippet[: limit - 1].rstrip() + "…"
    return snippet


def check_repeats(ctx: Context) -> Iterator[Finding]:
    """Flag words and phrases written twice in a row."""
    for text in ctx.texts:
        tokens = text.tokens
        index = 0
        while index < len(tokens) - 1:
            a, b = tokens[index], tokens[index + 1]
            same = a.word.casefold() == b.word.casefold()
            if (same and _gap_ok(text, a, b) and not any(c.isdigit() for c in a.word)
                    and a.word.casefold() not in REPEAT_ALLOWED
                    and f"{a.word} {b.word}".casefold() not in ctx.phrases):
                yield text.finding(a.start, "repeated-word",
                                   f"'{_quote(text, a.start, b.end)}': '{a.word}' is written "
                                   "twice in a row; delete one")
                index += 2
                continue
            found = _repeated_phrase(text, index)
            if found:
                yield text.finding(a.start, "repeated-phrase",
                                   f"'{_quote(text, a.start, tokens[index + 2 * found - 1].end)}'"
                                   f": the phrase is written twice in a row; delete one")
                index += 2 * found
                continue
            index += 1


def _repeated_phrase(text: Text, index: int) -> int:
    """Return n when the n words from `index` are repeated right after (2 <= n <= 6)."""
    tokens = text.tokens
    for n in range(2, 7):
        if index + 2 * n > len(tokens):
            return 0
        run = tokens[index: index + 2 * n]
        words = [t.word.casefold() for t in run]
        if words[:n] != words[n:] or len(set(words[:n])) == 1:
            continue
        if all(any(c.isdigit() for c in w) for w in words[:n]):
            continue
        if all(_gap_ok(text, run[i], run[i + 1]) for i in range(2 * n - 1)):
            return n
    return 0


LOREM = re.compile(r"\blorem ipsum\b[^.\n]*|\bdolor sit amet\b[^.\n]*", re.I)
PLACEHOLDERS = [
    (re.compile(r"\[[A-Z]{1,4}\d{1,3}\]"), "a comment anchor left from the review"),
    (re.compile(r"(?<![\w-])(?:TODO|FIXME|TKTK|TK|XXX*|XX)(?![\w-])"), "a placeholder"),
    (LOREM, "placeholder text"),
    (re.compile(r"\[(?:insert|add|tbc|tbd|to come|citation needed|placeholder|name|link|date|"
                r"photo|image|number|figure|quote)\b[^\]\n]{0,60}\]", re.I), "a placeholder"),
    (re.compile(r"\?{3,}"), "a placeholder"),
]
PLACEHOLDER_ORGANISATIONS = {"your organisation", "your organization"}


def check_placeholders(ctx: Context) -> Iterator[Finding]:
    """Flag reviewer marks and placeholders left in the text."""
    for text in ctx.texts:
        for pattern, what in PLACEHOLDERS:
            for match in pattern.finditer(text.prose):
                if match[0].casefold() in ctx.words:
                    continue
                yield text.finding(match.start(), "placeholder",
                                   f"'{match[0]}': {what}; replace or delete it")
    organisation = ctx.edition.config.organisation
    if organisation.strip().casefold() in PLACEHOLDER_ORGANISATIONS:
        line = ctx.edition.lines.get(("organisation",), 1)
        yield Finding(ctx.edition_file, line, 1, "placeholder", "error",
                      f"'organisation: {organisation}': write the publishing organisation's name")


CASE_ALLOWED = {"macos", "watchos", "tvos", "visionos", "ipados", "opensuse", "recaptcha",
                "phpbb", "mysql", "postgresql", "javascript", "typescript", "youtube", "paypal"}
"""Names where a lower-case run meets a capital on purpose (besides one-letter ones)."""


def check_run_together_case(ctx: Context) -> Iterator[Finding]:
    """Flag a lower-case word that runs straight into a capitalised one (withUNICEF)."""
    lex = lexicon()
    for text in ctx.texts:
        for token in text.tokens:
            word = token.word.replace("’", "'")
            match = re.match(r"([a-z]{2,})([A-Z][A-Za-z]*)", word)
            if not match or word.casefold() in CASE_ALLOWED or word.casefold() in ctx.words:
                continue
            if not lex.known(match[1]) or match[1] in ctx.words:
                continue
            yield text.finding(token.start, "run-together-case",
                               f"'{token.word}': a space seems to be missing: "
                               f"'{match[1]} {match[2]}{word[match.end():]}'")


def _split_pair(lex: Lexicon, word: str) -> tuple[str, str] | None:
    """Split an unknown word into two common words, the likeliest split first."""
    best: tuple[int, str, str] | None = None
    for cut in range(1, len(word)):
        left, right = word[:cut], word[cut:]
        if left in PREFIXES:
            continue
        if lex.common(left) and lex.common(right):
            score = min(lex.frequency.get(left, 1000), lex.frequency.get(right, 1000))
            if best is None or score > best[0]:
                best = (score, left, right)
    return (best[1], best[2]) if best else None


def _is_acronym(part: str) -> bool:
    core = part[:-1] if part.endswith("s") and len(part) > 2 else part
    return len(core) >= 2 and core.isupper() and core.isalpha()


def _distance_one(a: str, b: str) -> bool:
    """Return whether two words differ by one edit or one swap of neighbours."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (len(diffs) == 2 and diffs[1] == diffs[0] + 1
                and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]])
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def check_spelling(ctx: Context) -> Iterator[Finding]:
    """Flag unknown words, words run together and names spelt two ways."""
    lex = lexicon()
    names: dict[str, list[tuple[Text, Token]]] = defaultdict(list)
    for text in ctx.texts:
        filler = [(m.start(), m.end()) for m in LOREM.finditer(text.prose)]
        for token in text.tokens:
            word = token.word.replace("’", "'")
            if any(c.isdigit() for c in word) or word.casefold() in ctx.words:
                continue
            if any(start <= token.start < end for start, end in filler):
                continue  # the placeholder rule reports lorem ipsum
            core = re.sub(r"'s?$", "", word)
            for part in core.split("-"):
                if len(part) < 2 or part.casefold() in ctx.words or part.lower() in PREFIXES:
                    continue
                if _is_acronym(part):
                    names[part.removesuffix("s")].append((text, token))
                    continue
                lower = part.lower()
                if part != lower and not (part[0].isupper() and part[1:] == lower[1:]):
                    names[part].append((text, token))  # CamelCase or iPhone: a name
                    continue
                if lex.known(lower):
                    continue
                if part != lower:
                    swap = _transposition(lex, lower)
                    if swap:
                        yield text.finding(token.start, "spelling",
                                           f"'{part}': did you mean '{swap.capitalize()}'?")
                    else:
                        names[part].append((text, token))
                    continue
                yield _unknown(ctx, lex, text, token, part)
    yield from _name_slips(ctx, names)


def _unknown(ctx: Context, lex: Lexicon, text: Text, token: Token, part: str) -> Finding:
    pair = _split_pair(lex, part) if len(part) >= 5 else None
    if pair:
        return text.finding(token.start, "run-together-words",
                            f"'{part}': two words run together? '{pair[0]} {pair[1]}'")
    suggestion = lex.suggest(part, ctx.british)
    hint = f"did you mean '{suggestion}'? " if suggestion else ""
    return text.finding(token.start, "spelling",
                        f"'{part}': unknown word; {hint}if it is right, add it to "
                        "`words:` in edition.yaml")


def _transposition(lex: Lexicon, word: str) -> str | None:
    """Return a common word that `word` becomes by swapping two neighbouring letters."""
    for i in range(1, len(word) - 1):
        swapped = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        if lex.frequency.get(swapped, 0) >= 1000:
            return swapped
    return None


def _name_slips(ctx: Context, names: dict[str, list[tuple[Text, Token]]]
                ) -> Iterator[Finding]:
    """Flag a name used once that is one letter off a listed name or a name used more."""
    listed = [w for w in ctx.edition.config.words if len(w) >= 5 and " " not in w.strip()]
    for name, uses in sorted(names.items()):
        if len(name) < 5 or name.casefold() in ctx.words:
            continue
        listed_near = next((w for w in listed if _distance_one(name, w)), None)
        if listed_near:
            why = f"the word list has '{listed_near}'"
        elif len(uses) == 1:
            used_near = next((other for other, more in names.items() if len(more) >= 2
                              and len(other) >= 5 and _distance_one(name, other)), None)
            if not used_near:
                continue
            why = f"elsewhere written '{used_near}' ({len(names[used_near])} times)"
        else:
            continue
        for text, token in uses:
            yield text.finding(token.start, "spelling", f"'{name}': {why}; check the spelling")


def _variant_of(lex: Lexicon, word: str) -> tuple[str, str, str] | None:
    """Return (family, 'british' or 'american', the other form) for a spelling variant."""
    if word in lex.variants:
        return "british/american", "british", lex.variants[word]
    match = re.fullmatch(r"([a-z]{3,})(is|iz)(e[sdr]?|ers|ing|ations?|ational|able)", word)
    if match and word not in IZE_ONLY and match[1] + "ize" not in IZE_ONLY:
        if match[2] == "is":
            other = match[1] + "iz" + match[3]
            if not lex.listed(word) and lex.listed(other):
                return "-ise/-ize", "british", other
        else:
            other = match[1] + "is" + match[3]
            if lex.listed(word) and not lex.listed(other):
                return "-ise/-ize", "american", other
    match = re.fullmatch(r"([a-z]*ly)(s|z)(e|ed|er|ers|ing)", word)
    if match:
        other = match[1] + ("z" if match[2] == "s" else "s") + match[3]
        return "-yse/-yze", "british" if match[2] == "s" else "american", other
    return None


@functools.cache
def _american_lookup() -> dict[str, str]:
    return {american: british for british, american in lexicon().variants.items()}


def check_spelling_variants(ctx: Context) -> Iterator[Finding]:
    """Flag the less used of British and American spellings when an edition mixes them."""
    lex = lexicon()
    american = _american_lookup()
    seen: dict[str, dict[str, list[tuple[Text, Token, str]]]] = defaultdict(
        lambda: defaultdict(list))
    for text in ctx.texts:
        if text.quotation:
            continue
        quoted = _quoted_spans(text)
        for token in text.tokens:
            if any(start <= token.start < end for start, end in quoted):
                continue
            for part in token.word.lower().replace("’", "'").removesuffix("'s").split("-"):
                if part in american:
                    found: tuple[str, str, str] | None = ("british/american", "american",
                                                          american[part])
                else:
                    found = _variant_of(lex, part)
                if found:
                    family, side, _ = found
                    seen[family][side].append((text, token, part))
    for family, sides in seen.items():
        if len(sides) < 2:
            continue
        british, american_uses = len(sides["british"]), len(sides["american"])
        preferred = "british" if (british, ctx.british) > (american_uses, not ctx.british) else (
            "american")
        other = "american" if preferred == "british" else "british"
        names = VARIANT_NAMES[family]
        example_text, example_token, example = sides[preferred][0]
        line, _ = example_text.where(example_token.start)
        for text, token, part in sides[other]:
            yield text.finding(token.start, "spelling-variants",
                               f"'{part}' is {names[other]}, but this edition elsewhere uses "
                               f"{names[preferred]} such as '{example}' ({example_text.file}, "
                               f"line {line}); choose one")


VARIANT_NAMES = {
    "british/american": {"british": "a British spelling", "american": "an American spelling"},
    "-ise/-ize": {"british": "an -ise spelling", "american": "an -ize spelling"},
    "-yse/-yze": {"british": "a -yse spelling", "american": "a -yze spelling"},
}
"""How messages name the two sides of each family of spelling variants."""


QUOTES = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"|‘[^’\n]{20,}’")


def _quoted_spans(text: Text) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in QUOTES.finditer(text.prose)]


DOUBLE_SPACE = re.compile(r"(?<=[^\s\x00])[ \u00a0]{2,}(?=[^\s\x00])")
DOUBLE_PUNCT = re.compile(r"(?<!\.)\.\.(?!\.)|,,+|;;+|::+|!!+|\?\?(?!\?)|[,;:][.,;:]")


def check_spacing(ctx: Context) -> Iterator[Finding]:
    """Flag two spaces between words and doubled punctuation."""
    for text in ctx.texts:
        for index, line in enumerate(text.prose.split("\n")):
            offset = text.line_starts[index]
            if TABLE_ROW.match(line):
                continue
            marker = LIST_ITEM.match(line)
            skip = marker.end() if marker else len(line) - len(line.lstrip())
            end = offset + len(line)
            for match in DOUBLE_SPACE.finditer(line, skip):
                start = offset + match.start()
                around = _quote(text, max(start - 12, offset), min(start + len(match[0]) + 12, end),
                                collapse=False)
                yield text.finding(start, "spacing",
                                   f"'{around}': {len(match[0])} spaces in a row; use one")
            for match in DOUBLE_PUNCT.finditer(line):
                start = offset + match.start()
                around = _quote(text, max(start - 15, offset), min(start + 12, end))
                yield text.finding(start, "spacing",
                                   f"'{around}': doubled punctuation '{match[0]}'")


SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[^\sa-z])|\|")
COUNTED = re.compile(r"[^\W_]+(?:['’\-.,][^\W_]+)*")


def check_long_sentences(ctx: Context) -> Iterator[Finding]:
    """Flag sentences of more than LONG_SENTENCE words (quotations excepted)."""
    for text in ctx.texts:
        if text.quotation:
            continue
        lines = text.prose.split("\n")
        by_block: dict[int, list[int]] = defaultdict(list)
        for index, number in enumerate(text.blocks):
            if not lines[index].lstrip().startswith(">"):
                by_block[number].append(index)
        for indexes in by_block.values():
            start = text.line_starts[indexes[0]]
            end = text.line_starts[indexes[-1]] + len(lines[indexes[-1]])
            block = text.prose[start:end]
            cursor = 0
            for boundary in [*SENTENCE_END.finditer(block), None]:
                stop = boundary.start() if boundary else len(block)
                sentence = block[cursor:stop]
                words = COUNTED.findall(sentence)
                if len(words) > LONG_SENTENCE:
                    lead = len(sentence) - len(sentence.lstrip())
                    first = start + cursor + lead
                    opening = " ".join(words[:8])
                    yield text.finding(first, "long-sentence",
                                       f"'{opening} …' has {len(words)} words; split it "
                                       f"(over {LONG_SENTENCE} words is hard to follow)")
                cursor = boundary.end() if boundary else len(block)


# --- accessibility rules ------------------------------------------------------------


VAGUE_LINK_TEXT = {"click here", "click", "here", "this", "this link", "link", "this page",
                   "page", "more", "read more", "learn more", "find out more", "more info",
                   "more information", "go", "go here", "see here", "website", "this website"}
FILE_NAME = re.compile(r"^\S+\.(?:png|jpe?g|gif|webp|svg|bmp|tiff?|heic)$|^(?:img|dsc|image|"
                       r"picture|photo|screenshot)[\s_-]?\d*$", re.I)


def check_images(ctx: Context) -> Iterator[Finding]:
    """Flag pictures without alt text, or with a file name for alt text."""
    for link in ctx.links:
        if link.kind not in ("image", "image-ref", "html-image", "field-image"):
            continue
        alt = (link.label or "").strip()
        where = link.target or "the picture"
        if link.kind == "html-image" and link.label is not None and not alt:
            continue  # alt="" marks a decorative picture on purpose
        if not alt:
            yield link.text.finding(link.offset, "image-alt",
                                    f"'{link.quote()}': {where} has no alt text; describe "
                                    "what it shows")
        elif FILE_NAME.match(alt):
            yield link.text.finding(link.offset, "image-alt",
                                    f"'{alt}': the alt text of {where} is a file name; "
                                    "describe what the picture shows")


def check_headings(ctx: Context) -> Iterator[Finding]:
    """Flag headings that skip a level inside a section body."""
    previous: dict[str, int] = {}
    for heading in ctx.headings:
        before = previous.get(heading.text.file, 0)
        if heading.level > before + 1:
            marks = "#" * heading.level
            yield heading.text.finding(
                heading.offset, "heading-levels",
                f"'{marks} {heading.title}' skips a level after "
                f"{'the section title' if before == 0 else '#' * before + ' heading'}; "
                f"use {'#' * (before + 1)}")
        previous[heading.text.file] = heading.level


def check_link_text(ctx: Context) -> Iterator[Finding]:
    """Flag link text that means nothing out of context, and bare URLs."""
    for link in ctx.links:
        if link.kind in ("autolink", "bare"):
            if not re.match(r"(?i)^(?:https?|ftp)://", link.target):
                continue  # e-mail addresses, and www. names written as text
            yield link.text.finding(link.offset, "link-text",
                                    f"'{link.target}': a bare address; screen readers spell "
                                    f"it out: write [what it leads to]({link.target})")
            continue
        if link.kind not in ("link", "link-ref", "html", "field") or link.label is None:
            continue
        if "![" in link.label or "<img" in link.label.lower():
            continue  # the picture's alt text names the link
        label = re.sub(r"[*_`~]", "", link.label).strip()
        plain = re.sub(r"[^\w\s]", "", label).strip().casefold()
        if plain in VAGUE_LINK_TEXT:
            yield link.text.finding(link.offset, "link-text",
                                    f"'{label}': link text that says nothing on its own; "
                                    "name where the link leads")
        elif re.match(r"(?i)^(?:https?://|www\.)\S+$", label):
            yield link.text.finding(link.offset, "link-text",
                                    f"'{label}': a bare address as link text; say what "
                                    "it leads to")


def _luminance(colour: str) -> float | None:
    match = re.fullmatch(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})", colour.strip())
    if not match:
        return None
    digits = match[1] if len(match[1]) == 6 else "".join(c * 2 for c in match[1])
    channels = []
    for i in range(0, 6, 2):
        c = int(digits[i: i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast_ratio(foreground: str, background: str) -> float | None:
    """Return the WCAG contrast ratio of two #rrggbb colours, or None if unreadable."""
    a, b = _luminance(foreground), _luminance(background)
    if a is None or b is None:
        return None
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)


CONTRAST_PAIRS = [("ink", "paper", "body text"), ("muted", "paper", "captions and dates"),
                  ("accent", "paper", "links and headings"),
                  ("accent_ink", "accent", "button text"), ("band_ink", "band", "text on the band")]


def check_contrast(ctx: Context) -> Iterator[Finding]:
    """Flag theme text colours below 4.5:1 on their background."""
    if ctx.theme is None:
        return
    path = ctx.edition.root.parent.parent / "templates" / ctx.edition.config.theme / "theme.yaml"
    source = path.read_text(encoding="utf-8") if path.is_file() else ""
    colours = ctx.theme.colours
    for fore, back, what in CONTRAST_PAIRS:
        a, b = getattr(colours, fore), getattr(colours, back)
        ratio = contrast_ratio(a, b)
        if ratio is None or ratio >= MIN_CONTRAST:
            continue
        match = re.search(rf"^\s*{fore}\s*:", source, re.M)
        line = source.count("\n", 0, match.start()) + 1 if match else 1
        yield Finding(display_path(path), line, 1, "contrast", "error",
                      f"'{fore}: {a}' on '{back}: {b}' ({what}) has a contrast of "
                      f"{ratio:.1f}:1; WCAG 2.2 AA needs {MIN_CONTRAST}:1 — darken or lighten one")


def check_language(ctx: Context) -> Iterator[Finding]:
    """Flag an edition.yaml that does not set the language."""
    if ("language",) not in ctx.edition.lines:
        yield Finding(ctx.edition_file, 1, 1, "language", "error",
                      "edition.yaml sets no language, so screen readers may read the text "
                      "with the wrong voice; add a line such as 'language: en-GB'")


# --- link rules ---------------------------------------------------------------------


SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
HOST = re.compile(r"^(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+(?:[^\W\d_]{2,63}|xn--[a-z0-9-]+)\.?$")
IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
MERGE_TAG = re.compile(r"^(?:\*\|.*\|\*|\{\{.*\}\}|\{%.*%\}|\[\[.*\]\]|%%.*%%|\$\{.*\}|\{\$.*\})$")
OTHER_SCHEMES = {"tel", "sms", "ftp", "ftps", "webcal", "geo", "cid", "data"}
MAILTO_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[^\W_](?:[\w-]*[^\W_])?\.)+"
                            r"[^\W\d_]{2,}$")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def url_problem(target: str) -> str | None:
    """Return what is wrong with a link address, or None (mailto and #anchors aside)."""
    if not target:
        return "the link has no address"
    if MERGE_TAG.match(target):
        return None
    if re.search(r"\s", target):
        return "the address has a space in it"
    match = SCHEME.match(target)
    if not match:
        if re.match(r"(?i)^https?/*/", target) or re.match(r"(?i)^https?//", target):
            return "the address is missing the ':' after http(s)"
        if target.startswith("//"):
            return "the address starts with //; write https://"
        if re.match(r"(?i)^www\.", target) or (
                DOMAIN.fullmatch(target) and not re.search(r"\.(md|html?|pdf|png|jpe?g)$", target)):
            return "the address has no https:// in front, so it points to a file"
        return None
    scheme = match[1].lower()
    if scheme in ("http", "https"):
        rest = target[match.end():]
        if not rest.startswith("//"):
            return f"'{scheme}:' must be followed by //"
        if re.match(r"(?i)^https?://+(?:https?|www)[:/]{1,3}(?!\w*\.)", target) or re.match(
                r"(?i)^https?://+https?:", target):
            return "the address has its scheme twice"
        try:
            host = urllib.parse.urlsplit(target).hostname
        except ValueError:
            return "the address cannot be read (check the port or brackets)"
        if not host:
            return "the address has no site name"
        if host not in LOCAL_HOSTS and not IPV4.match(host) and not HOST.match(host):
            return f"'{host}' is not a complete site name"
        return None
    if scheme == "mailto" or scheme in OTHER_SCHEMES or MERGE_TAG.match(target):
        return None
    if scheme in ("javascript", "vbscript", "file") or len(scheme) == 1:
        return f"'{scheme}:' links do not work in a published edition"
    near = difflib.get_close_matches(scheme, ["https", "http", "mailto"], n=1, cutoff=0.6)
    if near:
        return f"'{scheme}:' looks like a misspelt '{near[0]}:'"
    return None


def mailto_problem(target: str) -> str | None:
    """Return what is wrong with a mailto: address, or None."""
    body = target[len("mailto:"):]
    addresses, _, _ = body.partition("?")
    if not addresses:
        return "the mailto: link has no address"
    for address in urllib.parse.unquote(addresses).split(","):
        if not MAILTO_ADDRESS.match(address.strip()):
            return f"'{address.strip()}' is not a complete e-mail address"
    return None


def _anchors(ctx: Context) -> set[str]:
    """Return every id a #link can point to: sections, headings, explicit ids."""
    ids = {"top", "main", "content", "contents"}
    for section in ctx.edition.sections:
        ids.add(section.id)
    for heading in ctx.headings:
        slug = Path(heading.text.file).stem.split("-", 1)[-1]
        ids.add(f"{slug}-{slugify(heading.title)}")
    for text in ctx.texts:
        ids.update(m[1] for m in re.finditer(r"\{:?[^}\n]*#([\w:-]+)[^}\n]*\}", text.codeless))
        ids.update(m[2] for m in re.finditer(r"\b(?:id|name)\s*=\s*([\"'])(.*?)\1",
                                             text.codeless))
    return ids


FOOTNOTE_ID = re.compile(r"^[a-z0-9-]+-fn(?:ref)?-\w+$")


def check_links(ctx: Context) -> Iterator[Finding]:
    """Flag malformed addresses, http:// links, broken anchors and mailto: links."""
    anchors: set[str] | None = None
    for link in ctx.links:
        target = link.target
        if link.kind in ("link-ref", "image-ref") or MERGE_TAG.match(target or "-"):
            continue
        quoted = link.quote()
        lower = target.lower()
        if lower.startswith("mailto:"):
            problem = mailto_problem(target)
            if problem:
                yield link.text.finding(link.offset, "mailto", f"'{quoted}': {problem}")
            continue
        if link.kind in ("link", "html", "field", "definition") and EMAIL.fullmatch(target):
            yield link.text.finding(link.offset, "mailto",
                                    f"'{quoted}': an e-mail address needs mailto: in front "
                                    f"(mailto:{target})")
            continue
        if target.startswith("#"):
            if link.kind in ("image", "html-image", "field-image"):
                continue
            anchors = anchors if anchors is not None else _anchors(ctx)
            if target[1:] not in anchors and not FOOTNOTE_ID.match(target[1:]):
                near = difflib.get_close_matches(target[1:], sorted(anchors), n=1)
                hint = f"; did you mean '#{near[0]}'?" if near else ""
                yield link.text.finding(link.offset, "anchor",
                                        f"'{quoted}': nothing in the edition is called "
                                        f"'{target}'{hint}")
            continue
        problem = url_problem(target)
        if link.kind == "bare" and not SCHEME.match(target):
            continue  # a www. name written as text, not a link
        if problem:
            yield link.text.finding(link.offset, "url", f"'{quoted}': {problem}")
            continue
        if lower.startswith("http://"):
            host = urllib.parse.urlsplit(target).hostname or ""
            if host not in LOCAL_HOSTS:
                yield link.text.finding(link.offset, "http-link",
                                        f"'{target}': use https:// (readers' browsers warn "
                                        "about http:// pages)")


def _probe(url: str) -> str | None:
    """Ask a server for a page; return why the link is dead, or None when it answers."""
    headers = {"User-Agent": "Folio link check (+https://github.com/)"}
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10):
                return None
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in (403, 405, 501):
                continue
            if exc.code in (401, 403, 429):
                return None  # the page is there; the server turns robots away
            return f"the server answers {exc.code} {exc.reason}"
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            return f"no answer ({reason})"
    return None


def check_dead_links(ctx: Context) -> Iterator[Finding]:
    """Ask every external page whether it is there (only with `online`)."""
    if not ctx.online:
        return
    targets: dict[str, list[Link]] = defaultdict(list)
    for link in ctx.links:
        if link.kind in ("link", "html", "field", "autolink", "bare", "definition") and (
                link.target.lower().startswith(("http://", "https://"))
                and url_problem(link.target) is None):
            targets[link.target].append(link)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = dict(zip(targets, pool.map(_probe, list(targets)), strict=True))
    for url, why in results.items():
        if why:
            for link in targets[url]:
                yield link.text.finding(link.offset, "dead-link", f"'{url}': {why}")


# --- email rules --------------------------------------------------------------------


UNSUPPORTED_EMAIL_CSS: dict[str, str] = {
    "display:flex": "Outlook for Windows ignores flexbox; lay out with tables",
    "display:inline-flex": "Outlook for Windows ignores flexbox; lay out with tables",
    "display:grid": "Outlook and Gmail ignore CSS grid; lay out with tables",
    "display:inline-grid": "Outlook and Gmail ignore CSS grid; lay out with tables",
    "flex*": "flexbox properties do nothing in Outlook for Windows",
    "grid*": "grid properties do nothing in Outlook or Gmail",
    "position": "Gmail and Outlook drop `position`; the element lands elsewhere",
    "transform": "Outlook and Gmail ignore transforms",
    "transition": "Outlook and Gmail ignore transitions",
    "animation*": "Outlook and Gmail ignore animations",
    "clip-path": "Outlook and Gmail ignore clip-path",
    "filter": "Outlook and Gmail ignore CSS filters",
    "backdrop-filter": "Outlook and Gmail ignore CSS filters",
    "mix-blend-mode": "Outlook and Gmail ignore blend modes",
    "object-fit": "Outlook and Gmail ignore object-fit; crop the picture itself",
    "--*": "Outlook and Gmail do not support CSS custom properties",
    "var()": "Outlook and Gmail do not support var(); write the value",
    "@import": "Gmail and Outlook do not load imported style sheets",
    "@font-face": "Gmail and Outlook ignore web fonts; use the fallback fonts",
}
"""CSS that Outlook (Windows desktop) or Gmail ignore, with what to do instead."""


def _css_problem(prop: str, value: str) -> str | None:
    prop = prop.strip().lower()
    value = value.strip().lower()
    first = value.split()[0] if value.split() else ""
    for key in (f"{prop}:{first}", prop):
        if key in UNSUPPORTED_EMAIL_CSS:
            if prop == "position" and first == "static":
                return None
            return UNSUPPORTED_EMAIL_CSS[key]
    for key, why in UNSUPPORTED_EMAIL_CSS.items():
        if key.endswith("*") and prop.startswith(key[:-1]):
            return why
    if "var(" in value:
        return UNSUPPORTED_EMAIL_CSS["var()"]
    return None


def _without_media(css: str) -> str:
    """Blank out @media blocks (progressive enhancement) and comments, keeping offsets."""
    css = re.sub(r"/\*.*?\*/", lambda m: _blank(m[0]), css, flags=re.S)
    out = list(css)
    for match in re.finditer(r"@media\b[^{]*\{", css):
        depth, index = 1, match.end()
        while index < len(css) and depth:
            depth += {"{": 1, "}": -1}.get(css[index], 0)
            index += 1
        for i in range(match.start(), index):
            if out[i] != "\n":
                out[i] = MASK
    return "".join(out)


class _EmailScan(html.parser.HTMLParser):
    """Collect the images, style blocks and style attributes of an email page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_head = False
        self.style: tuple[int, int, bool] | None = None
        self.buffer: list[str] = []
        self.styles: list[tuple[str, int, bool]] = []
        self.images: list[tuple[str, int, int]] = []
        self.attributes: list[tuple[str, int, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        values = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        elif tag == "style":
            self.style = (line, column, self.in_head)
            self.buffer = []
        elif tag == "img":
            self.images.append((values.get("src") or "", line, column + 1))
        if values.get("style"):
            self.attributes.append((values["style"] or "", line, column + 1))

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False
        elif tag == "style" and self.style:
            self.styles.append(("".join(self.buffer), self.style[0], self.style[2]))
            self.style = None

    def handle_data(self, data: str) -> None:
        if self.style:
            self.buffer.append(data)


def _email_file(ctx: Context) -> str:
    return display_path(ctx.edition.root.parent.parent / "build" / ctx.edition.slug /
                        "email.html")


def check_email(ctx: Context) -> Iterator[Finding]:
    """Flag an email page too big for Gmail, its head styles, images and CSS."""
    if ctx.email_html is None:
        yield from _email_sources(ctx)
        return
    page = ctx.email_html
    file = _email_file(ctx)
    size = len(page.encode("utf-8"))
    if size >= EMAIL_CLIP:
        yield Finding(file, 1, 1, "email-size", "error",
                      f"email.html is {size / KB:.0f} KB; Gmail clips messages of "
                      f"{EMAIL_CLIP // KB} KB and more: shorten the text or use digest mode")
    elif size > EMAIL_WARN:
        yield Finding(file, 1, 1, "email-size", "warning",
                      f"email.html is {size / KB:.0f} KB, close to Gmail's "
                      f"{EMAIL_CLIP // KB} KB clip")
    scan = _EmailScan()
    scan.feed(page)
    scan.close()
    head = sum(len(css.encode("utf-8")) for css, _, in_head in scan.styles if in_head)
    if head > HEAD_STYLES_LIMIT:
        line = next(line for _, line, in_head in scan.styles if in_head)
        yield Finding(file, line, 1, "email-head-styles", "warning",
                      f"the <head> styles are {head / KB:.1f} KB; Gmail drops them all "
                      f"over {HEAD_STYLES_LIMIT // KB} KB")
    relative = []
    for src, line, column in scan.images:
        problem = _email_image_problem(src)
        if problem:
            yield Finding(file, line, column, "email-images", "error",
                          f"'{src[:60]}': {problem}")
        elif not src.strip().lower().startswith(("http://", "https://", "cid:")):
            relative.append(src)
    if relative:
        yield _no_asset_base(ctx, relative)
    for css, line, _ in scan.styles:
        kept = _without_media(css)
        for match in re.finditer(r"@(import|font-face)\b", kept):
            yield Finding(file, line + kept.count("\n", 0, match.start()), 1, "email-css",
                          "warning", f"'{match[0]}': {UNSUPPORTED_EMAIL_CSS[match[0]]}")
        for match in re.finditer(r"([-\w]+)\s*:\s*([^;{}]+)", kept):
            problem = _css_problem(match[1], match[2])
            if problem and "{" not in kept[match.end(): match.end() + 1]:
                yield Finding(file, line + kept.count("\n", 0, match.start()), 1, "email-css",
                              "warning", f"'{match[1]}: {match[2].strip()}': {problem}")
    for style, line, column in scan.attributes:
        for match in re.finditer(r"([-\w]+)\s*:\s*([^;]+)", style):
            problem = _css_problem(match[1], match[2])
            if problem:
                yield Finding(file, line, column, "email-css", "warning",
                              f"'{match[1]}: {match[2].strip()}': {problem}")


def _email_image_problem(src: str) -> str | None:
    lower = src.strip().lower()
    if lower.startswith("data:"):
        return "a data: image, which Gmail and Outlook do not show; link a PNG or JPEG"
    if urllib.parse.urlsplit(lower).path.endswith(".svg"):
        return "an SVG image, which Gmail and Outlook do not show; use PNG"
    return None


def _no_asset_base(ctx: Context, images: list[str]) -> Finding:
    """Say once, at edition.yaml, that the email's pictures have no address on the web."""
    line = ctx.edition.lines.get(("email",), 1)
    return Finding(ctx.edition_file, line, 1, "email-images", "warning",
                   f"'{images[0]}' and the email's other pictures ({len(images)} in all) have "
                   "no web address: email.eml carries them, but email.html pasted into a "
                   "sending service shows none; upload email-images/ and set "
                   "'email: asset_base_url:'")


def _email_sources(ctx: Context) -> Iterator[Finding]:
    """Without a rendered email, judge the images the edition gives it."""
    images = [link for link in ctx.links
              if link.kind in ("image", "html-image", "field-image")]
    config = ctx.edition.config
    pictures = [link.target for link in images] + [p for p in (config.logo, config.cover_image)
                                                   if p]
    if pictures and not config.email.asset_base_url:
        yield _no_asset_base(ctx, pictures)
    for link in images:
        lower = link.target.lower()
        if lower.startswith("data:") or urllib.parse.urlsplit(lower).path.endswith(".svg"):
            kind = "data:" if lower.startswith("data:") else "SVG"
            yield link.text.finding(link.offset, "email-images",
                                    f"'{link.target[:60]}': a {kind} image, which Gmail and "
                                    "Outlook do not show; use PNG or JPEG", "warning")


# --- running the rules --------------------------------------------------------------


# A `key: value` line whose plain (unquoted) value has ` #`: YAML drops the rest.
CUT_BY_COMMENT = re.compile(
    r"^(\s*(?:- )?[\w-]+:[ \t]+)(?![\"'|>\[{&*!])([^#\n]*?\S)[ \t]+#(\S.*)$", re.M)


def check_yaml_comments(ctx: Context) -> Iterator[Finding]:
    """Flag unquoted YAML values that a ` #` cuts short (a hashtag read as a comment)."""
    files = [(ctx.edition.root / "edition.yaml", None)] + [
        (s.path, s.body_line - 1) for s in ctx.edition.sections]
    for path, end in files:
        source = _file_text(path)
        lines = source.split("\n")
        block = "\n".join(lines[:end] if end else lines)
        for match in CUT_BY_COMMENT.finditer(block):
            line = block.count("\n", 0, match.start()) + 1
            kept, dropped = match[2].strip(), match[3].strip()
            yield Finding(display_path(path), line, len(match[1]) + 1, "yaml-comment", "warning",
                          f"'{kept} #{dropped[:40]}': YAML reads ' #{dropped[:20]}...' as a "
                          "comment and drops it; put the whole value in double quotes")


CHECKS: list[tuple[tuple[str, ...], Callable[[Context], Iterator[Finding]]]] = [
    (("repeated-word", "repeated-phrase"), check_repeats),
    (("placeholder",), check_placeholders),
    (("run-together-case",), check_run_together_case),
    (("spelling", "run-together-words"), check_spelling),
    (("spelling-variants",), check_spelling_variants),
    (("spacing",), check_spacing),
    (("long-sentence",), check_long_sentences),
    (("image-alt",), check_images),
    (("heading-levels",), check_headings),
    (("link-text",), check_link_text),
    (("contrast",), check_contrast),
    (("language",), check_language),
    (("url", "http-link", "anchor", "mailto"), check_links),
    (("dead-link",), check_dead_links),
    (("email-size", "email-head-styles", "email-images", "email-css"), check_email),
    (("yaml-comment",), check_yaml_comments),
]
"""Each check function with the rules it reports, in the order they run."""

ENGLISH_ONLY = {"spelling", "run-together-words", "spelling-variants", "run-together-case"}


def enabled_rules(edition: Edition, online: bool = False) -> set[str]:
    """Return the names of the rules that run on `edition`."""
    switches = edition.config.checks
    names = {name for name, rule in RULES.items() if switches.get(name, rule.default)}
    if online and switches.get("dead-link", True):
        names.add("dead-link")
    if not edition.config.language.lower().startswith("en"):
        names -= ENGLISH_ONLY
    return names


def check_edition(
    edition_dir: Path, *, email_html: str | None = None, theme: ThemeConfig | None = None,
    online: bool = False,
) -> list[Finding]:
    """Check an edition; return its findings sorted by file, line and column.

    `email_html` is the rendered email page (None skips the size, head and CSS rules);
    `theme` the theme whose colours to check (None skips contrast); `online` lets the
    dead-link rule ask the web. A broken edition raises `ContentError`.
    """
    edition = load_edition(edition_dir)
    ctx = _gather(edition)
    ctx.email_html, ctx.theme, ctx.online = email_html, theme, online
    enabled = enabled_rules(edition, online)
    findings: set[Finding] = set()
    for rules, run in CHECKS:
        if enabled.intersection(rules):
            findings.update(f for f in run(ctx) if f.rule in enabled)
    for name in edition.config.checks:
        if name not in RULES:
            near = difflib.get_close_matches(name, list(RULES), n=1)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            findings.add(Finding(ctx.edition_file, edition.lines.get(("checks", name), 1), 1,
                                 "unknown-check", "error",
                                 f"'checks: {name}': there is no such rule{hint}"))
    order = {ctx.edition_file: 0}
    return sorted(findings, key=lambda f: (order.get(f.file, 1), f.file, f.line, f.column,
                                           f.rule))


def format_findings(findings: list[Finding], fmt: str) -> str:
    """Render findings as `text` (one `file:line:column: severity rule: message` a line)
    or `json` (a list of objects with those six keys)."""
    if fmt == "json":
        return json.dumps([asdict(f) for f in findings], indent=2, ensure_ascii=False)
    if fmt == "text":
        return "\n".join(str(f) for f in findings)
    raise ValueError(f"unknown format {fmt!r}; use 'text' or 'json'")


def exit_status(findings: list[Finding]) -> int:
    """Return 1 when any finding is an error, else 0."""
    return 1 if any(f.severity == "error" for f in findings) else 0
