"""Many territories at once: each studied as a DVC experiment, then compared on one page
(`make studies`, `python -m pipeline.batch`)."""
