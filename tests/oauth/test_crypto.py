"""Fernet with several keys: the newest encrypts, any decrypts, rotate moves to the newest."""

from __future__ import annotations

import pytest

from bot.oauth.crypto import TokenCipher, UndecryptableToken
from tests.conftest import ENCRYPTION_KEY, OLD_ENCRYPTION_KEY

TOKEN = "xoxb-1-secret"


def test_a_token_round_trips_and_is_never_stored_as_itself():
    cipher = TokenCipher([ENCRYPTION_KEY])

    one, two = cipher.encrypt(TOKEN), cipher.encrypt(TOKEN)

    assert one != two  # a fresh IV each time: equal tokens do not look equal at rest
    assert TOKEN not in (one or "")
    assert cipher.decrypt(one) == cipher.decrypt(two) == TOKEN
    assert cipher.encrypt(None) is None
    assert cipher.decrypt(None) is None


def test_the_newest_key_encrypts_and_an_older_one_still_decrypts():
    old = TokenCipher([OLD_ENCRYPTION_KEY]).encrypt(TOKEN)
    both = TokenCipher([ENCRYPTION_KEY, OLD_ENCRYPTION_KEY])

    assert both.decrypt(old) == TOKEN
    assert TokenCipher([ENCRYPTION_KEY]).decrypt(both.encrypt(TOKEN)) == TOKEN


def test_rotate_reencrypts_with_the_newest_key():
    old = TokenCipher([OLD_ENCRYPTION_KEY]).encrypt(TOKEN)

    rotated = TokenCipher([ENCRYPTION_KEY, OLD_ENCRYPTION_KEY]).rotate(old)

    assert TokenCipher([ENCRYPTION_KEY]).decrypt(rotated) == TOKEN
    with pytest.raises(UndecryptableToken):
        TokenCipher([OLD_ENCRYPTION_KEY]).decrypt(rotated)


def test_a_token_no_key_decrypts_says_which_setting_to_fix():
    stored = TokenCipher([OLD_ENCRYPTION_KEY]).encrypt(TOKEN)

    with pytest.raises(UndecryptableToken, match="HANDOFF_ENCRYPTION_KEY"):
        TokenCipher([ENCRYPTION_KEY]).decrypt(stored)
    with pytest.raises(UndecryptableToken):
        TokenCipher([ENCRYPTION_KEY]).rotate("not a fernet token")
