"""AWS list prices as data: prices.json, its loader and the Price List API refresh.

Imports no Django.
"""

from builder.insights.pricing.book import (
    PRICES_PATH,
    Price,
    PriceBook,
    PriceCatalogError,
    dump_price_data,
    load_price_book,
    parse_price_book,
)

__all__ = [
    "PRICES_PATH",
    "Price",
    "PriceBook",
    "PriceCatalogError",
    "dump_price_data",
    "load_price_book",
    "parse_price_book",
]
