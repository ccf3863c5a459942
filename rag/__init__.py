"""netral's core: the index reader, retrieval, answering and citation checks.

Nothing in this package imports ``telegram`` (see tests/test_architecture.py).
"""
