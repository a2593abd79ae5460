from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.open_api_document import OpenApiDocument
from ...models.problem import Problem
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/openapi.json",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OpenApiDocument | Problem | None:
    if response.status_code == 200:
        response_200 = OpenApiDocument.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 405:
        response_405 = Problem.from_dict(response.json())

        return response_405

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[OpenApiDocument | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[OpenApiDocument | Problem]:
    """This API's OpenAPI 3.1 document (typed for your tenant when you send your key)

     Without a key: every route, with the built-in object types. With a tenant's key: the same, plus the
    tenant's custom object types (`/objects/<collection>` and their schemas) and custom properties, so a
    client generated from it is typed for the tenant. An invalid key is a 401.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OpenApiDocument | Problem]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
) -> OpenApiDocument | Problem | None:
    """This API's OpenAPI 3.1 document (typed for your tenant when you send your key)

     Without a key: every route, with the built-in object types. With a tenant's key: the same, plus the
    tenant's custom object types (`/objects/<collection>` and their schemas) and custom properties, so a
    client generated from it is typed for the tenant. An invalid key is a 401.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OpenApiDocument | Problem
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[OpenApiDocument | Problem]:
    """This API's OpenAPI 3.1 document (typed for your tenant when you send your key)

     Without a key: every route, with the built-in object types. With a tenant's key: the same, plus the
    tenant's custom object types (`/objects/<collection>` and their schemas) and custom properties, so a
    client generated from it is typed for the tenant. An invalid key is a 401.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OpenApiDocument | Problem]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
) -> OpenApiDocument | Problem | None:
    """This API's OpenAPI 3.1 document (typed for your tenant when you send your key)

     Without a key: every route, with the built-in object types. With a tenant's key: the same, plus the
    tenant's custom object types (`/objects/<collection>` and their schemas) and custom properties, so a
    client generated from it is typed for the tenant. An invalid key is a 401.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OpenApiDocument | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
