"""Review rules: review.yaml beside the sections -> findings for reviewers' open comments.

- review-comment: a comment a reviewer left in Word (brought in by `import FILE --into`),
  reported at the section file and line of the paragraph it was anchored to, with its
  author and text, until the editor deletes it from review.yaml. An error, so that
  `build --strict` refuses to build an edition with comments still open.

A comment follows its paragraph when lines move: the line is found again by the words the
comment was anchored to, and the recorded line is used when they are no longer there.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..content import regular_file_inside
from ..errors import display_path
from ..review import REVIEW_LIST
from .registry import Finding, Rule, rule
from .texts import Context, file_text

MAX_LIST_BYTES = 5_000_000


@rule(
    Rule("review-comment", "review", "error",
         "A reviewer's comment from Word still open in review.yaml, shown at the paragraph "
         "it was made on; delete it from review.yaml once dealt with.",
         "(a comment 'Please cite the source.' by A. Reviewer on a paragraph)"),
)
def check_review_comments(ctx: Context) -> Iterator[Finding]:
    """Report every comment still listed in the edition's review.yaml."""
    root = ctx.edition.root
    listing = root / REVIEW_LIST
    if not regular_file_inside(listing, root):
        return
    where = display_path(listing)
    comments, problem = _read(listing)
    if problem:
        yield Finding(where, 1, 1, "review-comment", "error",
                      f"review.yaml cannot be read ({problem}); fix it, or delete it once "
                      "every comment is dealt with")
        return
    for number, comment in enumerate(comments, 1):
        name = str(comment.get("file") or "")
        path = root / name
        if not name or "/" in name or "\\" in name or not regular_file_inside(path, root):
            yield Finding(where, 1, 1, "review-comment", "error",
                          f"comment {number} is on '{name}', which is not a file of the "
                          "edition; deal with it and delete it from review.yaml")
            continue
        line = _line(path, comment)
        author = str(comment.get("author") or "a reviewer")
        text = " ".join(str(comment.get("comment") or "").split())
        on = str(comment.get("words") or "")
        quoted = f" (on '{on}')" if on else ""
        yield Finding(display_path(path), line, 1, "review-comment", "error",
                      f"{author} commented{quoted}: \"{text}\" (delete it from review.yaml "
                      "once dealt with)")


def _read(listing: Path) -> tuple[list[dict[str, Any]], str]:
    """Return the comments of review.yaml, or why it cannot be read."""
    import yaml

    from ..safe_yaml import NoAliasLoader

    if listing.stat().st_size > MAX_LIST_BYTES:
        return [], "it is over 5 MB"
    try:
        data = yaml.load(io.StringIO(file_text(listing)), Loader=NoAliasLoader)
    except (yaml.YAMLError, UnicodeError) as exc:
        return [], str(exc).split("\n")[0]
    if data is None:
        return [], ""
    listed = data.get("comments") if isinstance(data, dict) else None
    if not isinstance(listed, list) or not all(isinstance(c, dict) for c in listed):
        return [], "it should hold `comments:`, a list of entries with file, line and comment"
    return listed, ""


def _line(path: Path, comment: dict[str, Any]) -> int:
    """Return the comment's line: where its words are now, else the line recorded."""
    recorded = comment.get("line")
    line = recorded if isinstance(recorded, int) and recorded > 0 else 1
    on = " ".join(str(comment.get("words") or "").split()).rstrip("…")
    if len(on) < 12:
        return line
    lines = file_text(path).split("\n")
    if 0 < line <= len(lines) and on in lines[line - 1]:
        return line
    found = [n for n, text in enumerate(lines, 1) if on in text]
    return min(found, key=lambda n: abs(n - line)) if found else line
