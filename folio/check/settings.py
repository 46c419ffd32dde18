"""Settings rules: edition.yaml and front matter -> findings for settings that misfire.

- yaml-comment: YAML reads ` #` in an unquoted value as the start of a comment, so a
  hashtag silently cuts the text short (`summary: Our work through #MyVoice`);
- unknown-check: a name under `checks:` that is no rule, most often a misspelt one,
  would switch nothing off without a word. It runs whatever `checks:` says.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from ..errors import display_path
from .registry import RULES, Finding, Rule, rule
from .texts import Context, file_text

# A `key: value` line whose plain (unquoted) value has ` #`: YAML drops the rest.
CUT_BY_COMMENT = re.compile(
    r"^(\s*(?:- )?[\w-]+:[ \t]+)(?![\"'|>\[{&*!])([^#\n]*?\S)[ \t]+#(\S.*)$", re.M)


@rule(
    Rule("yaml-comment", "settings", "warning",
         "An unquoted value with ' #' in it: YAML reads the rest of the line as a comment "
         "and drops it, so a hashtag silently cuts the text.",
         "summary: Our work through #MyVoiceMyFuture and more"),
)
def check_yaml_comments(ctx: Context) -> Iterator[Finding]:
    """Flag unquoted YAML values that a ` #` cuts short (a hashtag read as a comment)."""
    files = [(ctx.edition.root / "edition.yaml", None)] + [
        (s.path, s.body_line - 1) for s in ctx.edition.sections]
    for path, end in files:
        source = file_text(path)
        lines = source.split("\n")
        block = "\n".join(lines[:end] if end else lines)
        for match in CUT_BY_COMMENT.finditer(block):
            line = block.count("\n", 0, match.start()) + 1
            kept, dropped = match[2].strip(), match[3].strip()
            yield Finding(display_path(path), line, len(match[1]) + 1, "yaml-comment", "warning",
                          f"'{kept} #{dropped[:40]}': YAML reads ' #{dropped[:20]}...' as a "
                          "comment and drops it; put the whole value in double quotes")


@rule(
    Rule("unknown-check", "settings", "error",
         "A name under `checks:` in edition.yaml that is no rule of check.",
         "checks: {speling: false}"),
    always=True,
)
def check_unknown_switches(ctx: Context) -> Iterator[Finding]:
    """Flag names under `checks:` in edition.yaml that are no rule."""
    edition = ctx.edition
    for name in edition.config.checks:
        if name not in RULES:
            near = difflib.get_close_matches(name, list(RULES), n=1)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            line, column = ctx.place(("checks", name), key=True)
            yield Finding(ctx.edition_file, line, column, "unknown-check", "error",
                          f"'checks: {name}': there is no such rule{hint}")
