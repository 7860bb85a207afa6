"""Members' profiles kept in memory: for a while, for a bounded number of members."""

from __future__ import annotations

from bot.services.scope import Scope
from bot.services.workspaces import Profile
from bot.slack.members import ProfileCache

ANN = Profile(tz="Europe/Paris", display_name="Ann", is_admin=False)
BOB = Profile(tz="UTC", display_name="Bob", is_admin=True)
T1 = Scope("T1")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_remembered_profile_is_forgotten_after_its_ttl():
    clock = Clock()
    cache = ProfileCache(ttl=600, clock=clock)
    cache.put(T1, "U1", ANN)
    clock.now += 599
    assert cache.get(T1, "U1") == ANN
    clock.now += 1  # 600 s after it was put
    assert cache.get(T1, "U1") is None


def test_profiles_are_kept_per_workspace():
    cache = ProfileCache()
    cache.put(T1, "U1", ANN)
    assert cache.get(Scope("T2"), "U1") is None
    assert cache.get(Scope("T1", "E1"), "U1") is None


def test_the_oldest_profile_goes_when_the_cache_is_full():
    cache = ProfileCache(size=2)
    cache.put(T1, "U1", ANN)
    cache.put(T1, "U2", BOB)
    cache.put(T1, "U1", ANN)  # put again: now the newest
    cache.put(T1, "U3", BOB)
    assert cache.get(T1, "U2") is None
    assert cache.get(T1, "U1") == ANN
    assert cache.get(T1, "U3") == BOB
