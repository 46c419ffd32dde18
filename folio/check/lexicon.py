"""The dictionary: word lists -> a Lexicon per language; the English one knows British and
American spellings.

The words are pyspellchecker's (American) English dictionary plus Folio's own lists in
`folio/wordlists/`: `en-extra.txt` (British forms no rule derives, and the vocabulary of
newsletters, charities and digital policy) and `en-variants.txt` (British -> American
pairs such as colour/color). Other British forms are found by rewriting them into
American ones (-our -> -or, -ise -> -ize, -tre -> -ter, ...).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

WORDLISTS = Path(__file__).parent.parent / "wordlists"


def _read_list(name: str) -> list[str]:
    """Read a word list from folio/wordlists: one entry a line, # comments."""
    text = (WORDLISTS / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


DICTIONARIES = frozenset({"en", "es", "fr", "pt", "de", "it", "ru", "ar", "lv", "eu", "nl", "fa"})
"""The languages pyspellchecker has a dictionary for: `check` spells only these."""

ARABIC_CLITICS = ("وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
"""Letters written joined to the front of an Arabic word (and, so, with, for, the ...)."""

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


WIDE_SEARCHES = 25
"""How many unknown words get a two-edit search for a suggestion (seconds each); a text in
another language than the one declared would otherwise take minutes to check."""


class Lexicon:
    """The dictionary of a language: pyspellchecker's, and for English Folio's own list
    and the British forms."""

    def __init__(self, language: str = "en") -> None:
        from spellchecker import SpellChecker

        self.language = language
        self._checker = SpellChecker(language=language, distance=1)
        self.frequency: dict[str, int] = self._checker.word_frequency.dictionary
        english = language == "en"
        self.extra = {w.lower() for w in _read_list("en-extra.txt")} if english else set()
        self.variants = _variant_pairs() if english else {}
        self._verdicts: dict[str, bool] = {}
        self._suggestions: dict[tuple[str, bool], str | None] = {}
        self._wide_searches = 0

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
        if self.language != "en":
            return self._judge_other(word)
        if word.endswith("'s") or word.endswith("'"):
            return self.known(word.rsplit("'", 1)[0])
        if "'" in word:
            head, _, tail = word.partition("'")
            if tail == "t":  # isn't, don't: the n belongs to not
                head = head.removesuffix("n")
            return tail in {"t", "re", "ve", "ll", "d", "m"} and self.known(head)
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

    def _judge_other(self, word: str) -> bool:
        """Judge a word of another language: elided articles (l'été) and Arabic clitics."""
        if "'" in word:
            head, _, tail = word.rpartition("'")
            return len(head) <= 6 and self.known(tail)
        bare = "".join(c for c in word if unicodedata.category(c) != "Mn")
        if bare != word:
            return self.known(bare)  # vowel marks, rarely written, are not in dictionaries
        if self.language in ("ar", "fa"):
            for clitic in ARABIC_CLITICS:
                rest = word[len(clitic):]
                if word.startswith(clitic) and len(rest) >= 2 and self.listed(rest):
                    return True
        return False

    def suggest(self, word: str, british: bool) -> str | None:
        """Return the likeliest correction of a misspelt lower-case word, if any."""
        if (word, british) not in self._suggestions:
            self._suggestions[word, british] = self._suggest(word, british)
        return self._suggestions[word, british]

    def _suggest(self, word: str, british: bool) -> str | None:
        if len(word) > 20:
            return None
        candidates = self._checker.candidates(word)
        if not candidates and len(word) <= 12 and self._wide_searches < WIDE_SEARCHES:
            self._wide_searches += 1
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
        if match and word[: match.start()] + "ize" not in IZE_ONLY:  # seized, prizes
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
def lexicon(language: str = "en") -> Lexicon:
    """Return the shared lexicon of a language (a key of `DICTIONARIES`), loaded once."""
    return Lexicon(language)


def dictionary_for(language: str) -> str | None:
    """Return the dictionary of a BCP 47 language tag (`fr-CA` -> `fr`), or None."""
    primary = language.replace("_", "-").split("-")[0].lower()
    return primary if primary in DICTIONARIES else None
