"""Tokens at rest: Fernet from ``cryptography``, several keys for rotation (MultiFernet).

HANDOFF_ENCRYPTION_KEY holds the keys newest first: the first encrypts, any of them decrypts,
so a new key goes in front and the old one stays until `handoff rotate-key` has re-encrypted
every stored token with the new one.
"""

from __future__ import annotations

from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class UndecryptableToken(Exception):
    """A stored token that none of the configured keys decrypts."""

    def __init__(self) -> None:
        super().__init__(
            "a stored token cannot be decrypted with any key in HANDOFF_ENCRYPTION_KEY: "
            "put back the key it was encrypted with (after the new one)"
        )


class TokenCipher:
    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("at least one key is needed")
        self._fernet = MultiFernet([Fernet(k.encode("ascii")) for k in keys])

    def encrypt(self, token: str | None) -> str | None:
        return None if token is None else self._fernet.encrypt(token.encode()).decode("ascii")

    def decrypt(self, stored: str | None) -> str | None:
        if stored is None:
            return None
        try:
            return self._fernet.decrypt(stored.encode("ascii")).decode()
        except (InvalidToken, UnicodeEncodeError):
            raise UndecryptableToken from None

    def rotate(self, stored: str | None) -> str | None:
        """``stored`` re-encrypted with the newest key."""
        if stored is None:
            return None
        try:
            return self._fernet.rotate(stored.encode("ascii")).decode("ascii")
        except (InvalidToken, UnicodeEncodeError):
            raise UndecryptableToken from None
