"""The evaluation harness of ``anomalygen evaluate``: splits into arms and fractions (``arms``),
the run over models and seeds (``evaluate``), the figures (``metrics``), the report files
(``report``) and the command (``cli``)."""
