"""quizapp: spaced-repetition drills for ML and deep-learning interviews.

Importing this package is cheap on purpose: it never imports textual, numpy or pydantic.
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
