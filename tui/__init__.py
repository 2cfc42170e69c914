"""The Textual TUI (a later issue). Nothing else imports this package."""
