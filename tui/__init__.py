"""The Textual app: a source tree, the conversation, an LCFG/path view and a run panel.

It imports agent/ (and through it tools/ and graphs/); nothing imports it. One screen or widget per module.
"""
