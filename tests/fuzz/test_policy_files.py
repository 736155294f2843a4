"""The tolerance and posting policy files: an operator's typo must stop the start with a
ConfigurationError naming the problem, never with a traceback from deep in a parser."""

from __future__ import annotations

from hypothesis import given

from tests.fuzz.budget import budget
from tests.fuzz.strategies import files, texts
from tests.fuzz.targets import policy, policy_file, policy_seeds, posting_policy


@budget(200)
@given(texts(policy_seeds()))
def test_tolerance_policy_parsing_ends_in_configuration_errors_only(text: str) -> None:
    policy(text)


@budget(100)
@given(texts(policy_seeds()))
def test_posting_policy_parsing_ends_in_configuration_errors_only(text: str) -> None:
    posting_policy(text)


@budget(100)
@given(files(tuple(t.encode() for t in policy_seeds())))
def test_policy_files_in_any_encoding_end_in_configuration_errors_only(data: bytes) -> None:
    policy_file(data)
