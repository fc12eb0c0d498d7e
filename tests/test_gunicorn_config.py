"""gunicorn.conf.py: workers recycled rarely, apart from one another, the app not preloaded; an
operator changes each from the environment, and a malformed value stops gunicorn with a message.
"""

import runpy

import pytest
from gunicorn.config import Config

from tests.servers import ROOT

CONFIG = ROOT / "gunicorn.conf.py"
OWN = (
    "GUNICORN_MAX_REQUESTS",
    "GUNICORN_MAX_REQUESTS_JITTER",
    "GUNICORN_PRELOAD",
    "GUNICORN_WORKERS",
)


@pytest.fixture
def configuration(monkeypatch):
    """The configuration gunicorn reads, with these environment variables set (others unset)."""
    for name in OWN:
        monkeypatch.delenv(name, raising=False)

    def read(**variables: str) -> Config:
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        settings = runpy.run_path(str(CONFIG))
        config = Config()
        for name, value in settings.items():
            if name in config.settings:
                config.set(name, value)  # As gunicorn does: each value is validated.
        return config

    return read


def test_workers_are_recycled_rarely_and_apart_and_the_app_is_not_preloaded(configuration):
    config = configuration()

    assert config.max_requests == 100_000
    assert config.max_requests_jitter == 10_000
    assert config.preload_app is False


def test_an_operator_sets_recycling_and_preloading_from_the_environment(configuration):
    config = configuration(
        GUNICORN_MAX_REQUESTS="5000", GUNICORN_MAX_REQUESTS_JITTER="50", GUNICORN_PRELOAD="1"
    )

    assert config.max_requests == 5000
    assert config.max_requests_jitter == 50
    assert config.preload_app is True


def test_recycling_can_be_turned_off(configuration):
    config = configuration(GUNICORN_MAX_REQUESTS="0")

    assert config.max_requests == 0
    assert config.max_requests_jitter == 0


def test_the_jitter_follows_a_changed_number_of_requests(configuration):
    assert configuration(GUNICORN_MAX_REQUESTS="20000").max_requests_jitter == 2000


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("GUNICORN_MAX_REQUESTS", "-1"),
        ("GUNICORN_MAX_REQUESTS", "many"),
        ("GUNICORN_MAX_REQUESTS_JITTER", "1.5"),
        ("GUNICORN_PRELOAD", "maybe"),
        ("GUNICORN_WORKERS", "0"),
    ],
)
def test_a_malformed_value_stops_gunicorn_naming_the_variable(configuration, name, value):
    with pytest.raises(SystemExit, match=name):
        configuration(**{name: value})
