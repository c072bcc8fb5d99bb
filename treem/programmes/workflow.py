"""The one transition table of a task's status: who may move it where. Services check moves
against it; views and templates read it to offer only the moves allowed."""

from __future__ import annotations

from treem.accounts.policy import Action
from treem.programmes.models import TaskStatus

S = TaskStatus

# status -> {next status: action required}. Reporting progress keeps or moves the status among
# "not started", "in progress" and "done"; only the plan's manager stops a task or reopens a
# stopped one.
TASK_TRANSITIONS: dict[str, dict[str, Action]] = {
    S.NOT_STARTED: {
        S.NOT_STARTED: Action.TASK_REPORT,
        S.IN_PROGRESS: Action.TASK_REPORT,
        S.DONE: Action.TASK_REPORT,
        S.CANCELLED: Action.PLAN_MANAGE,
    },
    S.IN_PROGRESS: {
        S.IN_PROGRESS: Action.TASK_REPORT,
        S.DONE: Action.TASK_REPORT,
        S.CANCELLED: Action.PLAN_MANAGE,
    },
    S.DONE: {S.IN_PROGRESS: Action.PLAN_MANAGE},
    S.CANCELLED: {S.IN_PROGRESS: Action.PLAN_MANAGE},
}

OPEN_STATUSES = (S.NOT_STARTED, S.IN_PROGRESS)


def allowed_moves(status: str, *, action: Action) -> list[str]:
    return [to for to, needed in TASK_TRANSITIONS.get(status, {}).items() if needed == action]


def report_choices(status: str) -> list[tuple[str, str]]:
    return [(s, S(s).label) for s in allowed_moves(status, action=Action.TASK_REPORT)]
