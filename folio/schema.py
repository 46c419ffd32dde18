"""Content schema: the declared shape of `edition.yaml`, section front matter and `theme.yaml`.

Every field carries a docstring; the docs' content-format reference is written from
these. Unknown keys are refused (`extra="forbid"`), so a typo is an error, not a silent
default.
"""

from __future__ import annotations

import datetime
import re
from email.utils import formataddr
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ByteSize, ConfigDict, Field

from .sources import THEME_NAME

Layout = Literal["text", "figures", "quote", "image", "cta", "events"]
"""The section components every output format knows how to draw."""

FILE_NAME = r"^[^/\\.][^/\\]*$"
"""A plain file name: no folder, not hidden."""

PLACEHOLDER_SENDER = "newsletter@example.org"
"""The address of the email's `From` when `email.from` is left out: a sending service puts
its own; Folio's own sending (`send`) refuses to send from it."""


MergeTagPreset = Literal["none", "mailchimp", "listmonk", "sendgrid", "brevo", "mailgun", "custom"]


SCRIPT_SCHEMES = ("javascript", "vbscript", "livescript", "data")
"""Address schemes a browser runs as code or opens as a document of the link's own making."""


def script_scheme(address: str) -> str | None:
    """Return the scheme of an address that would run in the reader's browser, or None.

    Browsers ignore white space and control characters inside a scheme and its case, so
    ` Java\tScript:` is `javascript:` too.
    """
    squeezed = "".join(c for c in address if c > " " and c != "\x7f").lower()
    scheme, colon, _ = squeezed.partition(":")
    return scheme if colon and scheme in SCRIPT_SCHEMES else None


def _without_script(address: str) -> str:
    return "" if script_scheme(address) else address


Link = Annotated[str, AfterValidator(_without_script)]
"""An address a reader follows: one with a `SCRIPT_SCHEMES` scheme is emptied, so no
output carries it (`check`, and `build --strict`, report it as an error)."""
LINK_SETTINGS = (("website",), ("email", "web_url"), ("email", "pdf_url"),
                 ("email", "asset_base_url"), ("email", "unsubscribe_url"),
                 ("email", "view_online_url"), ("cta", "url"), ("events", "*", "url"))
"""Where `Link` settings are, as key paths (`*`: every item of a list)."""


LANGUAGE_PATTERN = r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,7}$"
"""A BCP 47 tag of a language and up to seven subtags (a longer one named a file too long
for the file system when its catalogue was looked up)."""
"""A BCP 47 language tag, as edition.yaml's `language:` takes it (`en-GB`, `fr`, `ar`)."""

class Model(BaseModel):
    """Base of every schema model: frozen, strict about unknown keys, documented fields.

    The fields' docstrings are read for the reference only (`reference`), not when the
    models are built: pydantic's `use_attribute_docstrings` reads every model's source at
    import, 0.04 s of every Folio process's start.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# --- sections -----------------------------------------------------------------------


class Figure(Model):
    """One key figure: a big number and what it counts."""

    value: str = Field(min_length=1)
    """The number as it should be printed, for example `"1,000+"` or `"345"`."""
    label: str = Field(min_length=1)
    """What the number counts, in a few words: `"members worldwide"`."""


class CallToAction(Model):
    """A button: the one thing the reader should do next."""

    label: str = Field(min_length=1)
    """The button text, an action: `"Register for the webinar"`."""
    url: Annotated[str, Field(min_length=1), AfterValidator(_without_script)]
    """Where the button leads (`https://...` or `mailto:...`)."""


class Event(Model):
    """One entry of an events list."""

    date: datetime.date
    """The day of the event, as `YYYY-MM-DD`."""
    title: str = Field(min_length=1)
    """The event's name."""
    place: str = ""
    """Where it happens: a city, a venue or `"Online"`."""
    url: Link | None = None
    """A page about the event or its registration form."""


class SectionMeta(Model):
    """The front matter of one section file (`NN-slug.md`)."""

    title: str = Field(min_length=1)
    """The section heading, used in the contents, bookmarks and running headers."""
    layout: Layout = "text"
    """The component drawing the section: `text`, `figures`, `quote`, `image`, `cta`, `events`."""
    summary: str = ""
    """One or two sentences; the email digest shows it with a "Read more" link."""
    image: str | None = None
    """A picture for the section, relative to the edition folder (`images/chart.png`)."""
    image_alt: str | None = None
    """What the picture shows, for readers who cannot see it. Required with `image`."""
    caption: str = ""
    """A caption printed under the picture."""
    figures: list[Figure] = []
    """Key figures (`layout: figures`): a list of `{value, label}`; 2 to 4 sit in a row."""
    quote: str = ""
    """The quotation (`layout: quote`), without quotation marks."""
    attribution: str = ""
    """Who said the quotation, and their role."""
    cta: CallToAction | None = None
    """The call to action (`layout: cta`): `{label, url}`."""
    events: list[Event] = []
    """The events (`layout: events`): a list of `{date, title, place, url}`."""
    page_break: Literal["auto", "page"] = Field(default="auto", alias="break")
    """PDF only: `page` opens the section on a new page; `auto` lets it run on after the
    section before (unless `pdf.section_breaks` is on or its component wants a page)."""
    only_for: dict[str, str | list[str]] | None = None
    """Merge editions: the section appears only for rows whose column has this value (or
    one of these values), `{region: North}`; every row sees it when left out."""


LAYOUT_REQUIRES: dict[str, tuple[str, ...]] = {
    "text": (),
    "figures": ("figures",),
    "quote": ("quote",),
    "image": ("image", "image_alt"),
    "cta": ("cta",),
    "events": ("events",),
}
"""Front-matter keys each layout cannot do without."""


# --- edition ------------------------------------------------------------------------


class Tracking(Model):
    """UTM parameters added to every http(s) link of the email."""

    source: str = "newsletter"
    """`utm_source`: where the visit comes from."""
    medium: str = "email"
    """`utm_medium`: the channel."""
    campaign: str = Field(min_length=1)
    """`utm_campaign`: the name of this mailing, for example `"reflections-2025"`."""


class EmailSettings(Model):
    """How the email edition is written and addressed."""

    subject: str | None = None
    """The subject line; the edition title when left out."""
    preheader: str | None = None
    """The preview text an inbox shows after the subject; the subtitle when left out."""
    sender: str | None = Field(default=None, alias="from")
    """The `From` address, as `Name <address>`; the organisation's name at a placeholder
    address (`newsletter@example.org`) when left out: a sending service sets its own, and
    `folio send` refuses to send from it."""
    reply_to: str | None = None
    """A `Reply-To` address, when replies should go elsewhere."""
    web_url: Link | None = None
    """Where the web page is published (https); digest "Read more" links point there."""
    pdf_url: Link | None = None
    """Where the PDF is published; the email links to it when set."""
    asset_base_url: Link | None = None
    """Where `email-images/` will be uploaded; image addresses in the email start with it."""
    mode: Literal["full", "digest"] | None = None
    """`full` (every section's text) or `digest` (summaries and links); by `kind` when left out."""
    merge_tags: MergeTagPreset = "none"
    """The sending service whose unsubscribe and view-in-browser tags to use."""
    unsubscribe_url: Link | None = None
    """The unsubscribe address or tag, for `merge_tags: custom` or `none`."""
    view_online_url: Link | None = None
    """The view-in-browser address or tag, for `merge_tags: custom`; `web_url` otherwise."""
    tracking: Tracking | None = None
    """UTM link tracking; left out, links are not changed."""
    attach_pdf: bool = False
    """Attach each recipient's own PDF when `send --merge` delivers a merge (as `--attach-pdf`)."""
    max_size: ByteSize | None = None
    """The largest message your mail server takes, such as `25 MB`; `send --merge` refuses a
    bigger one before sending anything (10 MB when left out)."""


class PdfSettings(Model):
    """How the print PDF is laid out."""

    paper: Literal["A4", "letter"] = "A4"
    """Paper size: `A4` or US `letter`."""
    section_breaks: bool = False
    """Open every section on a new page, as if each said `break: page`; off, sections run
    on and only those that ask (or whose component wants a page) open one."""
    contents: Literal["auto"] | bool = "auto"
    """A contents page: `true`, `false` or `auto` (an annual review of 6 sections or more)."""
    print_ready: bool = False
    """Add 3 mm bleed and crop marks for a commercial printer, and a blank page before the
    back cover when needed so that the page count is even (the build says so)."""
    variant: Literal["pdf/ua-1", "pdf/a-3a", "pdf/a-3b"] = "pdf/ua-1"
    """`pdf/ua-1` (accessible), `pdf/a-3a` (archival and accessible) or `pdf/a-3b` (archival)."""
    hyphenation: bool = False
    """Hyphenate body text to even out lines; off, so that copied and read-aloud text keeps
    whole words (a hyphenated word copies as two)."""
    creation_date: bool = False
    """Stamp the build time into the PDF (off, so that builds are byte-identical)."""
    back_cover: Literal["auto"] | bool = "auto"
    """A back cover page: `true`, `false` or `auto` (an annual review has one; a newsletter
    closes with the publisher's name, address and website under its last section)."""


YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
"""A year in a title: four digits from 1900 to 2099, standing alone."""


class MergeSettings(Model):
    """`merge:` in `edition.yaml`: the edition is personalised, one copy per data row."""

    data: str | None = None
    """The CSV or XLSX file of recipients, relative to the edition folder; `folio merge
    --data` may name another one."""
    key: str | None = None
    """The column that names each row's files; the first column when left out."""
    to: str = "email"
    """The column holding each recipient's email address."""


class EditionConfig(Model):
    """`edition.yaml`: what the edition is and how each output is made."""

    title: str = Field(min_length=1)
    """The edition's title, as on the cover: `"Reflections 2025"`."""
    subtitle: str = ""
    """A line under the title."""
    organisation: str = Field(min_length=1)
    """The publishing organisation (also the PDF's author)."""
    date: datetime.date
    """The publication date, as `YYYY-MM-DD`."""
    language: str = Field(default="en-GB", pattern=LANGUAGE_PATTERN)
    """The language of the text as a BCP 47 tag (`en-GB`, `fr`, `ar`): the interface words,
    date formats, writing direction, hyphenation and spelling dictionary follow it."""
    kind: Literal["annual-review", "newsletter"] = "annual-review"
    """`annual-review` or `newsletter`; sets defaults such as the email mode."""
    period: str = ""
    """The period the edition covers (`2025`, `2024-25`), when the title does not say: the
    cover's year is its first year."""
    year: int | None = Field(default=None, ge=1000, le=9999)
    """The year under review, when neither the title nor `period` says it."""
    theme: str = Field(default="default", pattern=THEME_NAME)
    """The theme folder under `templates/` that gives the look."""
    description: str = ""
    """One sentence for search engines and link previews; the subtitle when left out."""
    summary: str = ""
    """One or two sentences for the archive page and the feed; the description when left out."""
    draft: bool = False
    """Keep the edition out of the archive, the feed, the sitemap and `publish` while it is
    being written; it still builds, for proofs."""
    keywords: list[str] = []
    """Keywords for the PDF metadata."""
    sections: list[str] | None = None
    """The order of the sections by slug; file-name order when left out."""
    logo: str | None = None
    """The organisation's logo (PNG), relative to the edition folder; the theme's otherwise."""
    cover_image: str | None = None
    """A picture for the cover, relative to the edition folder; the theme's artwork otherwise."""
    cover_image_alt: str | None = None
    """What the cover picture shows. Required with `cover_image`."""
    website: Link | None = None
    """The organisation's website, linked in footers."""
    address: str = ""
    """The organisation's postal address, printed in the email footer."""
    email: EmailSettings = EmailSettings()
    """Email settings (see below)."""
    pdf: PdfSettings = PdfSettings()
    """PDF settings (see below)."""
    checks: dict[str, bool] = {}
    """Switch `check` rules on or off by name: `{spelling: false}`."""
    words: list[str] = []
    """Extra words `check` accepts as spelled right: names, acronyms."""
    merge: MergeSettings | None = None
    """Make one personalised copy per row of a data file (see "Personalised editions")."""

    @property
    def year_under_review(self) -> int:
        """Return the year the edition reviews, as its cover says.

        A year in the title wins (`Reflections 2025`); then `period`, then `year`; else
        the date's year, one less for an annual review dated January to March (a review
        of 2025 is published early in 2026).
        """
        for text in (self.title, self.period):
            found = YEAR.search(text)
            if found:
                return int(found[0])
        if self.year:
            return self.year
        early = self.kind == "annual-review" and self.date.month <= 3
        return self.date.year - 1 if early else self.date.year

    @property
    def sender(self) -> str:
        """Return the email's `From`: `email.from`, else the organisation's name."""
        if self.email.sender:
            return self.email.sender
        return formataddr((self.organisation, PLACEHOLDER_SENDER))

    @property
    def email_mode(self) -> str:
        """Return the email mode, defaulting by kind."""
        if self.email.mode:
            return self.email.mode
        return "full" if self.kind == "newsletter" else "digest"


# --- project ------------------------------------------------------------------------


class SiteSettings(Model):
    """`site:` in `folio.yaml`: the archive page of every edition, its feed and sitemap."""

    title: str | None = Field(default=None, min_length=1)
    """The archive's heading and the feed's title; the newest edition's organisation when
    left out."""
    base_url: str | None = Field(default=None, pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$")
    """Where the site is published, as `https://news.example.org/` (each edition's page is
    under it at `<edition>/`); the feed and the sitemap are written only when it is set."""
    language: str | None = Field(default=None, pattern=LANGUAGE_PATTERN)
    """The language of the archive page and the feed, as a BCP 47 tag; the newest edition's
    when left out."""
    description: str = ""
    """A sentence under the archive's title and in the feed: what the newsletter is about."""
    theme: str = "default"
    """The theme folder under `templates/` that gives the archive page its look."""

    @property
    def base(self) -> str | None:
        """Return `base_url` ending in exactly one `/`, or None."""
        return self.base_url.rstrip("/") + "/" if self.base_url else None


class ProjectConfig(Model):
    """`folio.yaml`, beside `content/`: settings for the whole project, not one edition."""

    site: SiteSettings = SiteSettings()
    """The archive, feed and sitemap (see below)."""


# --- theme --------------------------------------------------------------------------


class Colours(Model):
    """The theme's colour tokens (CSS colours as `#rrggbb`)."""

    paper: str = "#ffffff"
    """Page background."""
    ink: str = "#1d2430"
    """Body text; must reach 4.5:1 contrast on `paper`."""
    muted: str = "#566070"
    """Secondary text: captions, dates, footers."""
    accent: str = "#0a5c8a"
    """Headings, links and rules."""
    accent_ink: str = "#ffffff"
    """Text on an `accent` background (buttons)."""
    band: str = "#0d2f4f"
    """Background of the key-figures band and the cover."""
    band_ink: str = "#ffffff"
    """Text on `band`."""
    highlight: str = "#f2a900"
    """A second accent for numbers and details on `band`."""
    highlight_text: str = "#b27700"
    """The highlight as text on `paper`: the section numbers of the PDF (large text, so
    3:1 contrast on `paper`)."""
    rule: str = "#d9dee5"
    """Hairlines and table borders."""


class FontSpec(Model):
    """One font family, taken from an installed Python or Debian font package."""

    family: str
    """The family name used in CSS."""
    package: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    """The Python package holding the files (`font_lato`); none for system fonts."""
    folder: str | None = None
    """Or the system folder a Debian font package installs the files in, inside
    /usr/share/fonts (`/usr/share/fonts/truetype/noto`)."""
    debian: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9+.-]+$")
    """The Debian package that installs `folder` (`fonts-noto-core`), named when it is missing."""
    files: dict[Literal["regular", "bold", "italic", "bold_italic", "black"],
                Annotated[str, Field(pattern=FILE_NAME)]] = {}
    """File names inside the package's `files/` folder (or `folder`), by style."""
    fallback: str = "Helvetica, Arial, sans-serif"
    """The CSS fallback stack, also used by the email."""


class ThemeConfig(Model):
    """`theme.yaml`: a theme's design tokens."""

    name: str
    """The theme's name."""
    extends: str | None = Field(default=None, pattern=THEME_NAME)
    """Another theme whose templates fill in those this one does not have."""
    colours: Colours = Colours()
    """Colour tokens."""
    body_font: FontSpec
    """The text face."""
    heading_font: FontSpec
    """The face for titles and numbers."""
    script_fonts: list[FontSpec] = []
    """Faces for the scripts the two above lack (Arabic, Hebrew, ...): each is embedded and
    named after them, in every output whose text has a character it covers and they lack."""
    strings: dict[str, dict[str, str]] = {}
    """The theme's own wording of interface words, by language then English message:
    `{fr: {Contents: Sommaire}}`. It overrides Folio's catalogue for that language."""
    logo: str | None = None
    """The logo file inside the theme's `assets/` folder."""
    artwork: str | None = None
    """Cover artwork inside `assets/`, used when an edition has no `cover_image`."""


# --- reference ----------------------------------------------------------------------

REFERENCE_MODELS: list[tuple[str, type[Model]]] = [
    ("`edition.yaml`", EditionConfig),
    ("`email:` in `edition.yaml`", EmailSettings),
    ("`email: tracking:`", Tracking),
    ("`pdf:` in `edition.yaml`", PdfSettings),
    ("`merge:` in `edition.yaml`", MergeSettings),
    ("Section front matter (`NN-slug.md`)", SectionMeta),
    ("One of `figures:`", Figure),
    ("`cta:`", CallToAction),
    ("One of `events:`", Event),
    ("`folio.yaml`", ProjectConfig),
    ("`site:` in `folio.yaml`", SiteSettings),
    ("`theme.yaml`", ThemeConfig),
    ("`colours:` in `theme.yaml`", Colours),
    ("`body_font:` and `heading_font:`", FontSpec),
]


def reference() -> str:
    """Return the content-format reference as Markdown tables, from the field docstrings."""
    parts = []
    for heading, model in REFERENCE_MODELS:
        rows = ["| key | required | default | meaning |", "|---|---|---|---|"]
        docstrings = field_docstrings(model)
        for name, info in model.model_fields.items():
            key = info.alias or name
            required = "yes" if info.is_required() else ""
            default = "" if info.is_required() else _default_text(info.default)
            text = (info.description or docstrings.get(name, "")).replace("|", "\\|")
            text = " ".join(text.split())
            rows.append(f"| `{key}` | {required} | {default} | {text} |")
        parts.append(f"### {heading}\n\n" + "\n".join(rows))
    return "\n\n".join(parts) + "\n"


def field_docstrings(model: type[BaseModel]) -> dict[str, str]:
    """Return the docstring written under each field of a model and of its bases."""
    import ast
    import inspect
    import textwrap

    found: dict[str, str] = {}
    for cls in reversed([c for c in model.__mro__ if issubclass(c, Model)]):
        body = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0]
        assert isinstance(body, ast.ClassDef)
        for field, after in zip(body.body, body.body[1:], strict=False):
            if (isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name)
                    and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                    and isinstance(after.value.value, str)):
                found[field.target.id] = inspect.cleandoc(after.value.value)
    return found


def _default_text(value: object) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, BaseModel):
        return ""
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"
