"""Replies through a response_url (bot/slack/replies.py), against the Slack stand-in."""

from __future__ import annotations

import logging

from slack_bolt import Respond

from bot.slack.replies import deliver

LOG = logging.getLogger("test")


def test_replies_reuse_one_kept_alive_connection(slack):
    urls = [slack.new_response_url() for _ in range(3)]
    for i, url in enumerate(urls):
        assert deliver(Respond(response_url=url), LOG, text=f"reply {i}", response_type="ephemeral")
    calls = [slack.responses(url)[0] for url in urls]
    assert [c.params["text"] for c in calls] == ["reply 0", "reply 1", "reply 2"]
    assert len({c.peer for c in calls}) == 1  # no new TCP (on Slack: TLS) handshake per reply


def test_a_reply_leaves_out_unset_fields_and_sends_blocks_as_json(slack):
    url = slack.new_response_url()
    block = {"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}
    deliver(Respond(response_url=url), LOG, text="hi", blocks=[block], replace_original=None)
    params = slack.wait_for_response(url)
    assert params == {"text": "hi", "blocks": [block]}


def test_replies_go_through_the_proxy_the_environment_names(slack, monkeypatch):
    from bot.console.local_slack import LocalSlack

    with LocalSlack(team_id="T1") as proxy:  # records what it is sent, forwards nothing
        for name in ("HTTPS_PROXY", "https_proxy", "http_proxy"):  # HTTPS_PROXY comes first
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTP_PROXY", proxy.base_url)
        url = slack.new_response_url()
        assert deliver(Respond(response_url=url), LOG, text="via the proxy")
        assert proxy.responses(url)[0].params["text"] == "via the proxy"
    assert slack.responses(url) == []


def test_a_request_without_a_response_url_is_logged_as_a_lost_reply(caplog):
    assert not deliver(Respond(response_url=None), LOG, text="nowhere to go")
    assert "reply lost: the request has no response_url" in caplog.text
