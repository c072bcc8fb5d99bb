from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from treem.accounts.models import User
from treem.accounts.policy import Action, require
from treem.lib.text import fold


def users_list(*, user, query: str = "") -> QuerySet[User]:
    """Staff accounts an administrator manages (staff names and emails are personal data)."""
    require(user, Action.USER_MANAGE)
    qs = User.objects.select_related("organisation", "province", "commune").order_by("username")
    if query:
        folded = fold(query)
        # Staff accounts number in the hundreds: filtering folded names in Python keeps one
        # normalisation function for the whole system.
        ids = [
            pk
            for pk, *texts in User.objects.values_list("pk", "username", "full_name", "email")
            if folded in fold(" ".join(texts))
        ]
        qs = qs.filter(pk__in=ids)
    return qs


def user_get_for_user(*, user, pk: int) -> User:
    require(user, Action.USER_MANAGE)
    try:
        return User.objects.select_related("organisation", "province", "commune").get(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc
