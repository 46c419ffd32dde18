"""Email HTML: inlining that never fetches a stylesheet."""

from __future__ import annotations


def test_inlining_never_loads_a_remote_stylesheet(monkeypatch):
    """css-inline runs with remote loading off: a linked stylesheet is dropped, not fetched."""
    import socket

    from folio.formats.email.html import finish

    attempts = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: attempts.append(address))
    page = ('<html><head><link rel="stylesheet" href="http://192.0.2.1/remote.css">'
            '<style>@import url("http://192.0.2.1/more.css"); p { color: red }</style>'
            '</head><body><p>Hello</p></body></html>')
    done = finish(page, content_css="", head_css="")
    assert attempts == []
    assert "192.0.2.1" not in done
    assert '<p style="color: red' in done or '<p style="color:red' in done
