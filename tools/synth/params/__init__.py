"""Parameter synthesis: what each slot stands for, where its values come from, session-bound values.

``roles`` classifies slots; ``plan`` holds the per-slot plan and fills sessions; ``generators``,
``objects`` and ``cluster`` make values nothing observed; ``proposals`` asks the LLM;
``consistency`` measures shared identifiers; ``planning`` is the pipeline stage.
"""
