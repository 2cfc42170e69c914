"""Session composition: kept paths of several entry points, shaped and interleaved like real sessions.

``sessions`` composes and fills; ``structure`` learns real sessions' shapes (a path cover);
``templates`` reuses whole real sessions; ``retry`` couples a retried failure with its caller's
retry line; ``realism`` compares synthetic with real sessions; ``synthesize`` is the pipeline stage.
"""
