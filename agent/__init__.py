"""The conversational tool-calling agent (a later issue): tool schemas over tools/, prompts, sessions."""
