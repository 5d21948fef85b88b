"""Item pipelines: one concern per module, applied in the order set in `ITEM_PIPELINES`.

Spiders only extract; everything that cleans or judges a field lives here and counts what it
could not parse in the crawl stats under `skillscout/field/<name>/...`."""
