"""The local console: chat with Handoff in a terminal, against a Slack Web API stand-in."""
