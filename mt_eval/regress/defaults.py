"""Default counts and thresholds of the regression tests, importable without numpy.

The command line builds its option defaults from these at start-up, so they live
apart from the modules that resample.
"""

BOOTSTRAP_SAMPLES = 1000
"""Default number of bootstrap resamples (sacrebleu's ``--confidence-n`` and ``--paired-bs-n``)."""
AR_TRIALS = 10000
"""Default number of approximate randomization trials (sacrebleu's ``--paired-ar-n``)."""
ALPHA = 0.05
"""Default significance level of ``mt-eval compare``."""
DEFAULT_MIN_EFFECT = {"bleu": 1.0, "chrf": 1.0, "ter": 1.0, "comet": 0.01, "similarity": 0.01}
"""Least loss of a corpus score that counts as a regression (and least gain as better);
a loss is a fall of a score, or a rise of an error rate such as TER."""

COUNTS = ("dropped", "added", "flagged", "critical", "major")
"""Counts compared per system: links flagged ``dropped`` / ``added`` / at all, and
links whose worst flag is ``critical`` / ``major``."""
FAIL_ON = ("dropped", "added", "critical", "major")
"""Counts whose rise fails a comparison by default (``compare``'s ``--fail-on``)."""
