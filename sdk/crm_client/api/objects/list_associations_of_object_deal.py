from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.association_page import AssociationPage
from ...models.problem import Problem
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    record_id: str,
    to_collection: str,
    *,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/objects/deals/{record_id}/associations/{to_collection}".format(
            record_id=quote(str(record_id), safe=""),
            to_collection=quote(str(to_collection), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AssociationPage | Problem | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = AssociationPage.from_dict(response.json())

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
) -> Response[AssociationPage | Problem | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    record_id: str,
    to_collection: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
) -> Response[AssociationPage | Problem | ValidationProblem]:
    """List its associations with one object type (both directions)

     Its own reference properties pointing there come first, then the associations made through this API
    (either side), then the records whose reference properties point at it (a company lists the contacts
    whose company_id it is); reference links are labelled with the property's name. Only a null
    next_cursor says the list is done.

    Args:
        record_id (str):
        to_collection (str): The object type's collection, e.g. contacts
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssociationPage | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        record_id=record_id,
        to_collection=to_collection,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    record_id: str,
    to_collection: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
) -> AssociationPage | Problem | ValidationProblem | None:
    """List its associations with one object type (both directions)

     Its own reference properties pointing there come first, then the associations made through this API
    (either side), then the records whose reference properties point at it (a company lists the contacts
    whose company_id it is); reference links are labelled with the property's name. Only a null
    next_cursor says the list is done.

    Args:
        record_id (str):
        to_collection (str): The object type's collection, e.g. contacts
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssociationPage | Problem | ValidationProblem
    """

    return sync_detailed(
        record_id=record_id,
        to_collection=to_collection,
        client=client,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    record_id: str,
    to_collection: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
) -> Response[AssociationPage | Problem | ValidationProblem]:
    """List its associations with one object type (both directions)

     Its own reference properties pointing there come first, then the associations made through this API
    (either side), then the records whose reference properties point at it (a company lists the contacts
    whose company_id it is); reference links are labelled with the property's name. Only a null
    next_cursor says the list is done.

    Args:
        record_id (str):
        to_collection (str): The object type's collection, e.g. contacts
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssociationPage | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        record_id=record_id,
        to_collection=to_collection,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    record_id: str,
    to_collection: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
) -> AssociationPage | Problem | ValidationProblem | None:
    """List its associations with one object type (both directions)

     Its own reference properties pointing there come first, then the associations made through this API
    (either side), then the records whose reference properties point at it (a company lists the contacts
    whose company_id it is); reference links are labelled with the property's name. Only a null
    next_cursor says the list is done.

    Args:
        record_id (str):
        to_collection (str): The object type's collection, e.g. contacts
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssociationPage | Problem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            record_id=record_id,
            to_collection=to_collection,
            client=client,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
