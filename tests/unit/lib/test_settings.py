from __future__ import annotations

import subprocess
import sys

import pytest

from backend.lib.settings import Environment, SettingsError, load_settings


def test_defaults_are_valid_for_development():
    settings = load_settings({})
    assert settings.environment is Environment.DEVELOPMENT
    assert settings.database_url.startswith("postgresql+asyncpg://")
    assert settings.json_logs is False


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SMTP_PORT": "abc"}, "SMTP_PORT"),
        ({"SMTP_PORT": "70000"}, "SMTP_PORT"),
        ({"DATABASE_URL": "mysql://db/x"}, "DATABASE_URL"),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL"),
        ({"ENVIRONMENT": "staging"}, "ENVIRONMENT"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"SESSION_TTL_HOURS": "0"}, "SESSION_TTL_HOURS"),
        ({"ENVIRONMENT": "production", "PUBLIC_URL": "https://x.example"}, "S3_SECRET_ACCESS_KEY"),
        ({"ENVIRONMENT": "production", "S3_SECRET_ACCESS_KEY": "real"}, "PUBLIC_URL"),
    ],
)
def test_a_wrong_setting_is_named(env, named):
    with pytest.raises(SettingsError, match=f"^{named}: "):
        load_settings(env)


def test_lists_and_optional_values_are_parsed():
    settings = load_settings(
        {"CORS_ALLOW_ORIGINS": "https://a.example, https://b.example", "S3_ENDPOINT_URL": "", "LOG_JSON": "true"}
    )
    assert settings.cors_allow_origins == ("https://a.example", "https://b.example")
    assert settings.s3_endpoint_url is None
    assert settings.json_logs is True


def test_the_server_refuses_to_start_with_a_wrong_setting():
    result = subprocess.run(
        [sys.executable, "-c", "from backend.asgi import create; create()"],
        env={"SMTP_PORT": "not-a-port", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "configuration error: SMTP_PORT" in result.stderr
