"""Sandbox: an untrusted template -> text, reading only data, within a time and a size.

Templates come from editions and themes, which are untrusted. Jinja2's immutable sandbox
keeps them from Python internals (`__class__`, `__globals__`) and from changing objects;
this one also keeps them to *data*: on a content model (pydantic) they read its fields,
on Folio's own view objects their fields and the few helpers each class lists in
`TEMPLATE_HELPERS`, on plain values (text, numbers, dates, lists, mappings) what Jinja2's
sandbox allows. Anything else, such as `edition.parse_raw(...)` or `model_dump_json`, is
a `SecurityError`. Work is bounded too: each render has `RENDER_SECONDS`, checked on every
pass of every `{% for %}`, and `MAX_OUTPUT` characters; powers, repetitions and widths
that would build a huge value are refused before they are computed.
"""

from __future__ import annotations

import contextvars
import dataclasses
import datetime
import functools
import inspect
import re
import time
import types
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup
from pydantic import BaseModel

RENDER_SECONDS = 10.0
"""How long one template may take to render (the default theme's take under 0.2 s)."""
MAX_OUTPUT = 50_000_000
"""How many characters one template may write (a 2,000-section print document is ~10 M)."""
MAX_SIZE = 1_000_000
"""The largest number a template may pass as a width or a count, and the most items or
characters a `*` may make."""
MAX_POWER_BITS = 4096
"""The largest whole number (in bits) a `**` may make."""

PLAIN_TYPES: tuple[type, ...] = (str, bytes, int, float, complex, bool, type(None),
                                 datetime.date, datetime.time, datetime.timedelta,
                                 list, tuple, dict, set, frozenset, range)
"""Values whose own attributes a template may use, as Jinja2's sandbox allows them."""

PACE = "folio_paced"
"""The filter every `{% for %}` loop's items go through (added when a template compiles)."""

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "folio_template_deadline", default=None)
HUGE_FORMAT = re.compile(r"%[-#0 +]*(\d*\.)?\d{7,}|\{[^{}]*:[^{}]*\d{7,}")
"""A `%` or `{}` format with a width or precision of a million or more."""
WIDTH_METHODS = frozenset(["center", "ljust", "rjust", "zfill", "expandtabs"])
"""Text methods whose number is a width to pad to."""
WIDTH_FILTERS = frozenset(["center", "indent", "wordwrap", "truncate", "batch", "slice"])
"""Filters whose numbers are widths or counts."""
MAX_RANGE = 100_000
"""The most numbers `range()` gives a template (as Jinja2's sandbox)."""


class TemplateLimit(SecurityError):
    """A template went past a limit of time, size or number."""

    place: tuple[str | None, int | None] = (None, None)
    """The template file and line, when the traceback cannot tell them."""


def template_attributes(obj: Any) -> frozenset[str] | None:
    """Return the attributes a template may read on `obj`; None means Jinja2's own rules.

    Content models and Folio's view objects give their fields, the properties Folio's own
    classes define, and the methods their class lists in `TEMPLATE_HELPERS`; plain values
    and Jinja2's own objects (loops, macros, namespaces) follow the sandbox's rules;
    anything else gives nothing.
    """
    kind = type(obj)
    if isinstance(obj, (*PLAIN_TYPES, Markup)) or kind.__module__.startswith("jinja2."):
        return None
    return _readable(kind)  # type: ignore[arg-type]  # a class is hashable


@functools.lru_cache(maxsize=256)
def _readable(kind: type) -> frozenset[str]:
    names: set[str] = set(getattr(kind, "TEMPLATE_HELPERS", ()))
    if issubclass(kind, BaseModel):
        names |= set(kind.model_fields) | set(kind.model_computed_fields)
    elif dataclasses.is_dataclass(kind):
        names |= {f.name for f in dataclasses.fields(kind)}
    for owner in kind.__mro__:
        if owner.__module__.startswith("folio."):
            names |= {name for name, value in vars(owner).items()
                      if isinstance(value, (property, functools.cached_property))}
    return frozenset(names)


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, kept to data and bounded in time and size."""

    intercepted_binops = frozenset(["**", "*", "%"])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters = {name: _bounded(name, f) for name, f in self.filters.items()}
        self.filters[PACE] = _paced
        self.globals["range"] = _safe_range

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        allowed = template_attributes(obj)
        return allowed is None or attr in allowed

    def is_safe_callable(self, obj: Any) -> bool:
        if not super().is_safe_callable(obj):
            return False
        owner = getattr(obj, "__self__", None)  # a bound method's object (a module: a builtin)
        if owner is not None and not isinstance(owner, (type, types.ModuleType)):
            allowed = template_attributes(owner)
            return allowed is None or getattr(obj, "__name__", "") in allowed
        return not (isinstance(obj, type) and issubclass(obj, BaseModel))

    def call(__self, __context: Any, __obj: Any, *args: Any,  # Jinja's own names
             **kwargs: Any) -> Any:
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(owner, (str, bytes)) and name in WIDTH_METHODS:
            _check_sizes(args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, str) and attribute in ("format", "format_map"):
            _check_format(obj)  # Jinja2 hands out its own `format`, not the bound method
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, str) and argument in ("format", "format_map"):
            _check_format(obj)
        return super().getitem(obj, argument)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and \
                right > 0 and abs(left) > 1 and right * abs(left).bit_length() > MAX_POWER_BITS:
            raise TemplateLimit(f"{left} ** {right} is a number too large to write out")
        if operator == "*":
            for times, other in ((left, right), (right, left)):
                if isinstance(times, int) and isinstance(other, (str, list, tuple)) and \
                        times * len(other) > MAX_SIZE:
                    raise TemplateLimit(f"'*' would make {times * len(other):,} items or "
                                        f"characters; the limit is {MAX_SIZE:,}")
        if operator == "%" and isinstance(left, str):
            _check_format(left)
        return super().call_binop(context, operator, left, right)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        # Every loop's items pass through `folio_paced`, which watches the clock: a loop
        # with nothing to write would otherwise run past any check of the output.
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, PACE, [], [], None, None, lineno=loop.lineno)
        return tree


def _check_sizes(args: Iterable[Any], kwargs: dict[str, Any]) -> None:
    """Refuse a width or count that would make a huge value before it is made."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SIZE:
            raise TemplateLimit(f"the width or count {value} is larger than templates may "
                                f"use ({MAX_SIZE:,})")


def _check_format(text: str) -> None:
    """Refuse a format (`%1000000000s`, `{:>1000000000}`) that pads to a huge width."""
    if HUGE_FORMAT.search(text):
        raise TemplateLimit(f"a format asks for a width larger than templates may use "
                            f"({MAX_SIZE:,})")


def _safe_range(*args: int) -> range:
    """Return `range(...)`, refusing one of more than `MAX_RANGE` numbers with a reason."""
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TemplateLimit(f"range() of {len(numbers):,} numbers is more than templates may "
                            f"use ({MAX_RANGE:,})")
    return numbers


def _bounded(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a filter so that widths, counts and formats are checked first (`center(10**9)`)."""
    skip = 2 if hasattr(function, "jinja_pass_arg") else 1  # context or environment first

    @functools.wraps(function)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if name in WIDTH_FILTERS:
            _check_sizes(args[skip:], kwargs)
        if name == "format" and len(args) >= skip and isinstance(args[skip - 1], str):
            _check_format(args[skip - 1])
        return function(*args, **kwargs)

    return checked


def _paced(items: Any) -> Iterator[Any]:
    """Yield a loop's items, stopping the render once its time is up."""
    deadline = _deadline.get()
    for item in items:
        if deadline is not None and time.monotonic() > deadline:
            raise TemplateLimit(f"this template took more than {RENDER_SECONDS:g} seconds; "
                                "simplify its loops")
        yield item


def render(template: jinja2.Template, context: dict[str, Any]) -> str:
    """Render `template` within `RENDER_SECONDS` and `MAX_OUTPUT` characters."""
    token = _deadline.set(time.monotonic() + RENDER_SECONDS)
    try:
        size = 0
        parts = []
        stream: Any = template.generate(context)  # a generator: it can be closed
        for part in stream:
            size += len(part)
            if size > MAX_OUTPUT:
                limit = TemplateLimit(f"this template writes more than {MAX_OUTPUT:,} "
                                      "characters; simplify its loops")
                limit.place = _writing(stream)
                stream.close()
                raise limit
            parts.append(part)
        return "".join(parts)
    finally:
        _deadline.reset(token)


def _writing(stream: Any) -> tuple[str | None, int | None]:
    """Return the template file and line where a paused render is writing.

    Blocks pass their output up with `yield from`; includes with a loop over a generator
    that the including template keeps in a variable: both are followed down.
    """
    place: tuple[str | None, int | None] = (None, None)
    while stream is not None and stream.gi_frame is not None:
        frame = stream.gi_frame
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            place = (template.filename, template.get_corresponding_lineno(frame.f_lineno))
        stream = stream.gi_yieldfrom or next(
            (value for value in frame.f_locals.values() if inspect.isgenerator(value)
             and value.gi_suspended and value is not stream), None)
    return place
