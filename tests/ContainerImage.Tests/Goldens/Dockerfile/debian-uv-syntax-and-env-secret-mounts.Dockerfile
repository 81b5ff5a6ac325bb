# syntax=docker/dockerfile:1.10
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

# layer 1: AptPackages
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked --mount=type=secret,id=netrc,target=/root/.netrc,required=true mv /etc/apt/apt.conf.d/docker-clean /tmp/cimg-docker-clean 2>/dev/null; apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends 'git' 'curl=7.88.1-10' 'libssl-dev/bookworm'; status=$?; mv /tmp/cimg-docker-clean /etc/apt/apt.conf.d/docker-clean 2>/dev/null; rm -f /var/log/apt/history.log /var/log/apt/term.log /var/log/dpkg.log /var/log/alternatives.log /var/cache/ldconfig/aux-cache; exit $status

# layer 2: PipPackages
RUN --mount=type=cache,target=/root/.cache/uv --mount=type=secret,id=index_token,env=INDEX_TOKEN,required=true --mount=type=secret,id=netrc,target=/root/.netrc,required=true uv pip install --python /opt/venv/bin/python --index-url 'https://pypi.example.test/simple' --extra-index-url 'https://extra.example.test/simple' --extra-index-url 'http://127.0.0.1:8080/simple' --prerelease=allow '--no-compile' '--config-settings=a b' 'requests>=2.31' 'numpy==1.26.4' 'pkg[extra] ; python_version >= '\''3.10'\'''

# layer 3: Requirements
RUN --mount=type=cache,target=/root/.cache/uv --mount=type=bind,source=layers/3,target=/tmp/cimg/layers/3 --mount=type=secret,id=index_token,env=INDEX_TOKEN,required=true uv pip install --python /opt/venv/bin/python --index-url 'https://pypi.example.test/simple' --extra-index-url 'https://extra.example.test/simple' --extra-index-url 'http://127.0.0.1:8080/simple' --prerelease=allow '--no-compile' '--config-settings=a b' --requirement '/tmp/cimg/layers/3/prod.txt'

# layer 4: UvProject
RUN --mount=type=cache,target=/root/.cache/uv --mount=type=bind,source=layers/4,target=/tmp/cimg/layers/4,rw --mount=type=secret,id=index_token,env=INDEX_TOKEN,required=true --mount=type=secret,id=netrc,target=/root/.netrc,required=true cd '/tmp/cimg/layers/4' && uv sync --active --inexact --no-install-project --frozen --index-url 'https://pypi.example.test/simple' --extra-index-url 'https://extra.example.test/simple' --extra-index-url 'http://127.0.0.1:8080/simple' '--no-compile' '--config-settings=a b'

# layer 5: SourceFolder
COPY --chown=app:app ["layers/5/", "./"]

# layer 6: SourceFolder
COPY --chown=app:app ["layers/6/", "/srv/app data/"]

# layer 7: SourceFile
COPY --chown=app:app ["layers/7/", "./"]

# layer 8: SourceFile
COPY --chown=app:app ["layers/8/", "/usr/local/bin/"]

# layer 9: SourceFile
COPY --chown=app:app ["layers/9/file", "/etc/app/settings.json"]

# layer 10: EnvVars
ENV GREETING="hello world"
ENV TRICKY="a \$HOME \"q\" \\ ; 'x' ü"

# layer 11: Workdir
WORKDIR "/srv/app data"

# layer 12: Commands
RUN --mount=type=secret,id=index_token,env=INDEX_TOKEN,required=true --mount="type=secret,id=cert,target=/run/my certs/ca.pem,required=true" echo one && echo two
RUN --mount=type=secret,id=index_token,env=INDEX_TOKEN,required=true --mount="type=secret,id=cert,target=/run/my certs/ca.pem,required=true" ["/bin/sh", "-c", "python -c 'print(1 << 3)'"]

USER app
