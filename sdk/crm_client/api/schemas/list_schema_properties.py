from http import HTTPStatus
from typing import Any, Literal
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.property_list import PropertyList
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    collection: str,
    *,
    archived: bool | Unset = False,
    include: Literal["usage"] | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["archived"] = archived

    params["include"] = include

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/schemas/{collection}/properties".format(
            collection=quote(str(collection), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | PropertyList | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = PropertyList.from_dict(response.json())

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
) -> Response[Problem | PropertyList | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    collection: str,
    *,
    client: AuthenticatedClient,
    archived: bool | Unset = False,
    include: Literal["usage"] | Unset = UNSET,
) -> Response[Problem | PropertyList | ValidationProblem]:
    """An object type's properties

     Counts in `usage` follow record changes within seconds (no scan); they start when the counting was
    deployed, so records untouched since are not in them.

    Args:
        collection (str): The object type's collection, e.g. contacts
        archived (bool | Unset): Include archived properties Default: False.
        include (Literal['usage'] | Unset): usage: each property's fill rate and last write, to
            find fields nobody uses

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | PropertyList | ValidationProblem]
    """

    kwargs = _get_kwargs(
        collection=collection,
        archived=archived,
        include=include,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    collection: str,
    *,
    client: AuthenticatedClient,
    archived: bool | Unset = False,
    include: Literal["usage"] | Unset = UNSET,
) -> Problem | PropertyList | ValidationProblem | None:
    """An object type's properties

     Counts in `usage` follow record changes within seconds (no scan); they start when the counting was
    deployed, so records untouched since are not in them.

    Args:
        collection (str): The object type's collection, e.g. contacts
        archived (bool | Unset): Include archived properties Default: False.
        include (Literal['usage'] | Unset): usage: each property's fill rate and last write, to
            find fields nobody uses

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | PropertyList | ValidationProblem
    """

    return sync_detailed(
        collection=collection,
        client=client,
        archived=archived,
        include=include,
    ).parsed


async def asyncio_detailed(
    collection: str,
    *,
    client: AuthenticatedClient,
    archived: bool | Unset = False,
    include: Literal["usage"] | Unset = UNSET,
) -> Response[Problem | PropertyList | ValidationProblem]:
    """An object type's properties

     Counts in `usage` follow record changes within seconds (no scan); they start when the counting was
    deployed, so records untouched since are not in them.

    Args:
        collection (str): The object type's collection, e.g. contacts
        archived (bool | Unset): Include archived properties Default: False.
        include (Literal['usage'] | Unset): usage: each property's fill rate and last write, to
            find fields nobody uses

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | PropertyList | ValidationProblem]
    """

    kwargs = _get_kwargs(
        collection=collection,
        archived=archived,
        include=include,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    collection: str,
    *,
    client: AuthenticatedClient,
    archived: bool | Unset = False,
    include: Literal["usage"] | Unset = UNSET,
) -> Problem | PropertyList | ValidationProblem | None:
    """An object type's properties

     Counts in `usage` follow record changes within seconds (no scan); they start when the counting was
    deployed, so records untouched since are not in them.

    Args:
        collection (str): The object type's collection, e.g. contacts
        archived (bool | Unset): Include archived properties Default: False.
        include (Literal['usage'] | Unset): usage: each property's fill rate and last write, to
            find fields nobody uses

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | PropertyList | ValidationProblem
    """

    return (
        await asyncio_detailed(
            collection=collection,
            client=client,
            archived=archived,
            include=include,
        )
    ).parsed
