"""The generated READMEs: titled with the architecture's name whatever it holds, the
name prefix explained, prose wrapped at 88 columns, requirements a reader can act on."""

from __future__ import annotations

import unicodedata
from functools import partial

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from bench.docgen import make_document
from codegen import generate
from codegen.readme import WIDTH, inline, wrap
from codegen.templates import TEMPLATE_IDS, get_template
from tests.strategies import HOSTILE_LABEL

TARGETS = ("terraform", "cdk")
# CommonMark plus the GitHub extensions a README is most often read with.
MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
HOSTILE_NAMES = (
    "Bob's <script>alert(1)</script> <b>bold</b>",
    "# not a heading\n## nor this\n---\nsecond line",
    "`code` *em* _em_ **strong** [link](https://example.com) ![img](x.png) <https://x>",
    "1. one\n2) two\n- three\n+ four\n* five\n> quote\n===\n| a | b |",
    "&amp; &#35; $x$ ~~gone~~ a|b back\\slash trailing #",
    "tab\there\r\nNEL\x85line\u2028separator\x7fdel\u202eright-to-left",
    HOSTILE_LABEL,
)


def shown(text: str) -> str:
    """What a label reads as on one line: control characters and runs of white space
    become one space."""
    cleaned = "".join(" " if unicodedata.category(c).startswith("C") else c for c in text)
    return " ".join(cleaned.split())


def plain(token: Token) -> str:
    """The text an inline token renders, line breaks read as spaces."""
    return "".join(" " if c.type == "softbreak" else c.content for c in token.children or [])


def named(template_id: str, name: str, prefix: str | None = "qa-container-platfor") -> dict:
    doc = get_template(template_id)
    doc["name"] = name
    doc.pop("metadata", None)
    if prefix:
        doc["metadata"] = {"name_prefix": prefix}
    return doc


def prose_lines(markdown: str) -> list[str]:
    """Lines of paragraphs and list items: not headings, tables or fenced code."""
    lines, fenced = [], False
    for line in markdown.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and not line.startswith(("#", "|")):
            lines.append(line)
    return lines


@pytest.mark.parametrize("pinned", [True, False])
@pytest.mark.parametrize("target", TARGETS)
def test_the_title_is_the_architecture_name_and_the_prefix_is_explained(target, pinned):
    doc = named("container-platform", "QA container platform", "qa-container-platfor")
    if not pinned:
        del doc["metadata"]
    readme = generate(doc, target)["README.md"]

    assert readme.splitlines()[0] == "# QA container platform"
    names = " ".join(readme.split("## Resource names\n")[1].split("\n## ")[0].split())
    assert "`qa-container-platfor`" in names
    if pinned:
        assert "fixed in `cloudwright.json` (`metadata.name_prefix`)" in names
        assert "never renames" in names
    else:
        assert "set `metadata.name_prefix` in `cloudwright.json` to keep it" in names


@pytest.mark.parametrize("name", HOSTILE_NAMES)
@pytest.mark.parametrize("target", TARGETS)
def test_any_name_is_one_plain_heading(target, name):
    tokens = MARKDOWN.parse(generate(named("serverless-crud", name), target)["README.md"])

    assert (tokens[0].type, tokens[0].tag, tokens[0].map) == ("heading_open", "h1", [0, 1])
    assert [c.type for c in tokens[1].children] == ["text"]
    assert plain(tokens[1]) == shown(name)
    assert [t.tag for t in tokens if t.type == "heading_open"].count("h1") == 1
    assert not [t for t in tokens if t.type.startswith("html")]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
# Words that open a block at the start of a line, where wrapping puts them.
@example("numbered 1. item 2) item")
@example("bullets - a + b * c")
@example("underlined\n=== and ---")
@example("quoted > a # b ```c")
def test_any_text_reads_as_itself_in_a_heading_and_in_a_wrapped_list_item(text):
    heading = MARKDOWN.parse(f"# {inline(text)}")
    assert [c.type for c in heading[1].children or []] in ([], ["text"])
    assert plain(heading[1]) == shown(text)

    # A narrow width puts every word at the start of a line somewhere.
    tokens = MARKDOWN.parse(wrap(f"- {inline(text)}", width=12))
    assert [t.type for t in tokens if t.type.endswith("_open")] == (
        ["bullet_list_open", "list_item_open"] + (["paragraph_open"] if shown(text) else [])
    )
    inlines = [t for t in tokens if t.type == "inline"]
    assert [plain(t) for t in inlines] == ([shown(text)] if shown(text) else [])
    assert all(c.type in ("text", "softbreak") for t in inlines for c in t.children or [])


def hostile_document() -> dict:
    """Every label hostile, in a region whose notes from the builder quote labels."""
    doc = get_template("container-platform")
    for node in doc["nodes"]:
        node["name"] = HOSTILE_LABEL
    doc["region"] = "eu-west-1"  # CloudFront delivers no access logs there: a note
    return doc


DOCUMENTS = {
    **{t: partial(get_template, t) for t in TEMPLATE_IDS},
    "split": partial(make_document, 300),
    "hostile": hostile_document,
}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("what", DOCUMENTS)
def test_prose_fits_in_88_columns_and_wrapping_it_again_changes_nothing(what, target):
    readme = generate(DOCUMENTS[what](), target)["README.md"]

    for line in prose_lines(readme):
        # A single word longer than the width (a long code span) stands alone.
        assert len(line) <= WIDTH or " " not in line.strip(), line
    assert wrap(readme) == readme


def test_hostile_labels_in_the_notes_from_the_builder_stay_text():
    readme = generate(hostile_document(), "terraform")["README.md"]
    notes = readme.split("## Notes from the builder\n")[1].split("\n## ")[0]

    assert shown(HOSTILE_LABEL) in " ".join(plain(t) for t in MARKDOWN.parse(notes))
    assert not [t for t in MARKDOWN.parse(readme) if t.type.startswith("html")]


def test_cdk_readme_says_which_node_versions_work_and_where_python_app_py_writes():
    readme = " ".join(generate(get_template("serverless-crud"), "cdk")["README.md"].split())

    assert "Node 22 or 24 (LTS) is recommended" in readme
    assert "Node 20 still works" in readme
    assert "`export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20` silences it" in readme
    assert "Python 3.10 or later" in readme
    assert "`python app.py` writes to `cdk.out/` next to `app.py`" in readme
    assert "(`CDK_OUTDIR`)" in readme
