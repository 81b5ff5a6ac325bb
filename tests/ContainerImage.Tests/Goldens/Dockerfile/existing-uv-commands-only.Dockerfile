FROM 127.0.0.1:5000/local/busybox:static

# layer 0: Commands
ARG SOURCE_DATE_EPOCH
RUN echo hi
