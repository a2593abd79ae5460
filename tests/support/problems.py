"""What every error answer must be: an RFC 9457 problem that says nothing about the implementation."""

from __future__ import annotations

import json
from typing import Any

PROBLEM_JSON = "application/problem+json"
_LEAKS = ("Traceback", "botocore", "ClientError", "boto3", 'File "', "Exception", "ValidationException")


def assert_problem(reply: Any, status: int, *pointers: str) -> dict[str, Any]:
    """`reply` is an RFC 9457 problem with this status (and, if given, exactly these field pointers),
    and says nothing about the implementation."""
    assert reply.status == status, (reply.status, reply.body)
    assert reply.header("Content-Type") == PROBLEM_JSON, reply.headers
    problem = reply.body
    assert isinstance(problem, dict), problem
    assert problem["status"] == status
    assert isinstance(problem["type"], str) and problem["type"]
    assert isinstance(problem["title"], str) and problem["title"]
    assert isinstance(problem["detail"], str) and problem["detail"]
    text = json.dumps(problem)
    assert not any(leak in text for leak in _LEAKS), text
    if pointers:
        assert [e["pointer"] for e in problem.get("errors", [])] == list(pointers), problem
        assert all(isinstance(e["detail"], str) and e["detail"] for e in problem["errors"])
    return problem
