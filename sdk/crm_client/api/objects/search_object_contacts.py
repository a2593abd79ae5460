from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.contact_page import ContactPage
from ...models.problem import Problem
from ...models.search_input import SearchInput
from ...models.validation_problem import ValidationProblem
from ...types import Response


def _get_kwargs(
    *,
    body: SearchInput,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/objects/contacts/search",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ContactPage | Problem | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = ContactPage.from_dict(response.json())

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

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

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
) -> Response[ContactPage | Problem | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SearchInput,
) -> Response[ContactPage | Problem | ValidationProblem]:
    """Search contacts

     Filter groups are OR of ANDs over the condition language's comparisons; `query` matches the start of
    names, emails and domains. Indexed properties (GET /v1/schemas shows `indexed`), updated_at and ids
    are served by an index: a page costs what it returns, whatever the collection's size. A filter no
    index serves alone reads the whole collection, a page at a time (linear in its size; a page may then
    hold fewer records than `limit`, even none: only a null next_cursor says the search is done). Send
    next_cursor as `after`, with the same search. X-Items-Read says how many items the page read. A
    search only reads: it takes no Idempotency-Key, and read-only keys may run it.

    Args:
        body (SearchInput):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ContactPage | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: SearchInput,
) -> ContactPage | Problem | ValidationProblem | None:
    """Search contacts

     Filter groups are OR of ANDs over the condition language's comparisons; `query` matches the start of
    names, emails and domains. Indexed properties (GET /v1/schemas shows `indexed`), updated_at and ids
    are served by an index: a page costs what it returns, whatever the collection's size. A filter no
    index serves alone reads the whole collection, a page at a time (linear in its size; a page may then
    hold fewer records than `limit`, even none: only a null next_cursor says the search is done). Send
    next_cursor as `after`, with the same search. X-Items-Read says how many items the page read. A
    search only reads: it takes no Idempotency-Key, and read-only keys may run it.

    Args:
        body (SearchInput):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ContactPage | Problem | ValidationProblem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SearchInput,
) -> Response[ContactPage | Problem | ValidationProblem]:
    """Search contacts

     Filter groups are OR of ANDs over the condition language's comparisons; `query` matches the start of
    names, emails and domains. Indexed properties (GET /v1/schemas shows `indexed`), updated_at and ids
    are served by an index: a page costs what it returns, whatever the collection's size. A filter no
    index serves alone reads the whole collection, a page at a time (linear in its size; a page may then
    hold fewer records than `limit`, even none: only a null next_cursor says the search is done). Send
    next_cursor as `after`, with the same search. X-Items-Read says how many items the page read. A
    search only reads: it takes no Idempotency-Key, and read-only keys may run it.

    Args:
        body (SearchInput):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ContactPage | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: SearchInput,
) -> ContactPage | Problem | ValidationProblem | None:
    """Search contacts

     Filter groups are OR of ANDs over the condition language's comparisons; `query` matches the start of
    names, emails and domains. Indexed properties (GET /v1/schemas shows `indexed`), updated_at and ids
    are served by an index: a page costs what it returns, whatever the collection's size. A filter no
    index serves alone reads the whole collection, a page at a time (linear in its size; a page may then
    hold fewer records than `limit`, even none: only a null next_cursor says the search is done). Send
    next_cursor as `after`, with the same search. X-Items-Read says how many items the page read. A
    search only reads: it takes no Idempotency-Key, and read-only keys may run it.

    Args:
        body (SearchInput):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ContactPage | Problem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
