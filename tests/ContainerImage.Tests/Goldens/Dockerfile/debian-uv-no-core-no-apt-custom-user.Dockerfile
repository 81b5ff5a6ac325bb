FROM ghcr.io/astral-sh/uv:0.8.22 AS uv
FROM python:3.11-slim-bookworm
COPY --from=uv /uv /usr/bin/uv

ARG SOURCE_DATE_EPOCH
RUN id -u 'svc' >/dev/null 2>&1 || useradd --create-home --no-log-init --uid 4242 --shell /bin/bash 'svc'
ENV VIRTUAL_ENV=/opt/venv
ENV PATH="/opt/venv/bin:$PATH"
ENV UV_LINK_MODE=copy
ENV UV_PYTHON=/opt/venv/bin/python
RUN uv venv /opt/venv --python python3
WORKDIR "/home/svc"

USER svc
