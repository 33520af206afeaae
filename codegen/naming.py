"""Every naming rule for generated code lives here.

Identifiers come from node and edge ids, never from labels, so renaming a box never
changes an address (Terraform), a construct id (CDK) or a logical id (CloudFormation)
and a deploy never replaces the resource. Labels only ever reach generated code as
escaped string literals (see `hcl_string` and `python_string`).
"""

from __future__ import annotations

import hashlib
import keyword
import re
import unicodedata
from json.encoder import encode_basestring

_NON_IDENT = re.compile(r"[^A-Za-z0-9_]")


def short_hash(text: str, length: int = 6) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def tf_name(*ids: str) -> str:
    """A Terraform resource name from node/edge ids: letters, digits, _ and -.

    Terraform names may not start with a digit; ids may, so those get a letter in front.
    """
    name = "__".join(ids)
    return name if name[0].isalpha() or name[0] == "_" else f"n{name}"


def python_ident(node_id: str) -> str:
    """A Python variable name for a node id (lower snake case, never a keyword)."""
    ident = _NON_IDENT.sub("_", node_id).lower()
    if not ident[0].isalpha():
        ident = f"n_{ident}"
    if keyword.iskeyword(ident) or ident in {"self", "app", "stack", "cdk", "scope"}:
        ident = f"{ident}_"
    return ident


def unique_idents(ids: list[str], make=python_ident) -> dict[str, str]:
    """Map ids to identifiers, disambiguating ids that fold to the same name.

    An id whose folded form another id also folds to gets a hash of itself appended,
    so the result depends only on the id (stable), not on which node came first.
    """
    folded: dict[str, list[str]] = {}
    for node_id in ids:
        folded.setdefault(make(node_id), []).append(node_id)
    out = {}
    for ident, owners in folded.items():
        for node_id in owners:
            out[node_id] = ident if len(owners) == 1 else f"{ident}_{short_hash(node_id)}"
    return out


def env_name(node_id: str, suffix: str) -> str:
    """Environment variable naming a target, e.g. ORDERS_TABLE_NAME."""
    return f"{_NON_IDENT.sub('_', node_id).upper()}_{suffix}"


def path_segment(node_id: str) -> str:
    """URL path segment for an API route or listener rule from a node id."""
    return re.sub(r"[^a-z0-9-]", "-", node_id.lower()).strip("-") or short_hash(node_id)


def physical_suffix(node_id: str, max_length: int) -> str:
    """The node's part of an AWS resource name, within `max_length` characters.

    AWS names allow fewer characters than ids, so long ids keep a prefix plus a hash.
    """
    slug = re.sub(r"[^a-z0-9-]", "-", node_id.lower()).strip("-") or "n"
    if len(slug) <= max_length and slug == node_id:
        return slug
    keep = max(1, max_length - 7)
    return f"{slug[:keep].rstrip('-')}-{short_hash(node_id)}"


def slug(text: str, max_length: int = 40) -> str:
    """A lower-case, hyphenated form of free text, e.g. a document name for a prefix."""
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:max_length].strip("-")
    return value or "cloudwright"


def json_string(text: str) -> str:
    """`json.dumps(text, ensure_ascii=False)`, without building an encoder per call: the
    renderers write tens of thousands of literals per large document."""
    return encode_basestring(text)


def hcl_string(text: str) -> str:
    """A Terraform string literal holding `text` exactly, with no interpolation.

    JSON escaping handles quotes, backslashes, control characters and newlines; `${`
    and `%{` would start a template sequence in HCL, so their first character is
    written as a unicode escape (`\\u0024{`), which Terraform reads as literal text.
    (HCL's own `$${` escape is valid too, but python-hcl2 cannot parse it everywhere.)
    """
    escaped = encode_basestring(text)
    if "{" not in escaped:
        return escaped
    return escaped.replace("${", "\\u0024{").replace("%{", "\\u0025{")


def python_string(text: str) -> str:
    """A Python string literal holding `text` exactly (never an f-string).

    JSON's escapes are all valid in Python literals; non-ASCII text stays as it is,
    which UTF-8 source files hold.
    """
    return json_string(text)


def stack_ident(index: int) -> str:
    """Module and variable name of the `index`-th stack of a split CDK app."""
    return f"part_{index:02d}"


def stack_class(index: int) -> str:
    return f"Part{index:02d}Stack"


def companion_ident(ident: str, suffix: str, taken: set[str]) -> str:
    """A name for a construct that belongs to a node (its listener, its cluster...).

    Node identifiers are in `taken`; a companion that would collide with one gets the
    hash of its own name appended, so it still depends only on ids.
    """
    candidate = f"{ident}_{suffix}"
    return candidate if candidate not in taken else f"{candidate}_{short_hash(candidate)}"


_TAG_UNSAFE = re.compile(r"[^\w .:/=+\-@]")


def tag_value(text: str) -> str:
    """A label as an AWS tag value: some services (IAM, for one) refuse any character
    outside letters, digits, spaces and `_.:/=+-@`, and every service stops at 256."""
    value = " ".join(_TAG_UNSAFE.sub(" ", text).split())
    return value[:256].rstrip()


def aws_name_prefix(prefix: str) -> str:
    """The name prefix as AWS resource names take it: RDS, ElastiCache and ECR names
    must start with a letter, so a prefix starting with a digit gets one."""
    if prefix[:1].isalpha():
        return prefix
    return f"cw-{prefix}"[:20].rstrip("-")


def construct_id(owner_id: str, suffix: str) -> str:
    """The CDK construct id of a construct a node or edge owns, e.g. `orders.logs`.

    Ids never hold a dot, so these never collide with a node's or edge's own id.
    """
    return f"{owner_id}.{suffix}"


def cfn_logical_id(construct_id: str) -> str:
    """The CloudFormation logical id of a top-level L1 construct.

    CDK uses such a construct's id with the non-alphanumerics removed, so `a-b` and
    `a_b` would collide (and `-` would be empty); folded ids get their hash appended.
    """
    base = re.sub(r"[^A-Za-z0-9]", "", construct_id)
    return base if base == construct_id else f"{base}{short_hash(construct_id, 8).upper()}"


def free_text(text: str, max_length: int) -> str:
    """A label for an AWS free-text field (a description): control characters, which
    AWS and CloudFormation refuse, become spaces; cut to the field's limit."""
    cleaned = "".join(" " if unicodedata.category(c).startswith("C") else c for c in text)
    return cleaned[:max_length]
