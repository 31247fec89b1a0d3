from tests.core.fast_client import client, make_client, shared_client_handler  # noqa: F401
