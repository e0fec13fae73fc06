"""微实事: the projects page and its forms."""
