"""微心愿: the wishes page and its forms."""
