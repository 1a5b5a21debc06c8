"""The process-wide recommender state: the match index, the path finder and the active ranker, each behind one
``ProcessHolder`` (``holder.py``), refreshed by probes rather than rebuilt per request."""
