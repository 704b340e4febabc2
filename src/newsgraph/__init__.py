"""newsgraph: who did what to whom, when, where, and who said what, from multilingual news."""

import os

# One BLAS thread per process: worker processes are the parallelism, and several BLAS threads per
# worker on a small machine made parsing ~10x slower. Must be set before numpy is first imported.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from newsgraph.model import Document  # noqa: E402

__version__ = "0.1.0"
__all__ = ["Document", "__version__"]
