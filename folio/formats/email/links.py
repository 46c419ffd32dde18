"""Email links: settings -> unsubscribe and view-online links, merge tags intact, UTM tracking.

A sending service replaces its merge tags (`*|UNSUB|*`, `{{ UnsubscribeURL }}`, ...) in the
HTML it is given, byte for byte. Between `edition.yaml` and `email.html` a tag passes through
Jinja2 autoescaping, the MJML compiler and the CSS inliner, any of which may escape `<`, `%`
or `{`. So a tag never enters that pipeline: it is swapped for an inert token first
(`MergeTags.protect`) and put back as the last step (`MergeTags.restore`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ...schema import EmailSettings, Tracking

PRESETS: dict[str, tuple[str, str | None]] = {
    "mailchimp": ("*|UNSUB|*", "*|ARCHIVE|*"),
    "listmonk": ("{{ UnsubscribeURL }}", "{{ MessageURL }}"),
    "sendgrid": ("<%asm_group_unsubscribe_raw_url%>", None),
    "brevo": ("{{ unsubscribe }}", "{{ mirror }}"),
    "mailgun": ("%unsubscribe_url%", None),
}
"""Each service's (unsubscribe, view-in-browser) tags; None: the service has none, use web_url."""

MERGE_TAG = re.compile(
    r"\*\|[^|]+\|\*"              # Mailchimp  *|UNSUB|*
    r"|\{\{.*?\}\}|\{%.*?%\}"     # listmonk, Brevo, Liquid-like  {{ UnsubscribeURL }}
    r"|<%.*?%>"                   # SendGrid  <%asm_group_unsubscribe_raw_url%>
    r"|%[A-Za-z_][\w.]{2,}%"      # Mailgun  %unsubscribe_url% (never %2F-style escapes)
    r"|\[[A-Za-z_]{3,}\]",        # [unsubscribe] style tags
    re.S,
)
HREF = re.compile(r"""(<a\b[^>]*?\shref=)(["'])(.*?)\2""", re.I | re.S)
WEB = re.compile(r"^https?://", re.I)


def has_merge_tag(value: str) -> bool:
    """Return True when `value` contains a sending service's merge tag."""
    return bool(MERGE_TAG.search(value))


@dataclass(frozen=True)
class ServiceLinks:
    """The two links a sending service must fill in: unsubscribe and view in browser."""

    unsubscribe: str | None
    view_online: str | None


def service_links(settings: EmailSettings) -> ServiceLinks:
    """Return the unsubscribe and view-online links for the configured merge-tag preset."""
    if settings.merge_tags in PRESETS:
        unsubscribe, view = PRESETS[settings.merge_tags]
        return ServiceLinks(unsubscribe, view or settings.web_url)
    # `custom` and `none`: the addresses (or tags) written in edition.yaml.
    return ServiceLinks(settings.unsubscribe_url or None,
                        settings.view_online_url or settings.web_url)


@dataclass
class MergeTags:
    """Swap merge-tag links for inert tokens while the HTML is built, then swap them back."""

    tags: dict[str, str] = field(default_factory=dict)

    def protect(self, value: str | None) -> str | None:
        """Return `value`, or a stand-in token when it holds a merge tag."""
        if value is None or not has_merge_tag(value):
            return value
        for token, tag in self.tags.items():
            if tag == value:
                return token
        token = f"folio-merge-tag-{len(self.tags) + 1}"
        self.tags[token] = value
        return token

    def restore(self, document: str) -> str:
        """Put every merge tag back, exactly as written in the settings."""
        for token, tag in self.tags.items():
            if '"' in tag and "'" not in tag:
                # A tag with double quotes (`{{ TrackLink "..." }}`) goes in single quotes.
                document = document.replace(f'"{token}"', f"'{tag}'")
            document = document.replace(token, tag)
        return document


def add_utm(url: str, tracking: Tracking | None) -> str:
    """Add UTM parameters to an http(s) address; keep its query; leave other links alone."""
    if tracking is None or not WEB.match(url) or has_merge_tag(url):
        return url
    parts = urlsplit(url)
    present = {key for key, _ in parse_qsl(parts.query, keep_blank_values=True)}
    wanted = [("utm_source", tracking.source), ("utm_medium", tracking.medium),
              ("utm_campaign", tracking.campaign)]
    extra = urlencode([(k, v) for k, v in wanted if k not in present])
    if not extra:
        return url
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def track_links(document: str, tracking: Tracking | None, untracked: set[str] | None = None,
                ) -> str:
    """Add UTM parameters to every http(s) `<a href>` of an HTML document.

    Addresses in `untracked` (the unsubscribe and view-online links, or their stand-in
    tokens) are never changed: a signed unsubscribe address stops working when it is.
    """
    if tracking is None:
        return document
    skip = untracked or set()

    def rewrite(match: re.Match[str]) -> str:
        url = html.unescape(match[3])
        if url in skip:
            return match[0]
        tracked = add_utm(url, tracking)
        if tracked == url:
            return match[0]
        quoted = tracked.replace("&", "&amp;").replace(match[2], html.escape(match[2]))
        return f"{match[1]}{match[2]}{quoted}{match[2]}"

    return HREF.sub(rewrite, document)
