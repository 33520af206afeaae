"""What the generated READMEs share: their title, the name prefix, safe text, wrapping.

A label can hold anything (line breaks, `#`, backticks, HTML): `inline` turns it into
Markdown that shows exactly its text, on one line. `wrap` fills paragraphs and list
items to WIDTH columns, the same way for the same text, so the READMEs read well in a
terminal and diff cleanly.
"""

from __future__ import annotations

import re

from codegen import naming
from codegen.model import Model

WIDTH = 88

# Characters CommonMark, GitHub's extensions or HTML read wherever they stand:
# escapes, code, emphasis, links, HTML tags and entities, tables, strikethrough, math,
# and `#`, which closes or (at the start of a line) opens a heading.
_MARKUP = re.compile(r"([\\`*_\[\]<>&|~$#])")
# `-`, `+` and `=` start a list item or underline a heading at the start of a line,
# where wrapping can put any word.
_WORD_MARK = re.compile(r"(?<!\S)([-+=])")
# `1.` or `1)` as a word starts a numbered list there.
_ORDINAL = re.compile(r"(?<!\S)([0-9]{1,9})([.)])(?!\S)")

_FENCE = re.compile(r"^(```|~~~)")
_ITEM = re.compile(r"^ *(?:[-*+]|[0-9]{1,9}[.)]) +")
# A word wrapping never breaks: escaped characters and code spans (which may hold
# spaces, and keep commands whole) stay with the text around them.
_WORD = re.compile(r"(?:\\\S|`[^`]*`|\S)+")


def inline(text: str) -> str:
    """Free text as Markdown showing exactly that text on one line: control characters
    and line breaks become single spaces, and markup characters are escaped."""
    one_line = " ".join(naming.free_text(text, len(text)).split())
    escaped = _WORD_MARK.sub(r"\\\1", _MARKUP.sub(r"\\\1", one_line))
    return _ORDINAL.sub(r"\1\\\2", escaped)


def title(model: Model) -> str:
    """The README's first line: the architecture's name (the document's `name`)."""
    return f"# {inline(model.name) or 'Cloudwright architecture'}\n"


def prefix_origin(model: Model) -> str:
    """Where the name prefix comes from and what renaming the architecture does to it."""
    if model.document.get("metadata", {}).get("name_prefix"):
        return (
            "It is fixed in `cloudwright.json` (`metadata.name_prefix`), so renaming the "
            "architecture never renames, and so never replaces, a resource."
        )
    return (
        "It comes from the architecture's name; set `metadata.name_prefix` in "
        "`cloudwright.json` to keep it when the architecture is renamed (a new prefix "
        "renames, and so replaces, the resources)."
    )


def wrap(markdown: str, width: int = WIDTH) -> str:
    """`markdown` with its paragraphs and list items filled to `width` columns; headings,
    tables, blank lines and fenced code stay as they are. A word longer than the width
    (a long code span) gets a line of its own."""
    out: list[str] = []
    block: list[str] = []  # the lines of the paragraph or list item being read
    fenced = False
    for line in markdown.split("\n"):
        verbatim = fenced or not line.strip() or line.startswith(("#", "|"))
        if verbatim or _FENCE.match(line):
            out += _fill(block, width)
            block = []
            out.append(line)
            fenced ^= bool(_FENCE.match(line))
        elif block and not _ITEM.match(line):
            block.append(line)
        else:
            out += _fill(block, width)
            block = [line]
    return "\n".join(out + _fill(block, width))


def _fill(block: list[str], width: int) -> list[str]:
    if not block:
        return []
    item = _ITEM.match(block[0])
    lead = item.group(0) if item else ""
    text = " ".join([block[0][len(lead) :], *(line.strip() for line in block[1:])])
    lines: list[str] = []
    prefix, words, used = lead, [], len(lead)
    for word in _WORD.findall(text):
        if words and used + 1 + len(word) > width:
            lines.append(prefix + " ".join(words))
            # A list item's later lines line up with its text.
            prefix, words, used = " " * len(lead), [], len(lead)
        used += len(word) + (1 if words else 0)
        words.append(word)
    return [*lines, prefix + " ".join(words)]
