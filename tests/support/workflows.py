"""The workflow state machine for integration tests: the catalogue's own definition, interpreted here
with waits that move the injected clock (moto's Step Functions really sleeps, and the local stack's e2e
tests use it). Task states invoke the real runner handler through the gateway, as Lambda would."""

from __future__ import annotations

from collections import deque
from datetime import timedelta
from typing import Any

from crm import catalogue


class StateMachine:
    def __init__(self, gateway: Any, moment: list, monkeypatch: Any) -> None:
        from workflows import executions

        self.gateway = gateway
        self.moment = moment
        self.definition = catalogue.workflow_machine_definition(catalogue.WORKFLOW_MACHINE.task_function)
        self.started: deque[tuple[str, str, int]] = deque()
        self.names: set[str] = set()
        self.transitions: list[int] = []  # states entered, per finished execution

        def start(tenant_id: str, run_id: str, generation: int) -> str:
            name = executions.execution_name(run_id, generation)
            if name not in self.names:  # as Step Functions: one execution per name
                self.names.add(name)
                self.started.append((tenant_id, run_id, generation))
            return name

        monkeypatch.setattr(executions, "start", start)

    def run_all(self, *, max_executions: int = 100) -> int:
        """Run every started execution (and those they start) to its end; returns how many ran."""
        ran = 0
        while self.started and ran < max_executions:
            tenant_id, run_id, _ = self.started.popleft()
            self.transitions.append(self.execute({"tenant_id": tenant_id, "run_id": run_id}))
            ran += 1
        return ran

    def execute(self, state_input: dict[str, Any]) -> int:
        states, name, data, entered = self.definition["States"], self.definition["StartAt"], state_input, 0
        while True:
            entered += 1
            state = states[name]
            kind = state["Type"]
            if kind in ("Succeed", "Fail"):
                return entered
            if kind == "Choice":
                name = next(
                    (c["Next"] for c in state["Choices"] if data.get(c["Variable"][2:]) == c["StringEquals"]),
                    state["Default"],
                )
            elif kind == "Wait":
                self.moment[0] += timedelta(seconds=data[state["SecondsPath"][2:]])
                name = state["Next"]
            else:  # Task: invoke the runner, with the state's Retry and Catch
                data, name = self._task(state, data)

    def _task(self, state: dict[str, Any], data: dict[str, Any]) -> tuple[dict[str, Any], str]:
        payload = {
            key.removesuffix(".$"): data[value[2:]] if key.endswith(".$") else value
            for key, value in state["Parameters"]["Payload"].items()
        }
        retry = state["Retry"][0]
        interval, attempts = retry["IntervalSeconds"], 0
        while True:
            try:
                result = self.gateway.invoke(catalogue.function_by_name(self.definition_runner), payload)
                return result, state["Next"]
            except Exception as error:
                error_name = type(error).__name__
                if error_name in retry["ErrorEquals"] and attempts < retry["MaxAttempts"]:
                    attempts += 1
                    self.moment[0] += timedelta(seconds=interval)
                    interval *= retry["BackoffRate"]
                    continue
                catch = state.get("Catch")
                if not catch:
                    raise
                failure = {"Error": error_name, "Cause": str(error)}
                return {**data, catch[0]["ResultPath"][2:]: failure}, catch[0]["Next"]

    @property
    def definition_runner(self) -> str:
        return catalogue.WORKFLOW_MACHINE.task_function
