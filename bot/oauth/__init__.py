"""Multi-workspace mode: "Add to Slack" (OAuth v2), tokens encrypted at rest, token rotation.

``store`` keeps installations in slack_sdk's tables with every token encrypted (``crypto``);
``tokens`` finds a workspace's token and refreshes it under a per-installation lock;
``authorize`` gives Bolt the token of the workspace a request comes from; ``flow`` and
``pages`` are the install page and the redirect's answer.
"""
