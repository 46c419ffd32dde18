"""Editorial rules: prose -> findings for the slips an editor would mark.

- repeated-word, repeated-phrase: "the the", or a phrase doubled when a sentence was
  reworded;
- placeholder: reviewer marks left in pasted text (comment anchors such as [AB1]), TODO,
  TK, lorem ipsum, and the "Your organisation" the importer writes for the user to fill in;
- run-together-case, run-together-words: a space lost, often in text pasted from PDFs and
  slides ("withUNICEF", "childprotection");
- spelling: words in neither the dictionary (see `lexicon`) nor the edition's `words:`,
  and a name spelt two ways;
- spelling-variants: British and American spellings mixed in one edition, where house
  style asks for one;
- spacing: doubled spaces and punctuation;
- long-sentence: sentences over LONG_SENTENCE words, which readers find hard to follow.

`spelling` runs with the dictionary of the edition's language (`lexicon.DICTIONARIES`); the
other rules here that judge words run on English editions only (`ENGLISH_ONLY` in `folio.check`).
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterator
from urllib.parse import urlsplit

from ..content import REVIEW_ANCHOR
from ..errors import display_path
from .lexicon import IZE_ONLY, PREFIXES, Lexicon, dictionary_for, lexicon
from .registry import Finding, Rule, rule
from .texts import LIST_ITEM, TABLE_ROW, Context, Text, Token, quote

LONG_SENTENCE = 40


GAP = re.compile(r"[ \t*_~]*\n?[ \t*_~>]*")
REPEAT_ALLOWED = {"had", "that"}
LATIN = re.compile(r"[A-Za-z]")
"""What an English word holds at least one of; other words are not spell-checked."""
"""Words that are grammatical twice in a row: "what it had had", "that that"."""


def _gap_ok(text: Text, a: Token, b: Token) -> bool:
    gap = text.prose[a.end: b.start]
    return a.block == b.block and bool(gap) and GAP.fullmatch(gap) is not None and (
        " " in gap or "\t" in gap or "\n" in gap)


@rule(
    Rule("repeated-word", "editorial", "error",
         "The same word twice in a row, in any case, also across a line break.",
         "We thank the\nthe members."),
    Rule("repeated-phrase", "editorial", "warning",
         "A phrase of 2 to 6 words written twice in a row.",
         "at the start at the start of the year"),
)
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
                                   f"'{quote(text, a.start, b.end)}': '{a.word}' is written "
                                   "twice in a row; delete one")
                index += 2
                continue
            found = _repeated_phrase(text, index)
            if found:
                yield text.finding(a.start, "repeated-phrase",
                                   f"'{quote(text, a.start, tokens[index + 2 * found - 1].end)}'"
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
    (REVIEW_ANCHOR, "a comment anchor left from the review"),
    (re.compile(r"(?<![\w-])(?:TODO|FIXME|TKTK|TK|XXX*|XX)(?![\w-])"), "a placeholder"),
    (LOREM, "placeholder text"),
    (re.compile(r"\[(?:insert|add|tbc|tbd|to come|citation needed|placeholder|name|link|date|"
                r"photo|image|number|figure|quote)\b[^\]\n]{0,60}\]", re.I), "a placeholder"),
    (re.compile(r"\?{3,}"), "a placeholder"),
]
PLACEHOLDER_ORGANISATIONS = {"your organisation", "your organization"}
STARTER_TEXT = (
    "One line under the title", "One sentence for search engines and link previews.",
    "One or two sentences that the email digest shows.", "Write the opening here.",
    "Footnotes become real page footnotes in the PDF.",
    "A sentence about what the numbers mean.", "Tell the reader what to do next.",
)
"""The sentences `folio new` writes for the writer to replace (folio/scaffold.py)."""
STARTER_FIGURES = (("120", "members"), ("8", "countries"), ("3", "reports published"))
"""The key figures `folio new` writes: made up, so they must not be published."""
STARTER_HOST = re.compile(r"(?:^|[.@])your-organi[sz]ation\.example$", re.I)
"""The web and email addresses `folio new` writes (`.example` is reserved: none exists)."""


@rule(
    Rule("placeholder", "editorial", "error",
         "Reviewer marks and placeholders left in: comment anchors such as [AB1], TODO, "
         "FIXME, TK, XXX, lorem ipsum, [insert ...], the importer's 'Your organisation', and "
         "the example sentences, figures and addresses `folio new` writes.",
         "We reached XX young people [AB1]."),
)
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
        line, column = ctx.place(("organisation",))
        yield Finding(ctx.edition_file, line, column, "placeholder", "error",
                      f"'organisation: {organisation}': write the publishing organisation's name")
    yield from _starter_text(ctx)


def _starter_text(ctx: Context) -> Iterator[Finding]:
    """Flag what `folio new` wrote and the writer has not replaced yet."""
    for text in ctx.texts:
        for sentence in STARTER_TEXT:
            at = text.raw.find(sentence)
            if at >= 0:
                said = sentence if text.part == "body" else f"{text.part}: {sentence}"
                yield text.finding(at, "placeholder", f"'{said}': the example text "
                                   "`folio new` wrote; write your own or delete it")
    for link in ctx.links:
        if STARTER_HOST.search(urlsplit(link.target).hostname or ""):
            yield link.text.finding(link.offset, "placeholder", f"'{link.target}': the "
                                    "example address `folio new` wrote; link to your own page")
    sender = ctx.edition.config.email.sender or ""
    if sender and STARTER_HOST.search(sender.rpartition("@")[2].strip(" >")):
        line, column = ctx.place(("email", "from"))
        yield Finding(ctx.edition_file, line, column, "placeholder", "error",
                      f"'from: {sender}': the example address `folio new` wrote; write the "
                      "address your email is sent from")
    for section in ctx.edition.sections:
        if tuple((f.value, f.label) for f in section.meta.figures) == STARTER_FIGURES:
            file = display_path(section.path)
            label = next(t for t in ctx.texts if t.file == file and t.part == "figure")
            yield label.finding(0, "placeholder", "'figures': the example figures `folio "
                                "new` wrote; write your own")


CASE_ALLOWED = {"macos", "watchos", "tvos", "visionos", "ipados", "opensuse", "recaptcha",
                "phpbb", "mysql", "postgresql", "javascript", "typescript", "youtube", "paypal"}
"""Names where a lower-case run meets a capital on purpose (besides one-letter ones)."""


@rule(
    Rule("run-together-case", "editorial", "error",
         "A lower-case word running straight into a capitalised one; names such as "
         "iPhone or macOS, and words in the edition's list, are allowed.",
         "in partnership withUNICEF"),
)
def check_run_together_case(ctx: Context) -> Iterator[Finding]:
    """Flag a lower-case word that runs straight into a capitalised one (withUNICEF)."""
    for text in ctx.texts:
        for token in text.tokens:
            word = token.word.replace("’", "'")
            match = re.match(r"([a-z]{2,})([A-Z][A-Za-z]*)", word)
            if not match or word.casefold() in CASE_ALLOWED or word.casefold() in ctx.words:
                continue
            if not lexicon().known(match[1]) or match[1] in ctx.words:  # loaded if needed
                continue
            yield text.finding(token.start, "run-together-case",
                               f"'{token.word}': a space seems to be missing: "
                               f"'{match[1]} {match[2]}{word[match.end():]}'")


LONGEST_WORD = 30
"""Longer than any common word: no split of a longer run is tried."""


def _split_pair(lex: Lexicon, word: str) -> tuple[str, str] | None:
    """Split an unknown word into two common words, the likeliest split first."""
    best: tuple[int, str, str] | None = None
    if len(word) > 2 * LONGEST_WORD:
        return None  # no two words make it; trying every cut would take the square of its length
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
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (len(diffs) == 2 and diffs[1] == diffs[0] + 1
                and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]])
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


@rule(
    Rule("run-together-words", "editorial", "warning",
         "An unknown word that splits into two common words.",
         "a report on childprotection"),
    Rule("spelling", "editorial", "warning",
         "A lower-case word that is in neither the dictionary (British and American "
         "spellings) nor the edition's `words:` list, and a name spelt two ways.",
         "We will acheive more."),
)
def check_spelling(ctx: Context) -> Iterator[Finding]:
    """Flag unknown words, words run together and names spelt two ways."""
    lex = lexicon(dictionary_for(ctx.edition.config.language) or "en")
    names: dict[str, list[tuple[Text, Token]]] = defaultdict(list)
    for text in ctx.texts:
        filler = [(m.start(), m.end()) for m in LOREM.finditer(text.prose)]
        filler += [(m.start(), m.end()) for m in ATTRIBUTE_LIST.finditer(text.raw)]
        foreign = {text.block_at(m.start()) for m in ATTRIBUTE_LIST.finditer(text.raw)
                   if m[1] and dictionary_for(m[1]) != lex.language}
        for token in text.tokens:
            if token.block in foreign:
                continue  # a paragraph marked as another language: {: lang="en" }
            word = token.word.replace("’", "'")
            if any(c.isdigit() for c in word) or word.casefold() in ctx.words:
                continue
            if not LATIN.search(word):
                continue  # a word in another script is no English misspelling
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


ATTRIBUTE_LIST = re.compile(r"\{:[^}\n]*?(?:\blang=[\"']?([\w-]+)[^}\n]*)?\}")
"""Markdown's attributes of a block, `{: dir="ltr" lang="en" }`: markup, not words."""


def _unknown(ctx: Context, lex: Lexicon, text: Text, token: Token, part: str) -> Finding:
    pair = _split_pair(lex, part) if len(part) >= 5 and lex.language == "en" else None
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


@rule(
    Rule("spelling-variants", "editorial", "warning",
         "British and American spellings mixed in one edition: -ise/-ize, -yse/-yze, "
         "colour/color and the like. The spelling used less often is flagged.",
         "We organise events. They organize webinars."),
)
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


QUOTES = re.compile(r"“[^“”\n]*”|\"[^\"\n]*\"|‘[^‘’\n]{20,}’")


def _quoted_spans(text: Text) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in QUOTES.finditer(text.prose)]


DOUBLE_SPACE = re.compile(r"(?<=[^\s\x00])[ \u00a0]{2,}(?=[^\s\x00])")
DOUBLE_PUNCT = re.compile(r"(?<!\.)\.\.(?!\.)|,,+|;;+|::+|!!+|\?\?(?!\?)|[,;:][.,;:]")


@rule(
    Rule("spacing", "editorial", "warning",
         "Two spaces between words, or doubled punctuation (,, .. ;; !! ??).",
         "The report,, published  in May"),
)
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
                around = quote(text, max(start - 12, offset), min(start + len(match[0]) + 12, end),
                                collapse=False)
                yield text.finding(start, "spacing",
                                   f"'{around}': {len(match[0])} spaces in a row; use one")
            for match in DOUBLE_PUNCT.finditer(line):
                start = offset + match.start()
                around = quote(text, max(start - 15, offset), min(start + 12, end))
                yield text.finding(start, "spacing",
                                   f"'{around}': doubled punctuation '{match[0]}'")


SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[^\sa-z])|\|")
COUNTED = re.compile(r"[^\W_]+(?:['’\-.,][^\W_]+)*")


@rule(
    Rule("long-sentence", "editorial", "warning",
         f"A sentence of more than {LONG_SENTENCE} words; quotations are left alone.",
         "(any sentence of 41 words or more)"),
)
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
                words = list(COUNTED.finditer(sentence))
                if len(words) > LONG_SENTENCE:
                    lead = len(sentence) - len(sentence.lstrip())
                    first = start + cursor + lead
                    # as written, commas and all, so that it can be searched for
                    opening = quote(text, first, start + cursor + words[7].end(), limit=120)
                    yield text.finding(first, "long-sentence",
                                       f"'{opening} …' has {len(words)} words; split it "
                                       f"(over {LONG_SENTENCE} words is hard to follow)")
                cursor = boundary.end() if boundary else len(block)
