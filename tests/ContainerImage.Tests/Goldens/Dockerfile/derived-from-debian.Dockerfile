FROM ghcr.io/astral-sh/uv:0.8.22 AS uv
FROM 127.0.0.1:5000/team/py-base:v1
COPY --from=uv /uv /usr/bin/uv
USER root

# layer 0: AptPackages
ARG SOURCE_DATE_EPOCH
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked mv /etc/apt/apt.conf.d/docker-clean /tmp/cimg-docker-clean 2>/dev/null; apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends 'curl'; status=$?; mv /tmp/cimg-docker-clean /etc/apt/apt.conf.d/docker-clean 2>/dev/null; rm -f /var/log/apt/history.log /var/log/apt/term.log /var/log/dpkg.log /var/log/alternatives.log /var/cache/ldconfig/aux-cache; exit $status

# layer 1: PipPackages
RUN --mount=type=cache,target=/root/.cache/uv uv pip install --python /opt/venv/bin/python 'requests==2.32.3'

# layer 2: AppPublishOutput
COPY --chown=app:app ["layers/2/", "/app/"]

# layer 3: Entrypoint
ENTRYPOINT ["/app/web"]

USER app
