from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.property_patch import PropertyPatch
from ...models.property_schema import PropertySchema
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    collection: str,
    name: str,
    *,
    body: PropertyPatch,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/schemas/{collection}/properties/{name}".format(
            collection=quote(str(collection), safe=""),
            name=quote(str(name), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | Problem | ValidationProblem | PropertySchema | None:
    if response.status_code == 200:
        response_200 = PropertySchema.from_dict(response.json())

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
) -> Response[Problem | Problem | ValidationProblem | PropertySchema]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    collection: str,
    name: str,
    *,
    client: AuthenticatedClient,
    body: PropertyPatch,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | Problem | ValidationProblem | PropertySchema]:
    """Change a custom property

     Label, description and required always; options may be added, relabelled and reordered. Removing an
    option or changing the type is refused (409, `records` says how many) while records hold values it
    would not accept. `unique: true` on a property with values claims each existing value first and is
    refused (409, `duplicates` lists the shared values) while two active records share one; the answer
    comes once every value is claimed. `indexed: true` indexes the records that hold it first; searches
    use the index from the answer on. Built-in properties cannot change (409).

    Args:
        collection (str): The object type's collection, e.g. contacts
        name (str):
        idempotency_key (str | Unset):
        body (PropertyPatch): What may change on a property: its label and description always;
            options may be added, relabelled
            and reordered (removing one still in use is a 409); its type only while no value would be
            lost; whether
            it is unique only while no two records share a value; indexed whenever asked (existing
            records first).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Problem | ValidationProblem | PropertySchema]
    """

    kwargs = _get_kwargs(
        collection=collection,
        name=name,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    collection: str,
    name: str,
    *,
    client: AuthenticatedClient,
    body: PropertyPatch,
    idempotency_key: str | Unset = UNSET,
) -> Problem | Problem | ValidationProblem | PropertySchema | None:
    """Change a custom property

     Label, description and required always; options may be added, relabelled and reordered. Removing an
    option or changing the type is refused (409, `records` says how many) while records hold values it
    would not accept. `unique: true` on a property with values claims each existing value first and is
    refused (409, `duplicates` lists the shared values) while two active records share one; the answer
    comes once every value is claimed. `indexed: true` indexes the records that hold it first; searches
    use the index from the answer on. Built-in properties cannot change (409).

    Args:
        collection (str): The object type's collection, e.g. contacts
        name (str):
        idempotency_key (str | Unset):
        body (PropertyPatch): What may change on a property: its label and description always;
            options may be added, relabelled
            and reordered (removing one still in use is a 409); its type only while no value would be
            lost; whether
            it is unique only while no two records share a value; indexed whenever asked (existing
            records first).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Problem | ValidationProblem | PropertySchema
    """

    return sync_detailed(
        collection=collection,
        name=name,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    collection: str,
    name: str,
    *,
    client: AuthenticatedClient,
    body: PropertyPatch,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | Problem | ValidationProblem | PropertySchema]:
    """Change a custom property

     Label, description and required always; options may be added, relabelled and reordered. Removing an
    option or changing the type is refused (409, `records` says how many) while records hold values it
    would not accept. `unique: true` on a property with values claims each existing value first and is
    refused (409, `duplicates` lists the shared values) while two active records share one; the answer
    comes once every value is claimed. `indexed: true` indexes the records that hold it first; searches
    use the index from the answer on. Built-in properties cannot change (409).

    Args:
        collection (str): The object type's collection, e.g. contacts
        name (str):
        idempotency_key (str | Unset):
        body (PropertyPatch): What may change on a property: its label and description always;
            options may be added, relabelled
            and reordered (removing one still in use is a 409); its type only while no value would be
            lost; whether
            it is unique only while no two records share a value; indexed whenever asked (existing
            records first).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Problem | ValidationProblem | PropertySchema]
    """

    kwargs = _get_kwargs(
        collection=collection,
        name=name,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    collection: str,
    name: str,
    *,
    client: AuthenticatedClient,
    body: PropertyPatch,
    idempotency_key: str | Unset = UNSET,
) -> Problem | Problem | ValidationProblem | PropertySchema | None:
    """Change a custom property

     Label, description and required always; options may be added, relabelled and reordered. Removing an
    option or changing the type is refused (409, `records` says how many) while records hold values it
    would not accept. `unique: true` on a property with values claims each existing value first and is
    refused (409, `duplicates` lists the shared values) while two active records share one; the answer
    comes once every value is claimed. `indexed: true` indexes the records that hold it first; searches
    use the index from the answer on. Built-in properties cannot change (409).

    Args:
        collection (str): The object type's collection, e.g. contacts
        name (str):
        idempotency_key (str | Unset):
        body (PropertyPatch): What may change on a property: its label and description always;
            options may be added, relabelled
            and reordered (removing one still in use is a 409); its type only while no value would be
            lost; whether
            it is unique only while no two records share a value; indexed whenever asked (existing
            records first).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Problem | ValidationProblem | PropertySchema
    """

    return (
        await asyncio_detailed(
            collection=collection,
            name=name,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
