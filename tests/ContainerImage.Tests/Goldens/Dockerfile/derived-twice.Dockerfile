FROM 127.0.0.1:5000/team/mid:v3

# layer 0: User
USER 1000:1000
