"""矛盾调处: the mediation page and its forms."""
