"""Slack-facing helpers that are not listeners: who is asking, and replying to them."""
