"""The mock model's plan: a quoted message goes to the statement list filtered by it."""

from anomalygen.agent.backends.planner import plan


def test_a_quoted_message_is_looked_up_among_the_statements() -> None:
    assert plan("which statement prints 'Receiving block'?") == (
        "list_log_statements", {"filter": "Receiving block", "limit": 30})
    assert plan("where is \u201cExpiring session\u201d logged?") == (
        "list_log_statements", {"filter": "Expiring session", "limit": 30})
    # no quotes: the whole list; quotes without a word about logging: code search
    assert plan("which statements are there?") == ("list_log_statements", {"filter": "", "limit": 30})
    assert plan("what does 'x' do") == ("search_code", {"query": "what does 'x' do"})
