FROM ghcr.io/astral-sh/uv:0.8.22 AS uv
FROM python:3.12-slim-bookworm
COPY --from=uv /uv /usr/bin/uv

ARG SOURCE_DATE_EPOCH
RUN id -u 'app' >/dev/null 2>&1 || useradd --create-home --no-log-init --uid 1000 --shell /bin/bash 'app'
ENV VIRTUAL_ENV=/opt/venv
ENV PATH="/opt/venv/bin:$PATH"
ENV UV_LINK_MODE=copy
ENV UV_PYTHON=/opt/venv/bin/python
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked mv /etc/apt/apt.conf.d/docker-clean /tmp/cimg-docker-clean 2>/dev/null; apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends 'build-essential' 'ca-certificates'; status=$?; mv /tmp/cimg-docker-clean /etc/apt/apt.conf.d/docker-clean 2>/dev/null; rm -f /var/log/apt/history.log /var/log/apt/term.log /var/log/dpkg.log /var/log/alternatives.log /var/cache/ldconfig/aux-cache; exit $status
RUN uv venv /opt/venv --python python3
RUN --mount=type=cache,target=/root/.cache/uv uv pip install --python /opt/venv/bin/python 'flyte'
WORKDIR "/home/app"

# layer 0: SourceFolder
COPY --chown=app:app ["layers/0/part0/", "/srv/big/"]
COPY --chown=app:app ["layers/0/part1/", "/srv/big/"]
COPY --chown=app:app ["layers/0/part2/", "/srv/big/"]

USER app
