"""走访: the visits page and its forms."""
