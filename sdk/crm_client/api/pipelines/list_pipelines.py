from http import HTTPStatus
from typing import Any, Literal

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.pipeline_list import PipelineList
from ...models.problem import Problem
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    object_: Literal["deal"] | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["object"] = object_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/pipelines",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PipelineList | Problem | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = PipelineList.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 405:
        response_405 = Problem.from_dict(response.json())

        return response_405

    if response.status_code == 422:
        response_422 = ValidationProblem.from_dict(response.json())

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
) -> Response[PipelineList | Problem | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    object_: Literal["deal"] | Unset = UNSET,
) -> Response[PipelineList | Problem | ValidationProblem]:
    """The tenant's pipelines (the default one first)

    Args:
        object_ (Literal['deal'] | Unset): Only this object type's

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PipelineList | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        object_=object_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    object_: Literal["deal"] | Unset = UNSET,
) -> PipelineList | Problem | ValidationProblem | None:
    """The tenant's pipelines (the default one first)

    Args:
        object_ (Literal['deal'] | Unset): Only this object type's

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PipelineList | Problem | ValidationProblem
    """

    return sync_detailed(
        client=client,
        object_=object_,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    object_: Literal["deal"] | Unset = UNSET,
) -> Response[PipelineList | Problem | ValidationProblem]:
    """The tenant's pipelines (the default one first)

    Args:
        object_ (Literal['deal'] | Unset): Only this object type's

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PipelineList | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        object_=object_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    object_: Literal["deal"] | Unset = UNSET,
) -> PipelineList | Problem | ValidationProblem | None:
    """The tenant's pipelines (the default one first)

    Args:
        object_ (Literal['deal'] | Unset): Only this object type's

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PipelineList | Problem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            object_=object_,
        )
    ).parsed
