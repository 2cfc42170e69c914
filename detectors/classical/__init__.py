"""Classical detectors on event-count vectors (Loglizer's family): PCA, invariants mining, log
clustering, isolation forest, and the supervised logistic regression, linear SVM and decision tree."""
