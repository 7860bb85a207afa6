def test_smoke(bot):
    print(bot.command("write blog post 2h weekly #content"))
    print(bot.command("rate $80/h"))
    print(bot.command("write blog post 1.5h"))
    print(bot.command("write blog post 2.5h"))
    print(bot.command("quote write blog post $60/post from Jane"))
    print(bot.reply_text("report"))
    print(bot.reply_text("should write blog post"))
    print(bot.reply_text("history"))
