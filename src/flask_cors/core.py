"""Header names and methods under the names Flask-Cors 6 gives them.

Apps and test suites written for Flask-Cors 6 import these (often as
``from flask_cors.core import *``), so they keep their names and values here. This module
holds constants only: the pipeline's own code lives elsewhere, and none of Flask-Cors 6's
helper functions is provided.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ACL_ALLOW_HEADERS",
    "ACL_CREDENTIALS",
    "ACL_EXPOSE_HEADERS",
    "ACL_MAX_AGE",
    "ACL_METHODS",
    "ACL_ORIGIN",
    "ACL_REQUEST_HEADERS",
    "ACL_REQUEST_HEADER_PRIVATE_NETWORK",
    "ACL_REQUEST_METHOD",
    "ACL_RESPONSE_PRIVATE_NETWORK",
    "ALL_METHODS",
]

# Response headers.
ACL_ORIGIN: Final = "Access-Control-Allow-Origin"
ACL_METHODS: Final = "Access-Control-Allow-Methods"
ACL_ALLOW_HEADERS: Final = "Access-Control-Allow-Headers"
ACL_EXPOSE_HEADERS: Final = "Access-Control-Expose-Headers"
ACL_CREDENTIALS: Final = "Access-Control-Allow-Credentials"
ACL_MAX_AGE: Final = "Access-Control-Max-Age"
ACL_RESPONSE_PRIVATE_NETWORK: Final = "Access-Control-Allow-Private-Network"

# Request headers.
ACL_REQUEST_METHOD: Final = "Access-Control-Request-Method"
ACL_REQUEST_HEADERS: Final = "Access-Control-Request-Headers"
ACL_REQUEST_HEADER_PRIVATE_NETWORK: Final = "Access-Control-Request-Private-Network"

#: The methods allowed by default, in the order Flask-Cors 6 lists them. A list, as there,
#: so code that copies or extends it keeps working; do not change it in place.
ALL_METHODS: Final[list[str]] = ["GET", "HEAD", "POST", "OPTIONS", "PUT", "PATCH", "DELETE"]
