"""LLM backends behind one small interface: openai (any OpenAI-compatible server), mock, none."""
