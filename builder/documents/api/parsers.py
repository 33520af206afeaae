"""Request bodies as JSON every part of the system can store and send back (RFC 7493).

Python's json module decodes some texts no later step can handle: a lone UTF-16
surrogate ("\\ud800") becomes a str that cannot be encoded as UTF-8 (the response,
the database write and the generated files all fail), and a number beyond the double
range ("1e400") becomes inf, which strict JSON output and PostgreSQL's jsonb refuse.
Integers beyond 2**53 would reach the browser changed, and nesting deep enough to
exhaust Python's stack fails every recursive step after parsing. All are refused here,
once for every endpoint, with the JSON pointer of the value at fault.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.parsers import get_encoding
from rest_framework.utils.json import strict_constant

# I-JSON (RFC 7493, 2.2): integers a JavaScript client reads back unchanged.
MAX_SAFE_INTEGER = 2**53 - 1
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# A decoded body holds a surrogate only where its text holds one, escaped or (with a
# charset such as unicode_escape) raw; a text without either needs no string checks.
MAYBE_SURROGATE = re.compile(r"[\ud800-\udfff]|\\u[dD][89a-fA-F]")
# Documents nest about six levels; props such as event patterns add a few more. The
# limit keeps every recursive step after parsing (validation, copies, JSON output)
# far from Python's recursion limit.
MAX_DEPTH = 64
TOO_DEEP = f"the body may nest at most {MAX_DEPTH} levels deep"


class UnsafeJSON(ParseError):
    """A value in the body the system cannot carry; `path` is its JSON pointer."""

    def __init__(self, path: str, message: str):
        super().__init__(message)
        self.path = path


def _pointer(parts: tuple) -> str:
    """JSON pointer of `parts`, lone surrogates written as escapes so the error prints."""
    tokens = (str(p).replace("~", "~0").replace("/", "~1") for p in parts)
    return LONE_SURROGATE.sub(
        lambda m: f"\\u{ord(m.group()):04x}", "".join(f"/{t}" for t in tokens)
    )


def _surrogate(text: str) -> str:
    found = LONE_SURROGATE.search(text)
    return f"a lone UTF-16 surrogate (\\u{ord(found.group()):04x}); send valid Unicode"


def check_value(value: Any, strings: bool = True) -> None:
    """Raise UnsafeJSON for a value in decoded JSON that cannot be carried.

    Iterative, so the depth limit (not Python's stack) decides how deep a body may go,
    and tight: it runs on every request body, a 1,000-node document holds ~25,000
    values. `strings=False` skips the surrogate check (see MAYBE_SURROGATE).
    """
    if type(value) is not dict and type(value) is not list:
        problem = _scalar_problem(value, strings)
        if problem:
            raise UnsafeJSON("", problem)
        return
    pending: list[tuple[Any, tuple]] = [(value, ())]
    while pending:
        container, path = pending.pop()
        if len(path) >= MAX_DEPTH:
            raise UnsafeJSON(_pointer(path), TOO_DEEP)
        is_dict = type(container) is dict
        for key, item in container.items() if is_dict else enumerate(container):
            if strings and is_dict and LONE_SURROGATE.search(key):
                raise UnsafeJSON(_pointer((*path, key)), f"a key may not hold {_surrogate(key)}")
            kind = type(item)
            if kind is dict or kind is list:
                pending.append((item, (*path, key)))
            # Cheap tests inline; the full check only for a value that may be at fault.
            elif (
                (kind is str and strings)
                or (kind is int and not -MAX_SAFE_INTEGER <= item <= MAX_SAFE_INTEGER)
                or kind is float
            ):
                problem = _scalar_problem(item, strings)
                if problem:
                    raise UnsafeJSON(_pointer((*path, key)), problem)


def _scalar_problem(value: Any, strings: bool) -> str | None:
    kind = type(value)
    if kind is str and strings and LONE_SURROGATE.search(value):
        return f"text may not hold {_surrogate(value)}"
    if kind is int and not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
        return f"integers must be between -{MAX_SAFE_INTEGER} and {MAX_SAFE_INTEGER}"
    if kind is float and not math.isfinite(value):
        return "the number is beyond the range of a double"
    return None


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser (strict: no NaN or Infinity) plus check_value on the result."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = get_encoding(parser_context or {})
        try:
            text = stream.read().decode(encoding)
            data = json.loads(text, parse_constant=strict_constant)
        except RecursionError:
            raise UnsafeJSON("", TOO_DEEP) from None
        except ValueError as exc:  # also UnicodeDecodeError
            raise ParseError(f"JSON parse error - {exc}") from None
        check_value(data, strings=MAYBE_SURROGATE.search(text) is not None)
        return data
