"""Anomaly detection by grammar-based compression (arXiv 1109.1729): the detector
(``compression``), the greedy grammar transform (``transform``, optionally compiled), its
copy-on-write store and the choice of build (``engine``)."""
