from http import HTTPStatus
from typing import Any, Literal

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.forecast import Forecast
from ...models.problem import Problem
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    group_by: Literal["close_month"] | Unset = "close_month",
    pipeline: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["group_by"] = group_by

    params["pipeline"] = pipeline

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/deals/forecast",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Forecast | Problem | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = Forecast.from_dict(response.json())

        return response_200

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
) -> Response[Forecast | Problem | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    group_by: Literal["close_month"] | Unset = "close_month",
    pipeline: str | Unset = UNSET,
) -> Response[Forecast | Problem | ValidationProblem]:
    """Deals by close month and currency: count, amount, and amount weighted by stage probability

     Active deals with a close_date, grouped by its month and by currency. A deal's weight is its stage's
    probability in its pipeline (the default pipeline for a deal naming none); a free-text stage outside
    every pipeline weighs 0. Reads every deal of the tenant once.

    Args:
        group_by (Literal['close_month'] | Unset):  Default: 'close_month'.
        pipeline (str | Unset): Only deals of this pipeline

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Forecast | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        group_by=group_by,
        pipeline=pipeline,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    group_by: Literal["close_month"] | Unset = "close_month",
    pipeline: str | Unset = UNSET,
) -> Forecast | Problem | ValidationProblem | None:
    """Deals by close month and currency: count, amount, and amount weighted by stage probability

     Active deals with a close_date, grouped by its month and by currency. A deal's weight is its stage's
    probability in its pipeline (the default pipeline for a deal naming none); a free-text stage outside
    every pipeline weighs 0. Reads every deal of the tenant once.

    Args:
        group_by (Literal['close_month'] | Unset):  Default: 'close_month'.
        pipeline (str | Unset): Only deals of this pipeline

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Forecast | Problem | ValidationProblem
    """

    return sync_detailed(
        client=client,
        group_by=group_by,
        pipeline=pipeline,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    group_by: Literal["close_month"] | Unset = "close_month",
    pipeline: str | Unset = UNSET,
) -> Response[Forecast | Problem | ValidationProblem]:
    """Deals by close month and currency: count, amount, and amount weighted by stage probability

     Active deals with a close_date, grouped by its month and by currency. A deal's weight is its stage's
    probability in its pipeline (the default pipeline for a deal naming none); a free-text stage outside
    every pipeline weighs 0. Reads every deal of the tenant once.

    Args:
        group_by (Literal['close_month'] | Unset):  Default: 'close_month'.
        pipeline (str | Unset): Only deals of this pipeline

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Forecast | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        group_by=group_by,
        pipeline=pipeline,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    group_by: Literal["close_month"] | Unset = "close_month",
    pipeline: str | Unset = UNSET,
) -> Forecast | Problem | ValidationProblem | None:
    """Deals by close month and currency: count, amount, and amount weighted by stage probability

     Active deals with a close_date, grouped by its month and by currency. A deal's weight is its stage's
    probability in its pipeline (the default pipeline for a deal naming none); a free-text stage outside
    every pipeline weighs 0. Reads every deal of the tenant once.

    Args:
        group_by (Literal['close_month'] | Unset):  Default: 'close_month'.
        pipeline (str | Unset): Only deals of this pipeline

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Forecast | Problem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            group_by=group_by,
            pipeline=pipeline,
        )
    ).parsed
