"""Vietnamese number formats. Django's Vietnamese locale names "." as the thousands separator but
sets no grouping, so `intcomma` and `floatformat:"0g"` printed 83834 where Vietnamese writes
83.834. Plain numbers (years, codes) stay ungrouped: USE_THOUSAND_SEPARATOR stays off, and only
the filters that ask for grouping group."""

THOUSAND_SEPARATOR = "."
DECIMAL_SEPARATOR = ","
NUMBER_GROUPING = 3
