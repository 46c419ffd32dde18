"""I18n: an edition's `language` -> its interface words, dates and writing direction.

Every fixed word of an output ("Contents", "Page 3 of 16", "Unsubscribe") is a message of
the gettext catalogue `folio/locales/<language>/LC_MESSAGES/folio.mo`, compiled with Babel
from the `.po` file beside it (`python tools/catalogues.py` extracts, updates and compiles
them). A theme's `strings:` map overrides any message for a language; a message that
neither translates stays English, and `check` reports it. Dates are Babel's, in the
edition's locale; `ar`, `he`, `fa`, `ur` and the other right-to-left languages read `rtl`.
"""

from __future__ import annotations

import datetime
import gettext
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from babel import Locale
    from pyphen import Pyphen

LOCALES = Path(__file__).resolve().parent / "locales"
"""The compiled catalogues: `<language>/LC_MESSAGES/folio.mo`, and the template `folio.pot`."""
DOMAIN = "folio"
SOURCE_LANGUAGE = "en"
"""The language the messages are written in: it needs no catalogue."""
RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "ha", "he", "iw", "khw", "ks", "ku",
                           "ps", "sd", "ug", "ur", "yi"})
"""Languages written right to left (their primary subtag)."""
CURSIVE_LANGUAGES = frozenset({"ar", "ckb", "fa", "ks", "ps", "sd", "ug", "ur"})
"""Languages written in the Arabic script, whose letters join."""
RTL_SCRIPTS = frozenset({"arab", "hebr", "thaa", "syrc", "nkoo", "adlm", "rohg"})
BREAKABLE = re.compile(r"\w{20,}")
"""A word long enough to overflow a heading on a phone (`Gewässerschutzpartnerschaften`)."""
TAG_OR_ENTITY = re.compile(r"(<[^>]*>|&[#\w]+;)")
SOFT_HYPHEN = "\u00ad"
NOUN_CAPITALISING = frozenset({"de", "gsw", "lb", "nds"})
"""Languages that capitalise every noun (German, Swiss German, Luxembourgish, Low German):
a capital letter there does not mark a name."""


def primary(language: str) -> str:
    """Return the primary subtag of a BCP 47 tag, in lower case: `fr-CA` -> `fr`."""
    return language.replace("_", "-").split("-")[0].lower()


def direction(language: str) -> str:
    """Return the writing direction of a BCP 47 language tag: `ltr` or `rtl`."""
    subtags = [s.lower() for s in language.replace("_", "-").split("-")]
    if any(len(s) == 4 and s in RTL_SCRIPTS for s in subtags[1:]):
        return "rtl"
    if any(len(s) == 4 and s.isalpha() for s in subtags[1:]):
        return "ltr"  # an explicit script that is not right to left (`ku-Latn`)
    return "rtl" if subtags[0] in RTL_LANGUAGES else "ltr"


def _candidates(language: str) -> list[str]:
    """Return the catalogue folders to try for a tag, most specific first: fr_CA, fr."""
    parts = language.replace("-", "_").split("_")
    tags = ["_".join([parts[0].lower(), *(p.upper() if len(p) == 2 else p.title()
                                          for p in parts[1:i])]) for i in range(len(parts), 0, -1)]
    return list(dict.fromkeys(tags))


@cache
def catalogue(language: str) -> gettext.NullTranslations:
    """Return the compiled catalogue of a language, or an empty one (English) if none."""
    for tag in _candidates(language):
        path = LOCALES / tag / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if path.is_file():
            with path.open("rb") as file:
                return gettext.GNUTranslations(file)
    return gettext.NullTranslations()


def has_catalogue(language: str) -> bool:
    """Return whether Folio ships a catalogue for the language (English needs none)."""
    return primary(language) == SOURCE_LANGUAGE or isinstance(catalogue(language),
                                                              gettext.GNUTranslations)


def available_languages() -> list[str]:
    """Return the languages Folio ships catalogues for, English first."""
    return [SOURCE_LANGUAGE, *sorted(p.parent.parent.name for p in
                                     LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))]


@cache
def messages() -> tuple[str, ...]:
    """Return every message of the catalogue template (`folio.pot`), in its order (the
    singular of a message with plural forms)."""
    from babel.messages.pofile import read_po

    with (LOCALES / f"{DOMAIN}.pot").open("rb") as file:
        template = read_po(file)
    # A message with plural forms is named by its singular (`%(count)s edition`).
    return tuple(str(m.id if isinstance(m.id, str) else m.id[0]) for m in template if m.id)


@cache
def _hyphenator(language: str) -> Pyphen | None:
    """Return Pyphen's hyphenation dictionary of a language, or None if it has none."""
    import pyphen

    for tag in _candidates(language):
        found = pyphen.language_fallback(tag)
        if found:
            return pyphen.Pyphen(lang=found, left=6, right=6)  # no `Gewäs-`, no `-ten`
    return None


@cache
def _locale(language: str) -> Locale:
    from babel import Locale, UnknownLocaleError

    for tag in _candidates(language):
        try:
            return Locale.parse(tag)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("en_GB")


def language_name(language: str) -> str:
    """Return a language's name in English (`fr-CA` -> `French (Canada)`), or the tag."""
    try:
        return str(_locale(language).english_name) if has_locale(language) else language
    except (AttributeError, ValueError):
        return language


def has_locale(language: str) -> bool:
    """Return whether Babel knows the language, so that dates can follow it."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        try:
            Locale.parse(primary(language))
        except (UnknownLocaleError, ValueError):
            return False
    return True


def words_for(language: str, strings: Mapping[str, Mapping[str, str]]) -> Words:
    """Return the words of a language with a theme's `strings:` (by language) laid over."""
    overrides = {**strings.get(primary(language), {}), **strings.get(language, {})}
    return Words(language, tuple(sorted(overrides.items())))


@dataclass(frozen=True)
class Words:
    """The interface words and date formats of one language, with a theme's overrides."""

    TEMPLATE_HELPERS: ClassVar[frozenset[str]] = frozenset([
        "direction", "cursive", "capitalises_nouns", "start", "end", "gettext", "ngettext",
        "breakable", "long_date", "month_year", "month", "day"])
    """What templates may use besides the fields (see `folio.sandbox`)."""

    language: str
    overrides: tuple[tuple[str, str], ...] = ()
    """A theme's own wording of catalogue messages for this language: (English, own) pairs."""

    @cached_property
    def _own(self) -> dict[str, str]:
        return dict(self.overrides)

    @cached_property
    def direction(self) -> str:
        """`ltr` or `rtl`."""
        return direction(self.language)

    @property
    def cursive(self) -> bool:
        """Whether the language's letters join (Arabic script): never letter-spaced."""
        return primary(self.language) in CURSIVE_LANGUAGES

    @property
    def capitalises_nouns(self) -> bool:
        """Whether every noun starts with a capital, so that a capital does not mark a name."""
        return primary(self.language) in NOUN_CAPITALISING

    @property
    def start(self) -> str:
        """The physical side where lines start: `left`, or `right` in a right-to-left text."""
        return "right" if self.direction == "rtl" else "left"

    @property
    def end(self) -> str:
        """The physical side where lines end."""
        return "left" if self.direction == "rtl" else "right"

    def gettext(self, message: str) -> str:
        """Return the message in this language: the theme's wording, the catalogue's, or English."""
        if message in self._own:
            return self._own[message]
        return catalogue(self.language).gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """Return the singular or plural form of a message for `count`."""
        key = singular if count == 1 else plural
        if key in self._own:
            return self._own[key]
        return catalogue(self.language).ngettext(singular, plural, count)

    def missing(self) -> list[str]:
        """Return the messages that show in English for lack of a translation."""
        if primary(self.language) == SOURCE_LANGUAGE:
            return []
        # A translation may be the English word itself (`Notes` in French): ask the table.
        table = getattr(catalogue(self.language), "_catalog", {})
        return [m for m in messages() if m not in self._own and not table.get(m)
                and not table.get((m, 0))]

    def breakable(self, html: str) -> Markup:
        """Return a heading's HTML with soft hyphens in its longest words.

        A German compound wider than a phone's screen would otherwise overflow the heading
        or be cut anywhere (`Gewässerschutzpartnersch|aften`); with soft hyphens it breaks
        where the language's dictionary allows, with a hyphen, and only if it must.
        """
        text = escape(html)
        if not BREAKABLE.search(str(text)):
            return text  # no word that long: the dictionary (0.1 s to load) is not needed
        hyphenator = _hyphenator(self.language)
        if hyphenator is None:
            return text
        parts = TAG_OR_ENTITY.split(str(text))
        for index in range(0, len(parts), 2):
            parts[index] = BREAKABLE.sub(lambda m: hyphenator.inserted(m[0], SOFT_HYPHEN),
                                         parts[index])
        return Markup("".join(parts))

    def long_date(self, day: datetime.date) -> str:
        """Return a date as the locale writes it in full: `15 décembre 2025`."""
        from babel.dates import format_date

        return str(format_date(day, "long", locale=_locale(self.language)))

    def month_year(self, day: datetime.date, short: bool = False) -> str:
        """Return a date's month and year: `December 2025` (`Dec 2025` when short)."""
        from babel.dates import format_date

        return str(format_date(day, "LLL y" if short else "LLLL y", locale=_locale(self.language)))

    def month(self, day: datetime.date) -> str:
        """Return a date's month, standing alone: `Dezember`."""
        from babel.dates import format_date

        return str(format_date(day, "LLLL", locale=_locale(self.language)))

    def day(self, day: datetime.date) -> str:
        """Return a date's day of the month in the locale's digits."""
        from babel.dates import format_date

        return str(format_date(day, "d", locale=_locale(self.language)))


ENGLISH = Words(SOURCE_LANGUAGE)
"""The words of the messages as written."""
