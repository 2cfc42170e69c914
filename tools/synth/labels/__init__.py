"""Labels of synthetic sessions: recovery-aware rules (``rules``), LLM refinement (``refine``), and
the pipeline stage (``labelling``)."""
