from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.company_batch_results import CompanyBatchResults
from ...models.company_batch_upsert_input import CompanyBatchUpsertInput
from ...models.problem import Problem
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: CompanyBatchUpsertInput,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/companies/batch/upsert",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CompanyBatchResults | Problem | Problem | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = CompanyBatchResults.from_dict(response.json())

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
) -> Response[CompanyBatchResults | Problem | Problem | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CompanyBatchUpsertInput,
    idempotency_key: str | Unset = UNSET,
) -> Response[CompanyBatchResults | Problem | Problem | ValidationProblem]:
    """Create or update companies in a batch, by a unique property

     Each of the 1-100 inputs is written on its own, in the order sent, as the single-record route writes
    it (one transaction with its change events): results[i] answers input i, and a refused input never
    stops the others. A problem's errors[] point into this body (/inputs/3/properties/email). A body
    malformed as a whole (no inputs, more than 100, an input of the wrong shape) is a 422 and writes
    nothing. Honours Idempotency-Key for the whole batch: a retry gets every input's first answer and
    writes only what a first attempt that failed half-way had not. Each input is a 200 (the active
    record holding its id_property value, updated), a 201 (none did: created) or a 409 or 422 problem.
    Two inputs with one value make one record.

    Args:
        idempotency_key (str | Unset):
        body (CompanyBatchUpsertInput):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CompanyBatchResults | Problem | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: CompanyBatchUpsertInput,
    idempotency_key: str | Unset = UNSET,
) -> CompanyBatchResults | Problem | Problem | ValidationProblem | None:
    """Create or update companies in a batch, by a unique property

     Each of the 1-100 inputs is written on its own, in the order sent, as the single-record route writes
    it (one transaction with its change events): results[i] answers input i, and a refused input never
    stops the others. A problem's errors[] point into this body (/inputs/3/properties/email). A body
    malformed as a whole (no inputs, more than 100, an input of the wrong shape) is a 422 and writes
    nothing. Honours Idempotency-Key for the whole batch: a retry gets every input's first answer and
    writes only what a first attempt that failed half-way had not. Each input is a 200 (the active
    record holding its id_property value, updated), a 201 (none did: created) or a 409 or 422 problem.
    Two inputs with one value make one record.

    Args:
        idempotency_key (str | Unset):
        body (CompanyBatchUpsertInput):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CompanyBatchResults | Problem | Problem | ValidationProblem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CompanyBatchUpsertInput,
    idempotency_key: str | Unset = UNSET,
) -> Response[CompanyBatchResults | Problem | Problem | ValidationProblem]:
    """Create or update companies in a batch, by a unique property

     Each of the 1-100 inputs is written on its own, in the order sent, as the single-record route writes
    it (one transaction with its change events): results[i] answers input i, and a refused input never
    stops the others. A problem's errors[] point into this body (/inputs/3/properties/email). A body
    malformed as a whole (no inputs, more than 100, an input of the wrong shape) is a 422 and writes
    nothing. Honours Idempotency-Key for the whole batch: a retry gets every input's first answer and
    writes only what a first attempt that failed half-way had not. Each input is a 200 (the active
    record holding its id_property value, updated), a 201 (none did: created) or a 409 or 422 problem.
    Two inputs with one value make one record.

    Args:
        idempotency_key (str | Unset):
        body (CompanyBatchUpsertInput):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CompanyBatchResults | Problem | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CompanyBatchUpsertInput,
    idempotency_key: str | Unset = UNSET,
) -> CompanyBatchResults | Problem | Problem | ValidationProblem | None:
    """Create or update companies in a batch, by a unique property

     Each of the 1-100 inputs is written on its own, in the order sent, as the single-record route writes
    it (one transaction with its change events): results[i] answers input i, and a refused input never
    stops the others. A problem's errors[] point into this body (/inputs/3/properties/email). A body
    malformed as a whole (no inputs, more than 100, an input of the wrong shape) is a 422 and writes
    nothing. Honours Idempotency-Key for the whole batch: a retry gets every input's first answer and
    writes only what a first attempt that failed half-way had not. Each input is a 200 (the active
    record holding its id_property value, updated), a 201 (none did: created) or a 409 or 422 problem.
    Two inputs with one value make one record.

    Args:
        idempotency_key (str | Unset):
        body (CompanyBatchUpsertInput):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CompanyBatchResults | Problem | Problem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
