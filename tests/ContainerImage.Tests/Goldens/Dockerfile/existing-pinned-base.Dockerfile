FROM 127.0.0.1:5000/local/busybox:static@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
LABEL org.opencontainers.image.base.name="127.0.0.1:5000/local/busybox:static" org.opencontainers.image.base.digest="sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

# layer 0: Commands
ARG SOURCE_DATE_EPOCH
RUN echo pinned
