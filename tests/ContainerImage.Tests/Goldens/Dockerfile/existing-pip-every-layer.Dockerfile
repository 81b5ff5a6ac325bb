FROM 127.0.0.1:5000/local/python:3.11

# layer 1: AptPackages
ARG SOURCE_DATE_EPOCH
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked --mount=type=secret,id=netrc,target=/root/.netrc,required=true mv /etc/apt/apt.conf.d/docker-clean /tmp/cimg-docker-clean 2>/dev/null; apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends 'git' 'curl=7.88.1-10' 'libssl-dev/bookworm'; status=$?; mv /tmp/cimg-docker-clean /etc/apt/apt.conf.d/docker-clean 2>/dev/null; rm -f /var/log/apt/history.log /var/log/apt/term.log /var/log/dpkg.log /var/log/alternatives.log /var/cache/ldconfig/aux-cache; exit $status

# layer 2: PipPackages
RUN --mount=type=cache,target=/root/.cache/pip --mount=type=secret,id=index_token,target=/run/secrets/index_token,required=true --mount=type=secret,id=netrc,target=/root/.netrc,required=true INDEX_TOKEN="$(cat '/run/secrets/index_token')" || exit 1; export INDEX_TOKEN; python3 -m pip install --index-url 'https://pypi.example.test/simple' --extra-index-url 'https://extra.example.test/simple' --extra-index-url 'http://127.0.0.1:8080/simple' --pre '--no-compile' '--config-settings=a b' 'requests>=2.31' 'numpy==1.26.4' 'pkg[extra] ; python_version >= '\''3.10'\'''

# layer 3: Requirements
RUN --mount=type=cache,target=/root/.cache/pip --mount=type=bind,source=layers/3,target=/tmp/cimg/layers/3 --mount=type=secret,id=index_token,target=/run/secrets/index_token,required=true INDEX_TOKEN="$(cat '/run/secrets/index_token')" || exit 1; export INDEX_TOKEN; python3 -m pip install --index-url 'https://pypi.example.test/simple' --extra-index-url 'https://extra.example.test/simple' --extra-index-url 'http://127.0.0.1:8080/simple' --pre '--no-compile' '--config-settings=a b' --requirement '/tmp/cimg/layers/3/prod.txt'

# layer 4: UvProject
RUN --mount=type=cache,target=/root/.cache/pip --mount=type=secret,id=index_token,target=/run/secrets/index_token,required=true --mount=type=secret,id=netrc,target=/root/.netrc,required=true INDEX_TOKEN="$(cat '/run/secrets/index_token')" || exit 1; export INDEX_TOKEN; python3 -m pip install --index-url 'https://pypi.example.test/simple' --extra-index-url 'https://extra.example.test/simple' --extra-index-url 'http://127.0.0.1:8080/simple' --pre '--no-compile' '--config-settings=a b' --no-deps 'anyio==4.4.0' 'idna==3.7'

# layer 5: SourceFolder
COPY ["layers/5/", "./"]

# layer 6: SourceFolder
COPY ["layers/6/", "/srv/app data/"]

# layer 7: SourceFile
COPY ["layers/7/", "./"]

# layer 8: SourceFile
COPY ["layers/8/", "/usr/local/bin/"]

# layer 9: SourceFile
COPY ["layers/9/file", "/etc/app/settings.json"]

# layer 10: EnvVars
ENV GREETING="hello world"
ENV TRICKY="a \$HOME \"q\" \\ ; 'x' ü"

# layer 11: Workdir
WORKDIR "/srv/app data"

# layer 12: Commands
RUN --mount=type=secret,id=index_token,target=/run/secrets/index_token,required=true --mount="type=secret,id=cert,target=/run/my certs/ca.pem,required=true" INDEX_TOKEN="$(cat '/run/secrets/index_token')" || exit 1; export INDEX_TOKEN; echo one && echo two
RUN --mount=type=secret,id=index_token,target=/run/secrets/index_token,required=true --mount="type=secret,id=cert,target=/run/my certs/ca.pem,required=true" ["/bin/sh", "-c", "INDEX_TOKEN=\"$(cat '/run/secrets/index_token')\" || exit 1; export INDEX_TOKEN; python -c 'print(1 << 3)'"]
