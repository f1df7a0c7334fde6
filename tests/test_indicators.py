# Tests of issue 5, filled in by its part.
