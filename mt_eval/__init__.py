"""mt-eval: machine-translation quality evaluation harness.

The pipeline runs in stages, one package or module each: ``documents`` (load and
clean), ``segment`` (sentences), ``align`` (source-target links), ``metrics``
(scores), ``flags`` (problems a person should look at) and ``report`` (CSV and
``run.json``). ``pipeline`` chains them; ``cli`` is a thin click layer on top.
"""

__version__ = "0.1.0"
