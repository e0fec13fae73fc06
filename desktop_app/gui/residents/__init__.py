"""居民: households and residents, the people pickers and reference-list editor the other service pages share."""
