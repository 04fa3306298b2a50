"""Allow ``python -m mt_eval``."""

from mt_eval.cli import main

if __name__ == "__main__":
    main()
