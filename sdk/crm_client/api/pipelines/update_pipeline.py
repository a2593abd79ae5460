from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.pipeline import Pipeline
from ...models.pipeline_patch import PipelinePatch
from ...models.problem import Problem
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    pipeline_id: str,
    *,
    body: PipelinePatch,
    if_match: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/pipelines/{pipeline_id}".format(
            pipeline_id=quote(str(pipeline_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Pipeline | Problem | Problem | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = Pipeline.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 405:
        response_405 = Problem.from_dict(response.json())

        return response_405

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 422:

        def _parse_response_422(data: object) -> Problem | ValidationProblem:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_422_type_0 = ValidationProblem.from_dict(data)

                return response_422_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_422_type_1 = Problem.from_dict(data)

            return response_422_type_1

        response_422 = _parse_response_422(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Pipeline | Problem | Problem | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    pipeline_id: str,
    *,
    client: AuthenticatedClient,
    body: PipelinePatch,
    if_match: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[Pipeline | Problem | Problem | ValidationProblem]:
    """Rename a pipeline or change its stages

     `stages` replaces the list: stages may be added, relabelled, reordered and re-weighted; removing one
    that deals are in is a 409 whose `records` says how many. Honours If-Match.

    Args:
        pipeline_id (str):
        if_match (str | Unset):
        idempotency_key (str | Unset):
        body (PipelinePatch): Only the fields sent change; `stages` replaces the list (a stage
            still in use cannot go: 409).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Pipeline | Problem | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        pipeline_id=pipeline_id,
        body=body,
        if_match=if_match,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    pipeline_id: str,
    *,
    client: AuthenticatedClient,
    body: PipelinePatch,
    if_match: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Pipeline | Problem | Problem | ValidationProblem | None:
    """Rename a pipeline or change its stages

     `stages` replaces the list: stages may be added, relabelled, reordered and re-weighted; removing one
    that deals are in is a 409 whose `records` says how many. Honours If-Match.

    Args:
        pipeline_id (str):
        if_match (str | Unset):
        idempotency_key (str | Unset):
        body (PipelinePatch): Only the fields sent change; `stages` replaces the list (a stage
            still in use cannot go: 409).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Pipeline | Problem | Problem | ValidationProblem
    """

    return sync_detailed(
        pipeline_id=pipeline_id,
        client=client,
        body=body,
        if_match=if_match,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    pipeline_id: str,
    *,
    client: AuthenticatedClient,
    body: PipelinePatch,
    if_match: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[Pipeline | Problem | Problem | ValidationProblem]:
    """Rename a pipeline or change its stages

     `stages` replaces the list: stages may be added, relabelled, reordered and re-weighted; removing one
    that deals are in is a 409 whose `records` says how many. Honours If-Match.

    Args:
        pipeline_id (str):
        if_match (str | Unset):
        idempotency_key (str | Unset):
        body (PipelinePatch): Only the fields sent change; `stages` replaces the list (a stage
            still in use cannot go: 409).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Pipeline | Problem | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        pipeline_id=pipeline_id,
        body=body,
        if_match=if_match,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    pipeline_id: str,
    *,
    client: AuthenticatedClient,
    body: PipelinePatch,
    if_match: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Pipeline | Problem | Problem | ValidationProblem | None:
    """Rename a pipeline or change its stages

     `stages` replaces the list: stages may be added, relabelled, reordered and re-weighted; removing one
    that deals are in is a 409 whose `records` says how many. Honours If-Match.

    Args:
        pipeline_id (str):
        if_match (str | Unset):
        idempotency_key (str | Unset):
        body (PipelinePatch): Only the fields sent change; `stages` replaces the list (a stage
            still in use cannot go: 409).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Pipeline | Problem | Problem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            pipeline_id=pipeline_id,
            client=client,
            body=body,
            if_match=if_match,
            idempotency_key=idempotency_key,
        )
    ).parsed
