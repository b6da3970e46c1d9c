"""docker-compose.yml, .env.example and deploy/prometheus.yml against each other and the backend's settings.

Docker cannot run here: the file is parsed (PyYAML resolves its `<<` merge keys as Compose does),
its `${...}` are interpolated the way Compose does from .env.example, and every piece is checked
against what the other side expects.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import make_url

from app.core.config import Settings
from tests.conftest import REPO_ROOT

COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
ENV_EXAMPLE = REPO_ROOT / ".env.example"
PROMETHEUS_FILE = REPO_ROOT / "deploy" / "prometheus.yml"
SECRETS = ("PUXIAN_JWT_SECRET", "POSTGRES_PASSWORD", "VLLM_API_KEY", "PUXIAN_METRICS_TOKEN")
# What an operator puts in .env for the secrets the example leaves empty.
TEST_SECRETS = {
    "PUXIAN_JWT_SECRET": "a-test-secret-that-is-long-enough-for-production-0123",
    "POSTGRES_PASSWORD": "0f3a9c",
    "VLLM_API_KEY": "test-vllm-key",
    "PUXIAN_METRICS_TOKEN": "test-metrics-token",
}
# The Compose specification's service keys this stack may use; a misspelt key is silently ignored
# by nothing but this test.
SERVICE_KEYS = {
    "build", "command", "deploy", "depends_on", "entrypoint", "env_file", "environment", "expose",
    "healthcheck", "image", "ipc", "networks", "ports", "profiles", "restart", "secrets", "shm_size",
    "stop_grace_period", "ulimits", "user", "volumes",
}  # fmt: skip
VARIABLE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


class MissingVariable(Exception):
    pass


def interpolate(value: Any, env: Mapping[str, str]) -> Any:
    """Compose's interpolation: ${X}, ${X:-default}, ${X-default}, ${X:?error}, ${X?error}, and $$."""
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        present = name in env and (env[name] != "" or op not in (":-", ":?"))
        if present:
            return env[name]
        if op in (":?", "?"):
            raise MissingVariable(f"{name}: {arg}")
        return arg if op in (":-", "-") else ""

    return VARIABLE.sub(substitute, value.replace("$$", "\0")).replace("\0", "$")


def read_env_file(path: Path) -> dict[str, str]:
    return read_env_file_lines(path.read_text(encoding="utf-8").splitlines())


def read_env_file_lines(lines: list[str]) -> dict[str, str]:
    values = {}
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


@pytest.fixture(scope="module")
def raw_compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


@pytest.fixture(scope="module")
def env_example() -> dict[str, str]:
    return read_env_file(ENV_EXAMPLE)


@pytest.fixture(scope="module")
def operator_env(env_example: dict[str, str]) -> dict[str, str]:
    """The .env of an operator who copied the example and filled in the secrets."""
    return env_example | TEST_SECRETS


@pytest.fixture(scope="module")
def services(raw_compose: dict[str, Any], operator_env: dict[str, str]) -> dict[str, Any]:
    resolved = interpolate(raw_compose["services"], operator_env)
    assert isinstance(resolved, dict)
    return resolved


def container_env(service: dict[str, Any], dotenv: dict[str, str]) -> dict[str, str]:
    """The variables a container gets: its env_file (.env here), overridden by `environment`."""
    env: dict[str, str] = {}
    if service.get("env_file"):
        assert service["env_file"] == ".env"
        env.update(dotenv)
    env.update({key: str(value) for key, value in service.get("environment", {}).items()})
    return env


def command_flags(command: list[str]) -> dict[str, str]:
    return dict(arg[2:].split("=", 1) for arg in command if arg.startswith("--") and "=" in arg)


def settings_from(env: Mapping[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The backend's settings in a container with exactly this environment."""
    monkeypatch.chdir(REPO_ROOT / "deploy")  # no .env file is read from here
    for name in [name for name in os.environ if name.startswith("PUXIAN_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings(_env_file=None)  # type: ignore[call-arg]


# ------------------------------------------------------------------------------------ the file


def test_the_stack_has_its_services_and_only_known_keys(raw_compose: dict[str, Any]) -> None:
    services = raw_compose["services"]
    assert set(services) == {"postgres", "vllm", "vllm-2", "init", "backend", "prometheus"}
    for name, service in services.items():
        unknown = set(service) - SERVICE_KEYS
        assert not unknown, f"{name} has keys Compose does not know: {unknown}"
    assert [name for name, s in services.items() if "profiles" in s] == ["vllm-2"]  # started on request
    assert set(raw_compose["volumes"]) == {"postgres-data", "prometheus-data", "uploads"}
    assert set(raw_compose) <= {"services", "volumes", "secrets", "x-backend", "x-vllm"}


def test_every_variable_is_documented_in_env_example_with_the_same_default(
    env_example: dict[str, str],
) -> None:
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    used = list(VARIABLE.finditer(text))
    assert len(used) > 20
    for match in used:
        assert match["name"] in env_example, f"${{{match['name']}}} is not in .env.example"
        if match["op"] == ":-":
            assert env_example[match["name"]] == match["arg"], f"{match['name']}: default differs"


def test_the_secrets_have_no_default_and_compose_refuses_to_start_without_them(
    raw_compose: dict[str, Any], env_example: dict[str, str]
) -> None:
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    for secret in SECRETS:
        assert env_example[secret] == "", f"{secret} must be left empty in .env.example"
        uses = [m for m in VARIABLE.finditer(text) if m["name"] == secret]
        assert uses
        assert all(m["op"] == ":?" for m in uses), f"{secret} must be required (${{{secret}:?...}})"
        with pytest.raises(MissingVariable, match=secret):
            interpolate(raw_compose["services"], env_example | TEST_SECRETS | {secret: ""})


def test_every_puxian_variable_is_a_setting_the_backend_reads(raw_compose: dict[str, Any]) -> None:
    fields = {f"PUXIAN_{name.upper()}" for name in Settings.model_fields}
    texts = {
        path.name: path.read_text(encoding="utf-8")
        for path in (COMPOSE_FILE, ENV_EXAMPLE, REPO_ROOT / "Dockerfile")
    }
    for name, text in texts.items():
        mentioned = set(re.findall(r"\bPUXIAN_[A-Z0-9_]+", text))
        assert mentioned, name
        assert mentioned <= fields, f"{name} names settings that do not exist: {mentioned - fields}"


# --------------------------------------------------------------------------------- the backend


def test_the_backend_environment_is_a_valid_production_configuration(
    services: dict[str, Any], operator_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("backend", "init"):
        settings = settings_from(container_env(services[name], operator_env), monkeypatch)
        assert settings.env == "production"
        assert settings.jwt_secret is not None
        assert settings.jwt_secret.get_secret_value() == TEST_SECRETS["PUXIAN_JWT_SECRET"]
    # The same image, settings and secret for the one-shot init and every replica.
    assert services["init"]["environment"] == services["backend"]["environment"]
    assert services["init"]["image"] == services["backend"]["image"]


def test_the_backend_reaches_postgres_with_the_database_s_own_credentials(
    services: dict[str, Any], operator_env: dict[str, str]
) -> None:
    url = make_url(container_env(services["backend"], operator_env)["PUXIAN_DATABASE_URL"])
    postgres = services["postgres"]["environment"]
    assert url.drivername == "postgresql+psycopg"
    assert (url.host, url.port) == ("postgres", 5432)
    assert url.username == postgres["POSTGRES_USER"]
    assert url.password == postgres["POSTGRES_PASSWORD"] == TEST_SECRETS["POSTGRES_PASSWORD"]
    assert url.database == postgres["POSTGRES_DB"]


def test_the_backend_answers_through_vllm_with_its_key_and_model_name(
    services: dict[str, Any], operator_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_from(container_env(services["backend"], operator_env), monkeypatch)
    engines = {spec.name: spec for spec in settings.engines}
    assert settings.default_engine == "vllm"
    vllm = engines["vllm"]
    assert (vllm.kind, vllm.keep_loaded) == ("openai", True)
    flags = command_flags(services["vllm"]["command"])
    assert vllm.config["api_key"] == flags["api-key"]
    assert vllm.config["served_model_name"] == flags["served-model-name"]
    assert vllm.config["server_urls"] == [f"http://vllm:{flags['port']}/v1"]
    assert engines["transformers"].kind == "transformers"  # the CPU fallback an admin may switch to


def test_the_replica_setting_of_env_example_names_both_vllm_services(
    raw_compose: dict[str, Any], operator_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The two lines .env.example gives, in comments, for a second replica.
    lines = [
        line.lstrip("# ").strip()
        for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
        if line.startswith("#   ")
    ]
    replica_env = read_env_file_lines(
        [line for line in lines if line.startswith(("COMPOSE_", "VLLM_SERVER"))]
    )
    assert replica_env["COMPOSE_PROFILES"] == "replicas"
    services = interpolate(raw_compose["services"], operator_env | replica_env)
    settings = settings_from(container_env(services["backend"], operator_env | replica_env), monkeypatch)
    urls = next(spec for spec in settings.engines if spec.name == "vllm").config["server_urls"]
    assert urls == ["http://vllm:8000/v1", "http://vllm-2:8000/v1"]
    assert services["vllm-2"]["profiles"] == [replica_env["COMPOSE_PROFILES"]]
    assert command_flags(services["vllm-2"]["command"])["port"] == "8000"


def test_the_backend_is_built_here_published_and_health_checked_on_its_port(
    services: dict[str, Any], operator_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = services["backend"]
    assert backend["build"]["context"] == "."
    assert (REPO_ROOT / backend["build"].get("dockerfile", "Dockerfile")).is_file()
    dockerfile_env = dict(
        re.findall(r"^\s+(PUXIAN_PORT)=(\d+)", (REPO_ROOT / "Dockerfile").read_text(), re.M)
    )
    port = int(dockerfile_env["PUXIAN_PORT"])
    assert settings_from({"PUXIAN_PORT": str(port)}, monkeypatch).port == port
    published, target = backend["ports"][0].rsplit(":", 1)
    assert int(target) == port
    assert published == operator_env["BACKEND_PUBLISHED_PORT"]
    assert f"http://127.0.0.1:{port}/api/health" in " ".join(backend["healthcheck"]["test"])
    assert "healthcheck" not in services["init"]  # a one-shot job, not a server


def test_uploaded_files_live_in_a_volume_every_replica_shares(
    services: dict[str, Any], operator_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.knowledge.uploads import uploads_dir

    dockerfile = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8")
    data_dir = re.findall(r"^\s+PUXIAN_DATA_DIR=(\S+)", dockerfile, re.M)[0]
    settings = settings_from(
        container_env(services["backend"], operator_env) | {"PUXIAN_DATA_DIR": data_dir}, monkeypatch
    )
    # A re-index on any replica syncs the uploads folder: a replica without the files would delete them.
    assert services["backend"]["volumes"] == [f"uploads:{uploads_dir(settings)}"]
    assert f"mkdir -p {uploads_dir(settings)}" in dockerfile  # so that the volume starts owned by the server


def test_the_backend_starts_after_the_database_vllm_and_the_one_shot_init(services: dict[str, Any]) -> None:
    assert services["backend"]["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "vllm": {"condition": "service_healthy"},
        "init": {"condition": "service_completed_successfully"},
    }
    assert services["init"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    # `puxian ingest` migrates the schema and loads the curated knowledge, then exits.
    assert services["init"]["command"] == [".venv/bin/puxian", "ingest"]
    assert services["init"]["restart"] == "no"
    assert services["backend"]["restart"] == "unless-stopped"


# ----------------------------------------------------------------------------------- PostgreSQL


def test_postgres_keeps_its_data_in_a_volume_and_reports_when_ready(services: dict[str, Any]) -> None:
    postgres = services["postgres"]
    assert postgres["image"].startswith("postgres:")
    assert "postgres-data:/var/lib/postgresql/data" in postgres["volumes"]
    test = " ".join(postgres["healthcheck"]["test"])
    assert "pg_isready" in test
    assert "$POSTGRES_USER" in test  # the container's variable ($$ in the file), not an empty one
    assert "ports" not in postgres  # reachable by the backend only


# ----------------------------------------------------------------------------------------- vLLM


def test_vllm_serves_the_mounted_model_with_a_key_and_the_configured_limits(
    services: dict[str, Any], operator_env: dict[str, str]
) -> None:
    for name in ("vllm", "vllm-2"):
        vllm = services[name]
        assert vllm["image"].startswith("vllm/vllm-openai:")
        assert vllm["entrypoint"] == ["vllm", "serve"]
        model, *_ = vllm["command"]
        host_dir, mount, mode = vllm["volumes"][0].split(":")
        assert (host_dir, mode) == (operator_env["VLLM_MODELS_DIR"], "ro")
        assert model.startswith(mount + "/")
        flags = command_flags(vllm["command"])
        assert flags == {
            "served-model-name": operator_env["VLLM_SERVED_MODEL_NAME"],
            "api-key": TEST_SECRETS["VLLM_API_KEY"],
            "max-model-len": operator_env["VLLM_MAX_MODEL_LEN"],
            "gpu-memory-utilization": operator_env["VLLM_GPU_MEMORY_UTILIZATION"],
            "tensor-parallel-size": operator_env["VLLM_TENSOR_PARALLEL_SIZE"],
            "host": "0.0.0.0",
            "port": "8000",
        }
        assert "http://127.0.0.1:8000/health" in " ".join(vllm["healthcheck"]["test"])
        assert vllm["environment"]["HF_HUB_OFFLINE"] == "1"
        assert vllm["ipc"] == "host"  # tensor-parallel workers share memory


def test_each_vllm_replica_reserves_gpus_and_uses_one_per_tensor_parallel_rank(
    services: dict[str, Any], operator_env: dict[str, str]
) -> None:
    tensor_parallel = int(operator_env["VLLM_TENSOR_PARALLEL_SIZE"])
    used: list[set[str]] = []
    for name in ("vllm", "vllm-2"):
        (device,) = services[name]["deploy"]["resources"]["reservations"]["devices"]
        assert device["driver"] == "nvidia"
        assert device["capabilities"] == ["gpu"]
        gpus = services[name]["environment"]["CUDA_VISIBLE_DEVICES"].split(",")
        assert len(gpus) == tensor_parallel, f"{name}: one GPU per tensor-parallel rank"
        used.append(set(gpus))
    assert not used[0] & used[1], "the two replicas must not share a GPU"


# ----------------------------------------------------------------------------------- Prometheus


def test_prometheus_scrapes_every_backend_and_vllm_replica(services: dict[str, Any]) -> None:
    prometheus = services["prometheus"]
    assert prometheus["image"].startswith("prom/prometheus:")
    assert "./deploy/prometheus.yml:/etc/prometheus/prometheus.yml:ro" in prometheus["volumes"]
    config = yaml.safe_load(PROMETHEUS_FILE.read_text(encoding="utf-8"))
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    assert set(jobs) == {"puxian-backend", "vllm"}
    targets = {}
    for name, job in jobs.items():
        assert job["metrics_path"] == "/metrics"
        (discovery,) = job["dns_sd_configs"]
        assert discovery["type"] == "A"
        targets[name] = (discovery["names"], discovery["port"])
    assert targets["puxian-backend"] == (["backend"], 8000)
    assert targets["vllm"] == (["vllm-replica"], 8000)
    for name in ("vllm", "vllm-2"):
        assert "vllm-replica" in services[name]["networks"]["default"]["aliases"]


def test_prometheus_reads_the_backend_s_metrics_with_its_token(
    raw_compose: dict[str, Any], services: dict[str, Any], operator_env: dict[str, str]
) -> None:
    config = yaml.safe_load(PROMETHEUS_FILE.read_text(encoding="utf-8"))
    backend_job = next(job for job in config["scrape_configs"] if job["job_name"] == "puxian-backend")
    assert backend_job["authorization"] == {
        "type": "Bearer",
        "credentials_file": "/run/secrets/metrics-token",
    }
    assert services["prometheus"]["secrets"] == ["metrics-token"]
    assert raw_compose["secrets"]["metrics-token"] == {"environment": "PUXIAN_METRICS_TOKEN"}
    backend_env = container_env(services["backend"], operator_env)
    assert backend_env["PUXIAN_METRICS_TOKEN"] == operator_env["PUXIAN_METRICS_TOKEN"]
