"""The catalog: what Cloudwright knows about AWS component types and edges, as data.

Imports no Django: the API, collaboration, CLI, codegen and analyses share it.
"""

from builder.catalog.loader import (
    ACCESS_LEVELS,
    Catalog,
    CatalogError,
    ComponentType,
    EdgeRule,
    get_catalog,
    load_catalog,
)
from builder.catalog.validate import (
    FORMAT,
    DocumentError,
    DocumentInvalid,
    check_document,
    validate_document,
)

__all__ = [
    "ACCESS_LEVELS",
    "FORMAT",
    "Catalog",
    "CatalogError",
    "ComponentType",
    "DocumentError",
    "DocumentInvalid",
    "EdgeRule",
    "check_document",
    "get_catalog",
    "load_catalog",
    "validate_document",
]
