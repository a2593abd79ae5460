from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.association_label_set import AssociationLabelSet
from ...models.problem import Problem
from ...models.validation_problem import ValidationProblem
from ...types import Response


def _get_kwargs(
    collection: str,
    to_collection: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/schemas/{collection}/associations/{to_collection}".format(
            collection=quote(str(collection), safe=""),
            to_collection=quote(str(to_collection), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AssociationLabelSet | Problem | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = AssociationLabelSet.from_dict(response.json())

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
) -> Response[AssociationLabelSet | Problem | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    collection: str,
    to_collection: str,
    *,
    client: AuthenticatedClient,
) -> Response[AssociationLabelSet | Problem | ValidationProblem]:
    """The labels associations between two object types may carry (either direction)

    Args:
        collection (str): The object type's collection, e.g. contacts
        to_collection (str): The object type's collection, e.g. contacts

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssociationLabelSet | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        collection=collection,
        to_collection=to_collection,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    collection: str,
    to_collection: str,
    *,
    client: AuthenticatedClient,
) -> AssociationLabelSet | Problem | ValidationProblem | None:
    """The labels associations between two object types may carry (either direction)

    Args:
        collection (str): The object type's collection, e.g. contacts
        to_collection (str): The object type's collection, e.g. contacts

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssociationLabelSet | Problem | ValidationProblem
    """

    return sync_detailed(
        collection=collection,
        to_collection=to_collection,
        client=client,
    ).parsed


async def asyncio_detailed(
    collection: str,
    to_collection: str,
    *,
    client: AuthenticatedClient,
) -> Response[AssociationLabelSet | Problem | ValidationProblem]:
    """The labels associations between two object types may carry (either direction)

    Args:
        collection (str): The object type's collection, e.g. contacts
        to_collection (str): The object type's collection, e.g. contacts

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssociationLabelSet | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        collection=collection,
        to_collection=to_collection,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    collection: str,
    to_collection: str,
    *,
    client: AuthenticatedClient,
) -> AssociationLabelSet | Problem | ValidationProblem | None:
    """The labels associations between two object types may carry (either direction)

    Args:
        collection (str): The object type's collection, e.g. contacts
        to_collection (str): The object type's collection, e.g. contacts

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssociationLabelSet | Problem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            collection=collection,
            to_collection=to_collection,
            client=client,
        )
    ).parsed
