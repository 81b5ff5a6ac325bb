FROM 127.0.0.1:5000/team/py-base:v1
USER root

# layer 0: Commands
ARG SOURCE_DATE_EPOCH
RUN id -un

USER svc
