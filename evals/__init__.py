"""Answer-quality evals (``netral eval``) and performance benchmarks (``netral bench``).

See evals/README.md for the gold-set format, the metrics and the commands."""
