import pytest

from bot.text import escape, from_slack


@pytest.mark.parametrize(
    ("slack", "plain"),
    [
        ("<!channel>", "@channel"),
        ("<!here|here>", "@here"),
        ("<!subteam^S1|@devs>", "@devs"),
        ("<@U123|sam>", "@sam"),
        ("<#C1|general>", "#general"),
        ("<https://example.com|site>", "site"),
        ("R&amp;D &lt;b&gt;", "R&D <b>"),
        ("&amp;lt;", "&lt;"),
    ],
)
def test_from_slack_gives_plain_text(slack, plain):
    assert from_slack(slack) == plain


def test_escape_neutralises_mentions_and_links():
    assert escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"
