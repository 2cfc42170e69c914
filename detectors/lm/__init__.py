"""Language models over events *with their arguments* (arXiv 2309.02206): LSTM, Transformer and
Longformer behind one ``LMDetector``; the score is the perplexity of a sequence."""
