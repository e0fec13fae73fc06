"""首页概览: the overview page (counts, what is due, the street's communities)."""
