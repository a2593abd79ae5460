"""Where `crm` finds the API and its key: flags, then the chosen profile, then CRM_URL/CRM_API_KEY, then the
local stack; each setting falls through on its own. A config file that cannot be used is a usage error."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_cli.config import ConfigError, api_base, resolve
from tests.unit.cli.conftest import KEY

CONFIG = """
[profiles.prod]
url = "https://abc123.execute-api.eu-west-2.amazonaws.com/v1/"
api_key = "crm_prod-key"

[profiles.urlonly]
url = "http://10.0.0.5:3000"
"""


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "crm.toml"
    path.write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("CRM_CONFIG", str(path))
    return path


def seen(fake) -> tuple[str, str | None]:
    request = fake.last
    return str(request.url.copy_with(query=None)), request.headers.get("Authorization")


def answer_contacts(fake) -> None:
    for path in ("/v1/contacts", "/prod/v1/contacts"):
        fake.answer("GET", path, body={"data": [], "next_cursor": None})


def test_given_nothing_configured_when_run_then_it_calls_the_local_stack():
    assert resolve(url=None, api_key=None, profile=None) == resolve(
        url="http://127.0.0.1:3000", api_key=None, profile=None
    )
    assert resolve(url=None, api_key=None, profile=None).base_url == "http://127.0.0.1:3000/v1"


def test_given_the_environment_when_run_then_it_uses_crm_url_and_crm_api_key(fake, crm):
    answer_contacts(fake)

    result = crm("contacts", "list", env={"CRM_URL": "http://crm.test:8080", "CRM_API_KEY": KEY})

    assert result.exit_code == 0, result.output
    assert seen(fake) == ("http://crm.test:8080/v1/contacts", f"Bearer {KEY}")


def test_given_a_profile_when_chosen_then_it_wins_over_the_environment(fake, crm, config_file):
    fake.answer("GET", "/v1/contacts", body={"data": [], "next_cursor": None})

    result = crm("--profile", "prod", "contacts", "list", env={"CRM_URL": "http://crm.test", "CRM_API_KEY": KEY})

    assert result.exit_code == 0, result.output
    assert seen(fake) == ("https://abc123.execute-api.eu-west-2.amazonaws.com/v1/contacts", "Bearer crm_prod-key")


def test_given_crm_profile_in_the_environment_when_run_then_that_profile_is_used(fake, crm, config_file):
    fake.answer("GET", "/v1/contacts", body={"data": [], "next_cursor": None})

    result = crm("contacts", "list", env={"CRM_PROFILE": "prod"})

    assert result.exit_code == 0, result.output
    assert seen(fake)[1] == "Bearer crm_prod-key"


def test_given_flags_when_run_then_they_win_over_the_profile(fake, crm, config_file):
    answer_contacts(fake)

    result = crm("--profile", "prod", "--url", "http://flag.test", "--api-key", "crm_flag", "contacts", "list")

    assert result.exit_code == 0, result.output
    assert seen(fake) == ("http://flag.test/v1/contacts", "Bearer crm_flag")


def test_given_a_profile_without_a_key_when_run_then_the_key_falls_through_to_the_environment(fake, crm, config_file):
    answer_contacts(fake)

    result = crm("--profile", "urlonly", "contacts", "list", env={"CRM_API_KEY": KEY})

    assert result.exit_code == 0, result.output
    assert seen(fake) == ("http://10.0.0.5:3000/v1/contacts", f"Bearer {KEY}")


def test_given_the_default_config_path_when_a_profile_is_chosen_then_it_is_read_from_the_xdg_config_home(tmp_path):
    home = tmp_path / "home-config"
    (home / "crm").mkdir(parents=True)
    (home / "crm" / "config.toml").write_text(CONFIG, encoding="utf-8")

    settings = resolve(url=None, api_key=None, profile="prod", env={"XDG_CONFIG_HOME": str(home)})

    assert settings.api_key == "crm_prod-key"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("http://127.0.0.1:3000", "http://127.0.0.1:3000/v1"),
        ("http://127.0.0.1:3000/", "http://127.0.0.1:3000/v1"),
        ("https://abc.execute-api.eu-west-2.amazonaws.com/v1/", "https://abc.execute-api.eu-west-2.amazonaws.com/v1"),
        ("https://crm.example.com/v1", "https://crm.example.com/v1"),
        ("https://gw.example.com/crm", "https://gw.example.com/crm/v1"),
    ],
)
def test_given_a_host_or_a_stage_url_when_used_then_operations_follow_one_v1(given, expected):
    assert api_base(given) == expected


@pytest.mark.parametrize(
    ("config", "profile", "message"),
    [
        (None, "prod", "no config file at"),
        ("[profiles.prod\n", "prod", "cannot read the config file"),
        (CONFIG, "staging", "no profile 'staging'"),
        ('[profiles.prod]\napikey = "x"\n', "prod", "unknown setting 'apikey'"),
        ("[profiles.prod]\nurl = 3000\n", "prod", "must be a string"),
    ],
)
def test_given_an_unusable_config_when_a_profile_is_chosen_then_it_is_a_usage_error(
    fake, crm, tmp_path, config, profile, message
):
    path = tmp_path / "config.toml"
    if config is not None:
        path.write_text(config, encoding="utf-8")

    result = crm("--profile", profile, "contacts", "list", env={"CRM_CONFIG": str(path)})

    assert result.exit_code == 2
    assert message in result.stderr
    assert fake.requests == []


@pytest.mark.parametrize("url", ["ftp://crm.test", "crm.test:3000", "http://"])
def test_given_a_url_that_is_not_http_when_run_then_it_is_a_usage_error(fake, crm, url):
    result = crm("--url", url, "contacts", "list", env={"CRM_API_KEY": KEY})

    assert result.exit_code == 2
    assert "must be http(s)://" in result.stderr
    assert fake.requests == []


def test_given_an_unknown_profile_then_the_error_lists_the_known_ones(config_file):
    with pytest.raises(ConfigError, match=r"profiles: prod, urlonly"):
        resolve(url=None, api_key=None, profile="nope")
