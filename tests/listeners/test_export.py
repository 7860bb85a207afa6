"""/logtask export through signed HTTP: the CSV files the bot uploads to the member's DM."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.console.local_slack import LocalSlack
from tests.support.slack_sim import flatten


def local_today(tz: str = "UTC"):
    return datetime.now(UTC).astimezone(ZoneInfo(tz)).date()


def long_day(d) -> str:
    return f"{d.day} {d:%B %Y}"


def sent_files(slack: LocalSlack) -> dict[str, list[dict[str, str]]]:
    """Each file shared through files.completeUploadExternal, by title, read back as CSV rows."""
    uploads = {c.method: c.params["_body"] for c in slack.calls if c.kind == "upload"}
    out = {}
    for call in slack.api_calls("files.completeUploadExternal"):
        files = call.params["files"]
        for f in json.loads(files) if isinstance(files, str) else files:
            text = uploads[f["id"]].decode("utf-8-sig")
            out[f["title"]] = list(csv.DictReader(io.StringIO(text)))
    return out


def raw_file(slack: LocalSlack, title: str) -> bytes:
    uploads = {c.method: c.params["_body"] for c in slack.calls if c.kind == "upload"}
    for call in slack.api_calls("files.completeUploadExternal"):
        files = call.params["files"]
        for f in json.loads(files) if isinstance(files, str) else files:
            if f["title"] == title:
                return bytes(uploads[f["id"]])
    raise AssertionError(f"no file titled {title!r}")


def worked_example(bot, user: str = "U1", team: str = "T1") -> None:
    bot.command("rate $80/h", user=user, team=team)
    bot.command("write blog post 2h weekly 2 weeks ago", user=user, team=team)
    bot.command("write blog post 1.5h 1 week ago", user=user, team=team)
    bot.command("quote write blog post $60/post from Jane", user=user, team=team)
    bot.command("write blog post 2.5h", user=user, team=team)


def test_export_sends_the_entries_as_a_csv_file_in_the_members_dm(bot, slack):
    slack.add_user("U1", name="Ann")
    worked_example(bot)
    text = bot.reply_text("export all")
    today = local_today()
    assert "Sent you a DM with three CSV files: your entries for all time, up to" in text
    assert f"up to {long_day(today)} (3 entries)" in text
    assert [c.params["users"] for c in slack.api_calls("conversations.open")] == ["U1"]
    [complete] = slack.api_calls("files.completeUploadExternal")
    assert complete.params["channel_id"] == "DU1"  # the DM conversations.open returned
    rows = sent_files(slack)["Handoff entries"]
    assert rows == [
        {
            "date": (today - timedelta(weeks=2)).isoformat(),
            "member_id": "U1",
            "member": "Ann",
            "task": "write blog post",
            "category": "",
            "minutes": "120",  # 2h
            "frequency": "weekly",
            "entry": "1",
            "overhead": "no",
        },
        {
            "date": (today - timedelta(weeks=1)).isoformat(),
            "member_id": "U1",
            "member": "Ann",
            "task": "write blog post",
            "category": "",
            "minutes": "90",  # 1.5h
            "frequency": "weekly",
            "entry": "2",
            "overhead": "no",
        },
        {
            "date": today.isoformat(),
            "member_id": "U1",
            "member": "Ann",
            "task": "write blog post",
            "category": "",
            "minutes": "150",  # 2.5h
            "frequency": "weekly",
            "entry": "3",
            "overhead": "no",
        },
    ]


def test_export_defaults_to_this_calendar_month_in_the_members_timezone(bot, slack):
    slack.add_user("U1", tz="Pacific/Kiritimati")  # UTC+14: often already another day
    today = local_today("Pacific/Kiritimati")
    first = today.replace(day=1)
    last_month = first - timedelta(days=1)
    bot.command(f"invoicing 30m {last_month.isoformat()}")
    bot.command("invoicing 45m")
    text = bot.reply_text("export")
    assert f"your entries for this month, {long_day(first)} to {long_day(today)} (1 entry)" in text
    rows = sent_files(slack)["Handoff entries"]
    assert [(r["date"], r["minutes"]) for r in rows] == [(today.isoformat(), "45")]


def test_export_quarter_starts_on_the_quarters_first_day(bot, slack):
    today = local_today()
    quarter_start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    bot.command(f"invoicing 30m {(quarter_start - timedelta(days=1)).isoformat()}")
    bot.command(f"invoicing 20m {quarter_start.isoformat()}")
    text = bot.reply_text("export quarter")
    assert f"this quarter, {long_day(quarter_start)} to {long_day(today)} (1 entry)" in text
    rows = sent_files(slack)["Handoff entries"]
    assert [(r["date"], r["minutes"]) for r in rows] == [(quarter_start.isoformat(), "20")]


def test_the_report_file_has_the_reports_figures_as_decimals_in_the_workspace_currency(bot, slack):
    worked_example(bot)
    bot.command("export")
    [row] = sent_files(slack)["Handoff report"]
    today = local_today()
    # 2h + 1.5h + 2.5h = 6h over three weekly occurrences: 2h a week.
    # In-house: 2h × $80 = $160; the 10% overhead kept: 2h × 10% × $80 = $16;
    # outsourcing one post a week at $60; savings 160 − 60 − 16 = $84 a week.
    assert row == {
        "task": "write blog post",
        "category": "",
        "frequency": "weekly",
        "core": "no",
        "verdict": "hand off",
        "hours_per_week": "2.00",
        "hourly_worth": "80.00",
        "in_house_week": "160.00",
        "overhead_week": "16.00",
        "outsourcing_week": "60.00",
        "savings_week": "84.00",
        "one_off": "no",
        "job_hours": "",
        "in_house_total": "",
        "outsourcing_total": "",
        "savings_total": "",
        "quote": "60.00",
        "quote_per": "occurrence",
        "provider": "Jane",
        "currency": "USD",
        "window_start": (today - timedelta(days=27)).isoformat(),  # the report's 28 days
        "window_end": today.isoformat(),
    }


def test_report_amounts_follow_the_currencys_minor_units(bot, slack):
    bot.command("currency JPY")
    bot.command("rate ¥3000/h")
    bot.command("filing 1h weekly")
    bot.command("quote filing ¥1000/week")
    bot.command("export")
    [row] = sent_files(slack)["Handoff report"]
    # 1h a week × ¥3,000 = ¥3,000 in-house; 10% kept = ¥300; 3000 − 1000 − 300 = ¥1,700.
    assert (row["in_house_week"], row["overhead_week"], row["savings_week"]) == (
        "3000",
        "300",
        "1700",
    )
    assert row["currency"] == "JPY"


def test_a_member_gets_only_their_own_entries(bot, slack):
    bot.command("invoicing 30m", user="U1")
    bot.command("invoicing 40m", user="U2")
    text = bot.reply_text("export", user="U2")
    assert "your entries" in text
    rows = sent_files(slack)["Handoff entries"]
    assert [(r["member_id"], r["minutes"]) for r in rows] == [("U2", "40")]


def test_an_admin_gets_everyones_entries(bot, slack):
    slack.add_user("UADMIN", name="Admin", is_admin=True)
    bot.command("invoicing 30m", user="U1")
    bot.command("invoicing 40m", user="U2")
    text = bot.reply_text("export", user="UADMIN")
    assert "everyone's entries" in text
    rows = sent_files(slack)["Handoff entries"]
    assert sorted((r["member_id"], r["minutes"]) for r in rows) == [("U1", "30"), ("U2", "40")]


def test_another_workspaces_entries_and_tasks_are_never_exported(bot, slack):
    slack.add_user("UADMIN", name="Admin", is_admin=True)
    bot.command("invoicing 30m", user="UADMIN", team="T1")
    worked_example(bot, user="UADMIN", team="T2")
    bot.command("secret project 3h", user="U9", team="T2")
    bot.command("export all", user="UADMIN", team="T1")
    files = sent_files(slack)
    assert [(r["task"], r["minutes"]) for r in files["Handoff entries"]] == [("invoicing", "30")]
    assert [r["task"] for r in files["Handoff report"]] == ["invoicing"]


def test_cells_that_would_run_as_formulas_get_an_apostrophe(bot, slack):
    assert "Logged" in bot.reply_text('“=HYPERLINK("http://x")” 10m')
    bot.command('"@sum(a1)" 10m')
    bot.command('"+1 plus" 10m')
    bot.command('"-2 minus" 10m')
    bot.command("export")
    files = sent_files(slack)
    tasks = sorted(r["task"] for r in files["Handoff entries"])
    assert tasks == ["'+1 plus", "'-2 minus", '\'=HYPERLINK("http://x")', "'@sum(a1)"]
    assert sorted(r["task"] for r in files["Handoff report"]) == tasks


def test_the_files_are_utf8_with_a_byte_order_mark_for_spreadsheets(bot, slack):
    bot.command("café menus 10m")
    bot.command("export")
    raw = raw_file(slack, "Handoff entries")
    assert raw.startswith(b"\xef\xbb\xbfdate,member_id,member,task,")
    assert "café menus".encode() in raw


def test_a_missing_files_scope_says_to_reinstall_and_the_reply_is_not_a_success(bot, slack):
    bot.command("invoicing 30m")
    slack.fail("files.getUploadURLExternal", "missing_scope")
    text = bot.reply_text("export")
    assert "missing_scope" in text
    assert "reinstall Handoff" in text
    assert "files:write" in text
    assert "Sent you" not in text
    assert not slack.api_calls("files.completeUploadExternal")


def test_a_dm_that_cannot_be_opened_says_so(bot, slack):
    slack.fail("conversations.open", "missing_scope")
    text = bot.reply_text("export")
    assert "missing_scope" in text
    assert "im:write" in text
    assert not [c for c in slack.calls if c.kind == "upload"]


def test_the_command_is_acked_before_the_upload_finishes(bot, slack):
    bot.command("invoicing 30m")
    gate = slack.hold("files.completeUploadExternal")
    result, url = bot.send_command("export")
    assert result.status == 200
    assert not slack.responses(url)  # the ack came; the reply waits for the files
    gate.set()
    assert "Sent you a DM" in flatten(slack.wait_for_response(url))


def test_an_unknown_span_gets_the_usage(bot, slack):
    text = bot.reply_text("export year")
    assert "Export takes `month`" in text
    assert "`quarter` or `all`" in text
    assert "/logtask export quarter" in text
    assert not slack.api_calls("conversations.open")
