# syntax=docker/dockerfile:1
# The backend image (docs/deployment.md), built with the README's own Makefile targets: `make run` is
# `make setup` + `make frontend` + `puxian serve`. Stage 1 runs `make frontend` (the React UI), stage 2
# `make setup` (venv, dependencies, default models) and starts with `puxian serve`, which migrates
# the database first.
# tests/unit/test_deploy_dockerfile.py checks that these steps stay the Makefile's.

ARG NODE_IMAGE=node:22-bookworm-slim
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${NODE_IMAGE} AS frontend
RUN apt-get update \
    && apt-get install -y --no-install-recommends make \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# `make frontend` in two steps: the dependencies (`npm ci`) first, from the lock file alone, so that
# they are fetched again only when it changes; then the build, from the sources.
COPY Makefile ./
COPY frontend/package.json frontend/package-lock.json frontend/
RUN --mount=type=cache,target=/root/.npm make frontend/node_modules/.installed
COPY frontend/ frontend/
RUN make frontend

FROM ${PYTHON_IMAGE} AS backend
# Empty by default (PyPI's torch, which bundles CUDA); the PyTorch CPU wheel index makes the image
# about 2 GB smaller, and the backend never needs CUDA when vLLM does the generating.
ARG PIP_EXTRA_INDEX_URL=""
RUN apt-get update \
    && apt-get install -y --no-install-recommends make \
    && rm -rf /var/lib/apt/lists/*
# Prepared models are baked into the image; data (the per-replica index cache) lives in /data.
# Nothing is ever downloaded from a model hub at run time.
ENV PUXIAN_MODEL_CACHE=/opt/puxian/models \
    PUXIAN_DATA_DIR=/data \
    PUXIAN_HOST=0.0.0.0 \
    PUXIAN_PORT=8000 \
    HF_HUB_OFFLINE=1 \
    PYTHONUNBUFFERED=1
WORKDIR /app
# What `make setup` reads, without the knowledge: editing a document does not reinstall anything.
COPY Makefile pyproject.toml requirements-models.txt README.md ./
COPY backend/ backend/
COPY inference_engine/ inference_engine/
RUN --mount=type=cache,target=/root/.cache/pip make setup
COPY knowledge/ knowledge/
COPY --from=frontend /app/frontend/dist frontend/dist
# /data/uploads exists in the image so that the volume mounted there starts owned by the server.
RUN useradd --system --uid 10001 --create-home puxian \
    && mkdir -p /data/uploads \
    && chown -R puxian /data
USER puxian
EXPOSE 8000
CMD [".venv/bin/puxian", "serve"]
