"""Slack listeners: ack, parse, call a service, render. Registered by create_app."""
