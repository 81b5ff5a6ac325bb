FROM 127.0.0.1:5000/local/python:3.11
