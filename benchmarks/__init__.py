"""stubaws' benchmarks: speed against moto, botocore's Stubber and the floor.

Run them with ``python -m benchmarks`` (``--quick`` for a smoke run); see
``docs/performance.md`` for what each figure means.
"""
