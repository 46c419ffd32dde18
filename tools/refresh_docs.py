#!/usr/bin/env python3
"""Rewrite the generated parts of the documentation from the code they describe.

The content-format tables come from `folio.schema.reference()`, the rule tables from
`folio.check.registry.reference()`. Each sits between `<!-- NAME:start -->` and
`<!-- NAME:end -->` in its page; tests/test_docs.py fails when one is out of step.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def generated() -> dict[str, tuple[Path, Callable[[], str]]]:
    """Return each generated block's name, page and the function that writes it."""
    import folio.check  # noqa: F401  (registers every rule)
    from folio.check.registry import reference as rules
    from folio.schema import reference as schema

    return {"schema": (ROOT / "docs" / "reference" / "content.md", schema),
            "rules": (ROOT / "docs" / "reference" / "checks.md", rules)}


def split(text: str, name: str) -> tuple[str, str, str]:
    """Return the text before, inside and after a generated block."""
    start, end = f"<!-- {name}:start -->\n", f"<!-- {name}:end -->"
    first = text.index(start) + len(start)
    last = text.index(end, first)
    return text[:first], text[first:last], text[last:]


def main() -> int:
    for name, (page, write) in generated().items():
        before, _, after = split(page.read_text(encoding="utf-8"), name)
        page.write_text(before + write() + after, encoding="utf-8")
        print(f"refreshed {name} in {page.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
