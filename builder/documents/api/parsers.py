"""Request bodies as JSON every part of the system can store and send back.

The rules are builder.catalog.safejson's, shared with the collaboration websocket; here
they run once for every endpoint, and a refusal is a 400 naming the JSON pointer of the
value at fault.
"""

from __future__ import annotations

from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.parsers import get_encoding

from builder.catalog import safejson


class UnsafeJSON(ParseError):
    """A value in the body the system cannot carry; `path` is its JSON pointer."""

    def __init__(self, path: str, message: str):
        super().__init__(message)
        self.path = path


def check_value(value: Any, strings: bool = True) -> None:
    """safejson.check_value for a value taken from a request: raises UnsafeJSON (a 400)."""
    try:
        safejson.check_value(value, strings)
    except safejson.UnsafeValue as exc:
        raise UnsafeJSON(exc.path, exc.message) from None


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with safejson's decoding and checks."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = get_encoding(parser_context or {})
        try:
            text = stream.read().decode(encoding)
            data = safejson.decode(text)
            safejson.check_decoded(data, text)
        except safejson.UnsafeValue as exc:
            raise UnsafeJSON(exc.path, exc.message) from None
        except ValueError as exc:  # also UnicodeDecodeError
            raise ParseError(f"JSON parse error - {exc}") from None
        return data
