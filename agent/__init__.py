"""The conversational tool-calling agent: tools over tools/ and graphs/, a LangGraph graph, sessions.

``AgentSession(workspace, model, store).ask(question)`` runs one turn; ``run_slash`` runs a slash
command with no model. The CLI commands ``ask`` and ``chat`` are in ``cli.py``; the TUI imports this
package, never the other way round.
"""
