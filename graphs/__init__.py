"""LangGraph StateGraphs that run the tools as a pipeline (augment), and the progress events their
runners emit (``events``); evaluation is a command of detectors/, not a graph."""
