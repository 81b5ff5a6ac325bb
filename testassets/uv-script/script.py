# /// script
# requires-python = ">=3.11,<3.12"
# dependencies = ["requests>=2.31"]
# ///
print("hello")
