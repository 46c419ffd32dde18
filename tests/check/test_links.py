"""Tests of the link rules: anchors, the address helpers and dead links."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from folio.check import check_edition, mailto_problem, url_problem
from tests.check.conftest import CONFIG, EMAIL, check_body, write_edition


def test_anchors_reach_sections_and_headings(tmp_path: Path) -> None:
    folder = write_edition(tmp_path, {
        "01-intro.md": "See [research](#research), [findings](#research-key-findings) and "
                       "[note](#intro-fn-1), [custom](#my-id).\n",
        "02-research.md": "# Key findings\n\nText. {#my-id}\n"})
    assert check_edition(folder) == []


# --- links helpers ----------------------------------------------------------------------


@pytest.mark.parametrize("target", ["https://example.org", "https://sub.example.co.uk/a_b?x=1",
                                    "images/x.png", "#top", "tel:+44123", "mailto:a@b.org",
                                    "http://127.0.0.1:8000/", "*|UNSUB|*", "report.pdf",
                                    "http://[::1]:8000/", "https://192.168.1.10/x", "sms:+4412",
                                    "ftp://files.example.org/a", "webcal://example.org/c.ics",
                                    "geo:51.5,-0.1", "data:text/plain,hi", "skype:someone",
                                    "HTTPS://EXAMPLE.ORG/A", "photo.JPG",
                                    "https://xn--bcher-kva.example",
                                    "ftps://files.example.org/a"])
def test_good_urls(target: str) -> None:
    assert url_problem(target) is None


def no_scheme(target: str) -> str:
    return ("the address has no https:// in front, so it is read as a file beside the page "
            f"and leads nowhere; did you mean 'https://{target}'?")


@pytest.mark.parametrize("target, problem", [
    ("", "the link has no address"),
    ("htps://example.org", "'htps:' looks like a misspelt 'https:'"),
    ("https:/example.org", "'https:' must be followed by //"),
    ("https://exa mple.org", "the address has a space in it"),
    ("example.org", no_scheme("example.org")),
    ("www.example.org", no_scheme("www.example.org")),
    ("https://localhost.", "'localhost.' is not a complete site name"),
    ("javascript:alert(1)", "'javascript:' links do not work in a published edition"),
    ("C:\\Users\\me\\report.docx", "'c:' links do not work in a published edition"),
    ("https://example..org", "'example..org' is not a complete site name"),
    ("https://192.168.1", "'192.168.1' is not a complete site name"),
    ("https//example.org", "the address is missing the ':' after http(s)"),
    ("HTTP//example.org", "the address is missing the ':' after http(s)"),
    ("http/example.org", "the address is missing the ':' after http(s)"),
    ("//example.org/x", "the address starts with //; write https://"),
    ("WWW.example.org", no_scheme("WWW.example.org")),
    ("HTTPS:/example.org", "'https:' must be followed by //"),
    ("https://http://example.org", "the address has its scheme twice"),
    ("https://https//example.org", "the address has its scheme twice"),
    ("https://[::1", "the address cannot be read (check the port or brackets)"),
    ("https:///path", "the address has no site name"),
    ("vbscript:msgbox", "'vbscript:' links do not work in a published edition"),
    ("File:///C:/report.docx", "'file:' links do not work in a published edition"),
    ("mialto:info@example.org", "'mialto:' looks like a misspelt 'mailto:'"),
    ("htp://example.org", "'htp:' looks like a misspelt 'http:'"),
])
def test_bad_urls(target: str, problem: str) -> None:
    assert url_problem(target) == problem


# A site written without https:// becomes, in every output, a link to a file beside the page.
NO_SCHEME = ["example.org/report.pdf", "www.example.org/annual", "Example.ORG/Annual",
             "example.org/annual-review/2025.html", "news.bbc.co.uk/x", "www.example.ai",
             "example.ai/about", "un.org", "unicef.de/spenden?x=1#top", "example.org:8080/x",
             "partner.ngo/", "bücher.de/x", "www.example", "example.charity"]
# Relative links an edition may use, and names that only look like sites, stay quiet.
RELATIVE = ["report.pdf", "report.v2.pdf", "data.csv", "images/photo.jpg", "images/chart.png",
            "../x", "./report.pdf", "#section-id", "?page=2", "index.html", "notes.md",
            "logo.ai", "archive.tar.gz", "v1.2/notes.pdf", "summary.de.pdf", "fr.pdf",
            "annual.report/2025", "www", "e.g", "localhost:8000/x", "tel:+44123"]


@pytest.mark.parametrize("target", NO_SCHEME)
def test_a_site_without_https_is_caught_with_the_fix(target: str) -> None:
    assert url_problem(target) == no_scheme(target)


@pytest.mark.parametrize("target", RELATIVE)
def test_a_relative_link_is_not_taken_for_a_site(target: str) -> None:
    assert url_problem(target) is None


def test_a_site_without_https_is_caught_wherever_it_is_linked(tmp_path: Path) -> None:
    config = CONFIG.replace(EMAIL,
                            'website: www.example.org\n'
                            'email: {asset_base_url: "https://example.org/img/",\n'
                            '        from: news@test.org, web_url: example.org/annual/}')
    section = ("---\ntitle: Join\nlayout: cta\nsummary: See [the plan](example.org/plan.pdf).\n"
               "cta: {label: Read the report, url: example.org/report.pdf}\n---\n"
               "Read [the report](example.org/report.pdf) or [the summary][s], see "
               '<a href="www.example.org/annual">the page</a>.\n\n'
               "[s]: www.example.org/summary\n")
    events = ("---\ntitle: Dates\nlayout: events\nevents:\n"
              "  - {date: 2026-02-10, title: Webinar, url: example.org/webinar}\n---\n")
    folder = write_edition(tmp_path, {"01-join.md": section, "02-dates.md": events}, config)
    findings = [f for f in check_edition(folder) if f.rule == "url"]
    pointed = []
    for f in findings:
        line = Path(f.file).read_text().split("\n")[f.line - 1]
        pointed.append((Path(f.file).name, f.line, line[f.column - 1:]))
    assert pointed == [
        ("edition.yaml", 5, "www.example.org"),
        ("edition.yaml", 7, "example.org/annual/}"),
        ("01-join.md", 4, "[the plan](example.org/plan.pdf)."),
        ("01-join.md", 5, "example.org/report.pdf}"),
        ("01-join.md", 7, "[the report](example.org/report.pdf) or [the summary][s], see "
                          '<a href="www.example.org/annual">the page</a>.'),
        ("01-join.md", 7, '<a href="www.example.org/annual">the page</a>.'),
        ("01-join.md", 9, "www.example.org/summary"),
        ("02-dates.md", 5, "example.org/webinar}")]
    fixes = [f.message.rsplit("did you mean ", 1)[-1] for f in findings]
    assert fixes == ["'https://www.example.org'?", "'https://example.org/annual/'?",
                     "'https://example.org/plan.pdf'?", "'https://example.org/report.pdf'?",
                     "'https://example.org/report.pdf'?", "'https://www.example.org/annual'?",
                     "'https://www.example.org/summary'?", "'https://example.org/webinar'?"]


def test_relative_links_of_an_edition_stay_quiet(tmp_path: Path) -> None:
    from PIL import Image

    body = ("See [the chart](images/chart.png), [the report](report.v2.pdf), "
            "[the data](data.csv), [back](#join), [up](../x), [the notes](notes.md), "
            "[call us](tel:+44123) and [write](mailto:info@example.org).\n\n"
            "![A chart of members by year](images/chart.png)\n")
    section = ("---\ntitle: Join\nlayout: cta\nimage: images/photo.jpg\n"
               "image_alt: Members at the spring meeting\n"
               "cta: {label: Read the report, url: report.v2.pdf}\n---\n" + body)
    folder = write_edition(tmp_path, {"01-join.md": section})
    (folder / "images").mkdir()
    for name in ("chart.png", "photo.jpg"):
        Image.new("RGB", (4, 4)).save(folder / "images" / name)
    assert [f for f in check_edition(folder) if f.rule == "url"] == []


def test_the_build_quick_check_catches_a_site_without_https(tmp_path: Path) -> None:
    from folio.build import quick_check
    from folio.content import load_edition

    folder = write_edition(tmp_path, {"01-a.md": "Read [the report](example.org/r.pdf)."})
    [finding] = quick_check(load_edition(folder))
    assert (finding.rule, finding.line, finding.column) == ("url", 4, 6)
    assert finding.message.endswith("did you mean 'https://example.org/r.pdf'?")


def test_mailto() -> None:
    assert mailto_problem("mailto:info@example.org") is None
    assert mailto_problem("mailto:info@example.org?subject=Hi") is None
    assert mailto_problem("mailto:info@") == "'info@' is not a complete e-mail address"
    assert mailto_problem("mailto:") == "the mailto: link has no address"
    assert mailto_problem("mailto:?subject=Hi") == "the mailto: link has no address"
    assert mailto_problem("mailto:info%40example.org") is None  # percent-encoded
    assert mailto_problem("mailto:a@example.org, b@example.org") is None
    assert mailto_problem("mailto:a@example.org,b@example") == (
        "'b@example' is not a complete e-mail address")


# --- dead links (only with online=True) ----------------------------------------------------


@pytest.fixture
def local_site() -> Iterator[str]:
    """A web server on the loopback address: /ok answers 200, anything else 404."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_HEAD(self) -> None:
            self.send_response(200 if self.path == "/ok" else 404)
            self.end_headers()

        def do_GET(self) -> None:
            self.do_HEAD()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_dead_links_only_online(tmp_path: Path, local_site: str) -> None:
    body = f"See [the page]({local_site}/ok) and [the old page]({local_site}/gone)."
    assert check_body(tmp_path / "offline", body) == []
    findings = check_body(tmp_path / "online", body, online=True)
    assert [(f.rule, f.message.split("'")[1]) for f in findings] == [
        ("dead-link", f"{local_site}/gone")]
    assert "404" in findings[0].message


def test_dead_links_can_be_switched_off_when_online(tmp_path: Path, local_site: str) -> None:
    body = f"See [the old page]({local_site}/gone)."
    config = CONFIG + "checks: {dead-link: false}\n"
    assert check_body(tmp_path, body, config, online=True) == []


def test_offline_says_so_once(tmp_path: Path) -> None:
    closed = []
    for _ in range(3):  # ports nothing listens on: no server answers, as when offline
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            closed.append(f"http://127.0.0.1:{probe.getsockname()[1]}/page")
    body = " ".join(f"[link {n}]({url})." for n, url in enumerate(closed))
    findings = check_body(tmp_path / "offline", body, online=True)
    assert len(findings) == 1
    assert findings[0].rule == "dead-link" and findings[0].file.endswith("edition.yaml")
    assert "none of the 3 external links answered" in findings[0].message
    assert "offline" in findings[0].message


# --- anchors: what a #link may point to -----------------------------------------------------


def test_anchors_reach_the_page_landmarks_and_a_dashed_section_slug(tmp_path: Path) -> None:
    folder = write_edition(tmp_path, {
        "01-intro.md": "Back to [the top](#top), [main](#main), [content](#content) and "
                       "[contents](#contents); see [findings](#our-work-key-findings), "
                       "[the spot](#spot) and [the old spot](#old-spot).\n",
        "02-our-work.md": "# Key findings\n\nText <span id=\"spot\">here</span> and "
                          "<a name='old-spot'>there</a>.\n"})
    assert check_edition(folder) == []


def test_an_anchor_to_a_heading_needs_the_whole_section_slug(tmp_path: Path) -> None:
    folder = write_edition(tmp_path, {"01-intro.md": "See [findings](#work-key-findings).\n",
                                      "02-our-work.md": "# Key findings\n\nText.\n"})
    [finding] = check_edition(folder)
    assert finding.rule == "anchor"
    assert finding.message.endswith("did you mean '#our-work-key-findings'?")


# --- dead links: what the server sees, and a server that hangs up ---------------------------


def test_the_server_is_told_who_asks(tmp_path: Path) -> None:
    """Site owners see Folio's link check in their logs, not an anonymous script."""
    agents: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_HEAD(self) -> None:
            agents.append(self.headers.get("User-Agent", ""))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/page"
        assert check_body(tmp_path, f"See [the page]({url}).", online=True) == []
    finally:
        server.shutdown()
        server.server_close()
    assert agents == ["Folio link check (+https://github.com/)"]


def test_a_refused_connection_is_said_plainly(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/x"  # closed: nothing listens
    [finding] = check_body(tmp_path, f"See [the page]({url}).", online=True)
    assert finding.rule == "dead-link" and finding.message.startswith(f"'{url}': no answer (")
    assert "refused" in finding.message and "urlopen" not in finding.message


def test_a_server_that_hangs_up_without_answering(tmp_path: Path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def hang_up() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return  # the listener is closed: the test is over
            with connection:
                connection.recv(65536)  # the whole request, then hang up

    threading.Thread(target=hang_up, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/x"
        [finding] = check_body(tmp_path, f"See [the page]({url}).", online=True)
    finally:
        listener.close()
    assert finding.rule == "dead-link"
    assert finding.message == (f"'{url}': no answer "
                               "(Remote end closed connection without response)")
