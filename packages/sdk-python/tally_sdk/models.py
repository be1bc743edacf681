"""The request and response models of the API (generated; see tally_sdk/_generated/models)."""

from tally_sdk._generated.models import *  # noqa: F401,F403
