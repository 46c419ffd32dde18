"""The rule registry: check functions and their Rule records -> RULES and CHECKS.

A rule family module declares its rules next to the function that reports them:

    @rule(Rule("spacing", "editorial", "warning", "Two spaces between words ...", "a  b"))
    def check_spacing(ctx: Context) -> Iterator[Finding]: ...

Importing the module registers both, in the order of the source: RULES (which the docs'
rule reference, `reference()`, lists in this order) and CHECKS (the order the functions
run) follow the order in which `folio/check/__init__.py` imports the family modules.
Adding a rule touches one file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar


@dataclass(frozen=True, order=True)
class Finding:
    """One slip found by `check`: where it is, which rule found it and what to do."""

    file: str
    line: int
    column: int
    rule: str
    severity: str
    """`error` (check exits 1) or `warning`."""
    message: str
    """What is wrong, quoting the offending text, and how to fix it."""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity} {self.rule}: {self.message}"


@dataclass(frozen=True)
class Rule:
    """A rule of `check`: its name, family, default severity, what it finds, an example."""

    name: str
    family: str
    severity: str
    description: str
    example: str
    """Text the rule flags."""
    default: bool = True
    """Whether the rule runs when `edition.yaml` does not mention it."""


CheckFunction = Callable[[Any], Iterator[Finding]]
"""A check: takes the `texts.Context` of an edition, yields findings. (Typed loosely so
that the registry needs nothing from `texts`, which imports it.)"""


@dataclass(frozen=True)
class Check:
    """A registered check function with the names of the rules it reports."""

    rules: tuple[str, ...]
    run: CheckFunction
    always: bool = False
    """Run whatever `checks:` switches on or off, and keep every finding (for a rule that
    judges `checks:` itself)."""


RULES: dict[str, Rule] = {}
"""Every rule of `check`, by name; `reference()` documents each from this table."""

CHECKS: list[Check] = []
"""Each check function with the rules it reports, in the order they run."""

F = TypeVar("F", bound=CheckFunction)


def rule(*rules: Rule, always: bool = False) -> Callable[[F], F]:
    """Register the decorated check function as the reporter of `rules`, in order."""
    def register(function: F) -> F:
        for one in rules:
            if one.name in RULES:
                raise ValueError(f"the rule {one.name!r} is registered twice")
            RULES[one.name] = one
        CHECKS.append(Check(tuple(one.name for one in rules), function, always))
        return function
    return register


FAMILY_TITLES = {"editorial": "Editorial", "accessibility": "Accessibility", "links": "Links",
                 "email": "Email readiness (on the email rendered in memory)",
                 "settings": "Settings", "review": "Review comments"}


def reference() -> str:
    """Return every rule as Markdown tables, one per family, in the order of RULES."""
    families: dict[str, list[Rule]] = {}
    for one in RULES.values():
        families.setdefault(one.family, []).append(one)
    parts = []
    for family, rules in families.items():
        rows = ["| rule | severity | finds | example that is flagged |", "|---|---|---|---|"]
        for one in rules:
            finds = one.description + ("" if one.default else " Off unless asked for.")
            rows.append(f"| `{one.name}` | {one.severity} | {_cell(finds)} | "
                        f"{_example(one.example)} |")
        parts.append(f"### {FAMILY_TITLES.get(family, family.capitalize())}\n\n"
                     + "\n".join(rows))
    return "\n\n".join(parts) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _example(text: str) -> str:
    """Quote an example as code (line breaks shown as ⏎); a described one stays prose."""
    if text.startswith("(") and text.endswith(")"):
        return _cell(text[1:-1])
    fence = "``" if "`" in text else "`"
    return f"{fence}{_cell(text.replace(chr(10), '⏎'))}{fence}"
