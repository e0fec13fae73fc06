"""The 党费 page: the branch's yearly grid, arrears, payments and bases."""
