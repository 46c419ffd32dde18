"""Link rules: the links of an edition -> findings for links that lead nowhere.

- url: a malformed address (RFC 3986): a space, a site name with no scheme
  (`www.example.org/annual`, `example.org/report.pdf`: the browser reads it as a file next
  to the page, and in the email it leads nowhere), no site name, a misspelt or doubled
  scheme;
- http-link: http:// where https:// is expected; browsers mark http:// pages "Not secure";
- anchor: a #link that matches no id the web page has (sections, headings, explicit ids);
- mailto: a malformed mailto: link (RFC 6068), or an e-mail address linked without mailto:;
- dead-link: a page that does not answer or answers 404. It runs only with `online=True`
  (`check --online`): no other rule touches the network.
"""

from __future__ import annotations

import difflib
import re
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import display_path
from ..markup import slugify
from ..schema import script_scheme
from .registry import Finding, Rule, rule
from .texts import EMAIL, Context, Link

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
        return _no_scheme(target)
    scheme = match[1].lower()
    if "." in scheme and re.match(r"\d+(?:[/?#]|$)", target[match.end():]):
        return _no_scheme(target)  # example.org:8080/x: a site and its port
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


COUNTRY = re.compile(r"^[a-z]{2}$")
"""A country's ending (.uk, .de, .ke): every two-letter ending is one, or reserved."""
GENERIC_ENDINGS = {
    "com", "org", "net", "int", "gov", "edu", "mil", "info", "biz", "ngo", "ong", "app", "dev",
    "io", "global", "online", "news", "charity", "foundation", "fund", "earth", "world",
    "today", "africa", "asia", "museum", "coop", "education", "health", "community",
    "network", "media", "press", "blog", "site", "website", "studio", "agency", "club",
    "social", "support", "care", "green", "eco", "law", "school", "university", "academy"}
"""Endings of site names that are not countries', the ones an organisation is likely to
link to; a name ending otherwise is taken for a file (`report.v2.pdf`, `data.csv`)."""
FILE_ENDINGS = {"ai", "cc", "cs", "db", "gz", "js", "md", "mo", "ps", "py", "rb", "rm", "rs",
                "sh", "so", "ts", "xz"}
"""Two-letter endings that are also common file types: `logo.ai` is a file next to the
page, `example.ai/about` or `www.example.ai` a site."""


def _no_scheme(target: str) -> str | None:
    """Say that a link written without https:// leads to a file, when it names a site.

    `www.example.org/annual` and `example.org/report.pdf` become, in every output, links
    to files beside the page. A first part that is no site name (`images/chart.png`,
    `report.v2.pdf`, `../x`, `?page=2`) is a relative link, left alone.
    """
    first = re.split(r"[/?#]", target, maxsplit=1)[0]
    host = re.sub(r":\d+$", "", first).rstrip(".").lower()
    if not HOST.match(host) or "@" in first:
        return None
    ending = host.rsplit(".", 1)[-1]
    country = bool(COUNTRY.match(ending)) and (ending not in FILE_ENDINGS
                                                or len(first) < len(target))
    if not (host.startswith("www.") or ending in GENERIC_ENDINGS or country):
        return None
    return ("the address has no https:// in front, so it is read as a file beside the page "
            f"and leads nowhere; did you mean 'https://{target}'?")


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


@rule(
    Rule("url", "links", "error",
         "A malformed web address: a space, a site written without https:// (read as a file "
         "beside the page), no site name, a misspelt scheme.",
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
)
def check_links(ctx: Context) -> Iterator[Finding]:
    """Flag malformed addresses, http:// links, broken anchors and mailto: links."""
    for removed in ctx.edition.script_links:  # settings the schema emptied
        yield Finding(display_path(removed.path), removed.line or 1, removed.column or 1,
                      "url", "error", removed.message)
    anchors: set[str] | None = None
    for link in ctx.links:
        target = link.target
        if link.kind in ("link-ref", "image-ref") or MERGE_TAG.match(target or "-"):
            continue
        quoted = link.quote()
        lower = target.lower()
        scheme = script_scheme(target)
        if scheme and "image" not in link.kind:
            yield link.text.finding(link.offset, "url", f"'{quoted}': '{scheme}:' links run "
                                    "code or open a page of the link's own making in the "
                                    "reader's browser; Folio leaves them out of every output: "
                                    "write an https:// or mailto: address")
            continue
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


NO_ANSWER = "no answer"


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
            return f"{NO_ANSWER} ({reason})"
    return None


@rule(
    Rule("dead-link", "links", "error",
         "An external link that does not answer or answers 404 (only with --online).",
         "[old page](https://example.org/gone)", default=False),
)
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
    if len(results) > 1 and all(why and why.startswith(NO_ANSWER) for why in results.values()):
        # Not one server answered: the network is out of reach, not every link dead.
        yield Finding(ctx.edition_file, 1, 1, "dead-link", "error",
                      f"none of the {len(results)} external links answered "
                      f"({next(iter(results.values()))}); is this machine offline? The links "
                      "were not checked: run `check --online` again on a connected machine")
        return
    for url, why in results.items():
        if why:
            for link in targets[url]:
                yield link.text.finding(link.offset, "dead-link", f"'{url}': {why}")
