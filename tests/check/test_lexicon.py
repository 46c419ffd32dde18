"""Tests of the English dictionary: British spellings are words, not typos."""

from __future__ import annotations

import pytest

from folio.check.lexicon import lexicon


@pytest.mark.parametrize("word", ["metre", "metres", "kilometres", "litres", "tyre",
                                  "programme", "colour", "organised", "centre", "travelled"])
def test_british_spellings_are_known(word: str) -> None:
    assert lexicon("en").known(word)


@pytest.mark.parametrize("word", ["metrre", "colur", "organsied"])
def test_misspellings_are_not(word: str) -> None:
    assert not lexicon("en").known(word)
