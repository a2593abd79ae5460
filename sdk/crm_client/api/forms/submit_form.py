from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.submission_accepted import SubmissionAccepted
from ...models.submit_form_data_body import SubmitFormDataBody
from ...models.submit_form_json_body import SubmitFormJsonBody
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    form_id: str,
    *,
    body: SubmitFormJsonBody | SubmitFormDataBody | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/forms/{form_id}/submissions".format(
            form_id=quote(str(form_id), safe=""),
        ),
    }

    if isinstance(body, SubmitFormJsonBody):
        if not isinstance(body, Unset):
            _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, SubmitFormDataBody):
        if not isinstance(body, Unset):
            _kwargs["data"] = body.to_dict()
        headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | Problem | ValidationProblem | SubmissionAccepted | None:
    if response.status_code == 202:
        response_202 = SubmissionAccepted.from_dict(response.json())

        return response_202

    if response.status_code == 303:
        response_303 = SubmissionAccepted.from_dict(response.json())

        return response_303

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

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

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

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
) -> Response[Problem | Problem | ValidationProblem | SubmissionAccepted]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    form_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SubmitFormJsonBody | SubmitFormDataBody | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | Problem | ValidationProblem | SubmissionAccepted]:
    """Submit a form (public: no API key)

     Creates the contact with the submitted email, or updates it, with the form's set_properties; records
    a `form_submitted` event for it and emits `form.submitted`. Required fields missing or values the
    contact's rules refuse: 422 naming each field (`/email`). Limited per client address and per form
    (429 with Retry-After).

    Args:
        form_id (str):
        idempotency_key (str | Unset):
        body (SubmitFormJsonBody | Unset):
        body (SubmitFormDataBody | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Problem | ValidationProblem | SubmissionAccepted]
    """

    kwargs = _get_kwargs(
        form_id=form_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    form_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SubmitFormJsonBody | SubmitFormDataBody | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Problem | Problem | ValidationProblem | SubmissionAccepted | None:
    """Submit a form (public: no API key)

     Creates the contact with the submitted email, or updates it, with the form's set_properties; records
    a `form_submitted` event for it and emits `form.submitted`. Required fields missing or values the
    contact's rules refuse: 422 naming each field (`/email`). Limited per client address and per form
    (429 with Retry-After).

    Args:
        form_id (str):
        idempotency_key (str | Unset):
        body (SubmitFormJsonBody | Unset):
        body (SubmitFormDataBody | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Problem | ValidationProblem | SubmissionAccepted
    """

    return sync_detailed(
        form_id=form_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    form_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SubmitFormJsonBody | SubmitFormDataBody | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | Problem | ValidationProblem | SubmissionAccepted]:
    """Submit a form (public: no API key)

     Creates the contact with the submitted email, or updates it, with the form's set_properties; records
    a `form_submitted` event for it and emits `form.submitted`. Required fields missing or values the
    contact's rules refuse: 422 naming each field (`/email`). Limited per client address and per form
    (429 with Retry-After).

    Args:
        form_id (str):
        idempotency_key (str | Unset):
        body (SubmitFormJsonBody | Unset):
        body (SubmitFormDataBody | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Problem | ValidationProblem | SubmissionAccepted]
    """

    kwargs = _get_kwargs(
        form_id=form_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    form_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SubmitFormJsonBody | SubmitFormDataBody | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Problem | Problem | ValidationProblem | SubmissionAccepted | None:
    """Submit a form (public: no API key)

     Creates the contact with the submitted email, or updates it, with the form's set_properties; records
    a `form_submitted` event for it and emits `form.submitted`. Required fields missing or values the
    contact's rules refuse: 422 naming each field (`/email`). Limited per client address and per form
    (429 with Retry-After).

    Args:
        form_id (str):
        idempotency_key (str | Unset):
        body (SubmitFormJsonBody | Unset):
        body (SubmitFormDataBody | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Problem | ValidationProblem | SubmissionAccepted
    """

    return (
        await asyncio_detailed(
            form_id=form_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
