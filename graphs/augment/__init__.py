"""The augment graph: source -> verified paths -> labeled synthetic sessions -> dataset (``run``)."""
