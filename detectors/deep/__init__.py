"""Deep log models over event keys (PyTorch): DeepLog, LogAnomaly and the next-key Transformer
predict the next event; LogRobust and the CNN classify whole sessions. Their shared training loop
is ``deep_detector``, the two task shapes ``next_key`` and ``session_classifier``."""
