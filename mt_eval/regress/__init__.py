"""Vendor regression: corpus statistics, confidence intervals, gates and run comparison.

Modules, one job each:

- :mod:`~mt_eval.regress.defaults`: default resample counts, significance level and
  minimum effects (numpy-free, for the command line's option defaults).
- :mod:`~mt_eval.regress.statistic`: how a metric's corpus score comes from per-link
  statistics (summed counts for BLEU/chrF, a mean for COMET and similarity).
- :mod:`~mt_eval.regress.resample`: bootstrap confidence intervals and paired tests
  (bootstrap resampling, approximate randomization), exactly as sacrebleu does them.
- :mod:`~mt_eval.regress.systems`: one summary per system over all pairs (``systems.csv``).
- :mod:`~mt_eval.regress.gates`: quality gates checked against those summaries.
- :mod:`~mt_eval.regress.statsfile`: the per-link statistics kept in a results folder.
- :mod:`~mt_eval.regress.compare`: a baseline and a current results folder compared.

numpy is imported by the modules that resample, never by this package's ``__init__``.
"""
