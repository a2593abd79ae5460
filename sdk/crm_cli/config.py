"""Where the `crm` command finds the API and its key.

Precedence, highest first: the --url/--api-key flags; the profile named by --profile (or CRM_PROFILE) in
the config file; the CRM_URL/CRM_API_KEY environment; the local stack's address. A setting missing at one
level falls through to the next, so a profile may name only a URL and the key come from the environment.

The config file is TOML at $CRM_CONFIG, else $XDG_CONFIG_HOME/crm/config.toml (~/.config/crm/config.toml):

    [profiles.local]
    url = "http://127.0.0.1:3000"
    api_key = "crm_..."
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_URL = "http://127.0.0.1:3000"
API_PREFIX = "/v1"
PROFILE_SETTINGS = ("url", "api_key")


class ConfigError(Exception):
    """The command line, environment or config file cannot be used as given (a usage error)."""


@dataclass(frozen=True)
class Settings:
    url: str
    api_key: str | None

    @property
    def base_url(self) -> str:
        return api_base(self.url)


def config_path(env: Mapping[str, str]) -> Path:
    if env.get("CRM_CONFIG"):
        return Path(env["CRM_CONFIG"]).expanduser()
    config_home = Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else Path.home() / ".config"
    return config_home / "crm" / "config.toml"


def load_profile(name: str, path: Path) -> dict[str, str]:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"profile {name!r} asked for, but there is no config file at {path}") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read the config file {path}: {error}") from None
    profiles = document.get("profiles", {})
    if not isinstance(profiles, dict) or name not in profiles or not isinstance(profiles[name], dict):
        known = ", ".join(sorted(profiles)) if isinstance(profiles, dict) and profiles else "none"
        raise ConfigError(f"no profile {name!r} in {path} (profiles: {known})")
    profile = profiles[name]
    for key, value in profile.items():
        if key not in PROFILE_SETTINGS:
            raise ConfigError(f"unknown setting {key!r} in profile {name!r} of {path} (known: url, api_key)")
        if not isinstance(value, str):
            raise ConfigError(f"{key} in profile {name!r} of {path} must be a string")
    return profile


def resolve(
    *, url: str | None, api_key: str | None, profile: str | None, env: Mapping[str, str] | None = None
) -> Settings:
    env = os.environ if env is None else env
    profile = profile or env.get("CRM_PROFILE") or None
    chosen = load_profile(profile, config_path(env)) if profile else {}
    resolved_url = url or chosen.get("url") or env.get("CRM_URL") or DEFAULT_URL
    resolved_key = api_key or chosen.get("api_key") or env.get("CRM_API_KEY") or None
    api_base(resolved_url)  # refuse a malformed URL before any request
    return Settings(resolved_url, resolved_key)


def api_base(url: str) -> str:
    """The API's base URL from what a user has: the host (http://127.0.0.1:3000) or the stage URL a
    deployment prints (https://....execute-api....amazonaws.com/v1/); operation paths follow it."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"the CRM URL must be http(s)://host[:port][/v1], not {url!r}")
    path = parts.path.rstrip("/")
    if not path.endswith(API_PREFIX):
        path += API_PREFIX
    return f"{parts.scheme}://{parts.netloc}{path}"
