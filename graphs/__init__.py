"""LangGraph StateGraphs that run the tools as pipelines (augment, evaluate)."""
