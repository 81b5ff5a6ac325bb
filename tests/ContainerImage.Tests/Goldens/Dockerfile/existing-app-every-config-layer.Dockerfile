FROM 127.0.0.1:5000/local/debian:bookworm

# layer 0: AppPublishOutput
COPY ["layers/0/", "/app/"]

# layer 1: AppPublishOutput
COPY ["layers/1/", "/opt/my tools/"]

# layer 2: Entrypoint
ENTRYPOINT ["/app/web", "--urls", "http://+:8080", "a \"quoted\" $HOME \\ ü"]

# layer 3: Command
CMD ["--verbose", "it's"]

# layer 4: ExposePorts
EXPOSE 53/udp 443/tcp 8080/tcp

# layer 5: Healthcheck
HEALTHCHECK --interval=30s --timeout=1500ms --start-period=5s --retries=3 CMD ["/app/web", "--health"]

# layer 6: Labels
LABEL org.opencontainers.image.source="https://example.test/repo" org.opencontainers.image.title="web \"app\" \$1" team="it's ours"

# layer 7: User
USER app

# layer 8: Healthcheck
HEALTHCHECK NONE

# layer 9: Entrypoint
ENTRYPOINT []
