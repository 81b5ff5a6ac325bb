FROM python:3.12-slim-bookworm

ARG SOURCE_DATE_EPOCH
RUN id -u 'app' >/dev/null 2>&1 || useradd --create-home --no-log-init --uid 1000 --shell /bin/bash 'app'
ENV VIRTUAL_ENV=/opt/venv
ENV PATH="/opt/venv/bin:$PATH"
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked mv /etc/apt/apt.conf.d/docker-clean /tmp/cimg-docker-clean 2>/dev/null; apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends 'build-essential' 'ca-certificates'; status=$?; mv /tmp/cimg-docker-clean /etc/apt/apt.conf.d/docker-clean 2>/dev/null; rm -f /var/log/apt/history.log /var/log/apt/term.log /var/log/dpkg.log /var/log/alternatives.log /var/cache/ldconfig/aux-cache; exit $status
RUN python3 -m venv /opt/venv
RUN --mount=type=cache,target=/root/.cache/pip /opt/venv/bin/python -m pip install 'flyte'
WORKDIR "/home/app"

USER app
