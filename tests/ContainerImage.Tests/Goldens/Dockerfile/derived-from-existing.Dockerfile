FROM 127.0.0.1:5000/team/tools:v2

# layer 0: Command
CMD ["sh", "-c", "echo hi"]

# layer 1: Labels
LABEL a="b"
