"""The deployment files parse and run exactly the processes the code has (no Docker engine here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from shared.bus.permissions import password_variable
from smallwins.registry import PROCESSES, SERVICES, deployed_nats_config

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def test_compose_runs_postgres_nats_every_service_and_web() -> None:
    services = _compose()["services"]
    assert set(services) == {"postgres", "nats", "migrate", "web", *SERVICES, "prometheus", "grafana"}
    assert services["prometheus"]["profiles"] == services["grafana"]["profiles"] == ["monitoring"]
    for name in SERVICES:
        assert services[name]["command"] == ["smallwins", "serve", name]
        env = services[name]["environment"]
        # each process as its own PostgreSQL role and its own NATS user, passwords from the environment
        db_password = f"${{SMALLWINS_DB_{name.upper()}_PASSWORD:?}}"
        assert env["SMALLWINS_DATABASE_URL"] == f"postgresql://smallwins_{name}:{db_password}@postgres:5432/smallwins"
        assert env["SMALLWINS_NATS_URL"] == f"nats://{name}:${{{password_variable(name)}:?}}@nats:4222"
        assert env["SMALLWINS_KEY_FILE"] == "/keys/keys.json" and "keys:/keys" in services[name]["volumes"]
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert env["SMALLWINS_METRICS_PORT"] == "9464"
    assert services["web"]["command"] == ["smallwins", "serve", "web"]
    assert services["web"]["environment"]["SMALLWINS_HTTP_HOST"] == "0.0.0.0"  # noqa: S104
    assert services["migrate"]["command"] == ["smallwins", "migrate"]


def test_nats_config_enables_jetstream_on_file_storage() -> None:
    compose = _compose()["services"]["nats"]
    conf = (ROOT / "infra/nats/nats.conf").read_text()
    assert compose["command"] == ["-c", "/etc/nats/nats.conf"]
    assert "jetstream" in conf and "store_dir: /data" in conf
    assert any(v.endswith(":/data") for v in compose["volumes"])


def test_dockerfile_installs_the_locked_dependencies_and_the_cli() -> None:
    dockerfile = (ROOT / "infra/Dockerfile").read_text()
    assert "requirements.lock" in dockerfile and "uv pip sync" in dockerfile
    for package in ("shared", "services", "web", "smallwins"):
        assert f"COPY {package} ./{package}" in dockerfile


def test_prometheus_scrapes_web_and_every_service() -> None:
    config = yaml.safe_load((ROOT / "infra/prometheus/prometheus.yml").read_text())
    targets = {t for job in config["scrape_configs"] for c in job["static_configs"] for t in c["targets"]}
    assert targets == {"web:8000", *(f"{name}:9464" for name in SERVICES)}


def test_prometheus_sends_web_the_metrics_token_web_is_given() -> None:
    config = yaml.safe_load((ROOT / "infra/prometheus/prometheus.yml").read_text())
    web = next(job for job in config["scrape_configs"] if "web:8000" in job["static_configs"][0]["targets"])
    compose = _compose()
    prometheus = compose["services"]["prometheus"]
    assert web["authorization"] == {"type": "Bearer", "credentials_file": "/run/secrets/web_metrics_token"}
    assert prometheus["secrets"] == ["web_metrics_token"]
    assert compose["secrets"]["web_metrics_token"] == {"environment": "SMALLWINS_METRICS_TOKEN"}
    assert compose["services"]["web"]["environment"]["SMALLWINS_METRICS_TOKEN"] == "${SMALLWINS_METRICS_TOKEN:-}"


def test_the_deployed_bus_is_closed_exactly_as_the_code_says() -> None:
    """infra/nats/nats.conf is what `smallwins bus-config` makes, and compose hands it every password."""
    assert (ROOT / "infra/nats/nats.conf").read_text() == deployed_nats_config("sw")
    nats_env = _compose()["services"]["nats"]["environment"]
    assert set(nats_env) == {password_variable(u) for u in ("operator", *PROCESSES)}
    migrate = _compose()["services"]["migrate"]["environment"]
    assert {f"SMALLWINS_DB_{p.upper()}_PASSWORD" for p in PROCESSES} <= set(migrate)
