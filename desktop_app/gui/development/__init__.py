"""发展党员 page: the pipeline per branch, each person's file, advancing one step, the printed forms."""
