"""Cards on the dashboard. Each app registers its own in its AppConfig.ready(), so the dashboard
view knows no app's models; every card computes its figure through that app's selectors, which
apply the user's jurisdiction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Card:
    label: str
    value: int | str
    url: str | None = None
    note: str = ""


CardFunction = Callable[[object], list[Card]]
_CARD_FUNCTIONS: list[tuple[int, CardFunction]] = []


def register(order: int) -> Callable[[CardFunction], CardFunction]:
    def decorator(fn: CardFunction) -> CardFunction:
        if all(existing is not fn for _o, existing in _CARD_FUNCTIONS):
            _CARD_FUNCTIONS.append((order, fn))
            _CARD_FUNCTIONS.sort(key=lambda item: item[0])
        return fn

    return decorator


def cards_for(user) -> list[Card]:
    cards: list[Card] = []
    for _order, fn in _CARD_FUNCTIONS:
        cards.extend(fn(user))
    return cards
