# /// script
# requires-python = ">=3.11,<3.12"
# dependencies = ["cimg-greeting==1.0"]
# ///
import sys

import cimg_greeting

print(f"python {sys.version_info.major}.{sys.version_info.minor}: {cimg_greeting.VALUE}")
